"""A name written to a case after it was opened is found with a typo like any other (issue 13 §1). On
PostgreSQL the typo is matched against the distinct words of all cases' names, which a trigger keeps as cases
are written (migration b16000000005); this proves a later write reaches them, and that a word near the query
in one case does not bring in the cases that hold only other words."""
import pytest

from tests.support import deploy_fixture


@pytest.fixture
def police(owner, make_user):
    assert deploy_fixture(owner, "reporter").status_code == 201
    return make_user("inspector", "police", "staff")


def _open(police, child):
    r = police.post("/process-instances", json={"process_id": "reporter", "data": {"child": child}})
    assert r.status_code == 201, r.text
    return r.json()


def _found(api, q):
    r = api.get("/cases", params={"q": q})
    assert r.status_code == 200, r.text
    return sorted(c["registration_number"] for c in r.json()["items"])


def test_a_name_added_later_is_found_with_a_typo(app, police):
    first = _open(police, {"last_name": "Жумабаев", "first_name": "Ерасыл"})
    other = _open(police, {"last_name": "Сулейменова", "first_name": "Дана"})
    assert _found(police, "Тулегинов") == []
    from app.extensions import db
    from app.instances.case_search import note_search_text
    from app.instances.models import Case
    with app.app_context():
        case = db.session.get(Case, first["case_id"])
        note_search_text(case, {"family_members": [{"last_name": "Тулегенов", "first_name": "Марат"}]})
        db.session.commit()
        db.session.remove()
    assert _found(police, "Тулегинов") == [first["registration_number"]]      # one letter wrong
    assert _found(police, "Жумабаев") == [first["registration_number"]]       # the first name stays
    assert _found(police, "Сулейманова") == [other["registration_number"]]
    assert _found(police, "Сулейм") == [other["registration_number"]]         # the start of a word
    assert _found(police, "Жумабаев Сулейменова") == []                       # every word must match


def test_two_wrong_letters_in_a_long_name_three_are_too_many(police):
    made = _open(police, {"last_name": "Мухамеджанов", "first_name": "Тимур"})["registration_number"]
    assert _found(police, "Мухамиджанав") == [made]
    assert _found(police, "Мухимиджанав") == []
