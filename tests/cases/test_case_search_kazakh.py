"""Kazakh letters in the case search (issue 14 §6). Upper and lower case of ә ғ қ ң ө ұ ү һ і are one letter,
and a Kazakh name is also found as Russian-language documents and Russian keyboards spell it (ә→а, ғ→г, қ→к,
ң→н, ө→о, ұ/ү→у, һ→х, і→и), both ways: «Құрманғалиқызы» and «Курмангаликызы» are the same child to the staff
who search. The names shown keep their letters."""
import pytest

from tests.support import deploy_fixture

KAZAKH = {"last_name": "Құрманғалиқызы", "first_name": "Әсел", "iin": "150312600123"}
RUSSIAN_SPELLING = {"last_name": "Омирбеков", "first_name": "Нурлан", "iin": "150312500124"}


@pytest.fixture
def cases(owner, make_user):
    assert deploy_fixture(owner, "reporter").status_code == 201
    police = make_user("inspector", "police", "staff")
    made = {}
    for key, child in (("kazakh", KAZAKH), ("russian", RUSSIAN_SPELLING)):
        r = police.post("/process-instances", json={"process_id": "reporter", "data": {"child": child}})
        assert r.status_code == 201, r.text
        made[key] = r.json()["registration_number"]
    return police, made


def _found(api, q):
    r = api.get("/cases", params={"q": q})
    assert r.status_code == 200, r.text
    return [c["registration_number"] for c in r.json()["items"]]


def test_kazakh_letters_are_found_in_any_case(cases):
    police, made = cases
    assert _found(police, "ҚҰРМАНҒАЛИҚЫЗЫ") == [made["kazakh"]]
    assert _found(police, "әсел") == [made["kazakh"]]
    assert _found(police, "ӘСЕЛ құрманғали") == [made["kazakh"]]


def test_a_kazakh_name_typed_with_russian_letters_finds_it_and_back(cases):
    police, made = cases
    # four letters differ: beyond the typo allowance, found because the letters fold
    assert _found(police, "Курмангаликызы") == [made["kazakh"]]
    assert _found(police, "Өмірбеков") == [made["russian"]]          # typed in Kazakh, recorded in Russian
    assert _found(police, "Нұрлан Өмірбеков") == [made["russian"]]
    assert _found(police, "Курманов") == []                           # folding is not a wildcard


def test_the_names_shown_keep_their_kazakh_letters(cases):
    police, made = cases
    page = police.get("/cases", params={"q": "курмангаликызы"}).json()
    assert page["items"][0]["child"] == "Құрманғалиқызы Әсел"


def test_folding_maps_each_kazakh_letter_to_its_russian_keyboard_twin():
    from app.instances.case_search import fold, normalize
    assert fold(normalize("ӘҒҚҢӨҰҮҺІ әғқңөұүһі")) == "агкноуухи агкноуухи"
    assert normalize("Ёлкина-Сәрсенова  ӘЛИЯ") == "елкина сәрсенова әлия"
