"""Finding a case again over HTTP (issue 13 §1): by surname in any case and with ё/е, with a one-letter typo,
by ИИН, by a part of its number — and never a case of another organisation; each search is access-logged."""
import pytest

from tests.support import deploy_fixture

CHILD = {"last_name": "Ёлкина", "first_name": "Әйгерім", "iin": "150312600123"}
FAMILY = [{"last_name": "Сәрсенов", "first_name": "Болат", "relation": "father"}]


TALGAR, KARASAY = "196200000", "195200000"


def police_organisations(app, members: dict[str, str]) -> None:
    """Two police organisations, police.a serving Talgar and police.b Karasay, and ``members`` (username → code),
    users already made, placed in them."""
    from app.extensions import db
    from app.organisations.service import create
    from app.users.models import User
    with app.app_context():
        for code, kato in (("police.a", TALGAR), ("police.b", KARASAY)):
            create(db.session, code=code, agency="police", name_ru=code, serves=[kato])
        for username, code in members.items():
            db.session.query(User).filter_by(username=username).update({"organisation": code})
        db.session.commit()
        db.session.remove()


@pytest.fixture
def world(app, owner, make_user):
    assert deploy_fixture(owner, "reporter").status_code == 201
    ours, theirs = make_user("ours", "police", "staff"), make_user("theirs", "police", "staff")
    auditor = make_user("watcher", None, "auditor")
    police_organisations(app, {"ours": "police.a", "theirs": "police.b"})
    mine = ours.post("/process-instances", json={"process_id": "reporter", "data": {
        "territory": TALGAR, "child": CHILD, "family_members": FAMILY}})
    other = theirs.post("/process-instances", json={"process_id": "reporter", "data": {
        "territory": KARASAY, "child": {**CHILD, "iin": "150312600999"}}})
    assert mine.status_code == other.status_code == 201, (mine.text, other.text)
    return {"ours": ours, "theirs": theirs, "auditor": auditor, "mine": mine.json(), "other": other.json()}


def _found(api, **params):
    r = api.get("/cases", params=params)
    assert r.status_code == 200, r.text
    return [c["registration_number"] for c in r.json()["items"]]


def test_a_case_is_found_by_name_iin_and_number_only_within_the_callers_organisation(world):
    ours, number = world["ours"], world["mine"]["registration_number"]
    assert _found(ours, q="ЕЛКИНА") == [number]                 # other case, ё written as е
    assert _found(ours, q="елкин") == [number]                  # the start of a surname
    assert _found(ours, q="Елкена") == [number]                 # one letter wrong
    assert _found(ours, q="сарсенов") == [number]               # a parent, one Kazakh letter typed as Russian
    assert _found(ours, q="ӘЙГЕРІМ ёлкина") == [number]
    assert _found(ours, q="150312600123") == [number]
    assert _found(ours, q=number[-6:]) == [number]              # "000001": a part of the number
    assert _found(ours, q="Петров") == []
    assert _found(ours, q="150312600999") == []                 # the other organisation's child: never
    assert world["other"]["registration_number"] not in _found(ours, q="Ёлкина")
    assert _found(world["theirs"], q="елкина") == [world["other"]["registration_number"]]
    page = ours.get("/cases", params={"q": "Ёлкина"}).json()
    assert page["total"] == 1 and page["items"][0]["child"] == "Ёлкина Әйгерім"


def test_filters_paging_and_bad_input(world):
    auditor = world["auditor"]
    both = _found(auditor, q="елкина")
    assert len(both) == 2
    assert len(_found(auditor, q="елкина", limit=1)) == 1 and _found(auditor, q="елкина", limit=1, offset=1) == both[1:]
    assert _found(auditor, q="елкина", since="2026-12-02") == []
    assert _found(auditor, q="елкина", state="closed") == []
    for params, field in (({"state": "gone"}, "state"), ({"limit": "0"}, "limit"), ({"since": "yesterday"}, "since"),
                          ({"mine": "maybe"}, "mine"), ({"who": "x"}, "who")):
        r = auditor.get("/cases", params=params)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == field


def test_every_search_is_in_the_access_log_without_its_text(world):
    world["ours"].get("/cases", params={"q": "Ёлкина"})
    world["ours"].get("/cases", params={"q": "Ёлкина"})
    log = world["auditor"].get("/audit/access-log", params={"username": "ours"}).json()
    searches = [r for r in log["items"] if r["kind"] == "search"]
    assert len(searches) == 2 and all(r["object_id"].startswith("name:") for r in searches)
    assert "лкин" not in str(log)


def test_the_cases_page_finds_by_surname_and_is_in_the_menu(world, make_user, server):
    from tests.pages.test_pages_http import PASSWORD, _signed_in
    make_user("clerk", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "clerk")            # police without an organisation: the agency's cases
    empty = s.get(server + "/cases")
    assert empty.status_code == 200 and 'href="/cases"' in empty.text and "Введите номер дела" in empty.text
    found = s.get(server + "/cases", params={"q": "ёлкина", "state": "open"})
    assert found.status_code == 200 and "Найдено дел: 2" in found.text and "Ёлкина Әйгерім" in found.text
    assert f'href="/cases/{world["mine"]["case_id"]}"' in found.text
    bad = s.get(server + "/cases", params={"since": "вчера"})
    assert bad.status_code == 422 and 'data-field="since"' in bad.text


def test_the_total_comes_with_every_page_and_past_the_last_one(world):
    """The page and its total are read in one pass (count over the matches); past the last page the total is
    still the number of matches, and no match is a total of 0."""
    auditor = world["auditor"]
    for params, total, shown in (({"limit": 1}, 2, 1), ({"limit": 1, "offset": 1}, 2, 1), ({"offset": 5}, 2, 0),
                                 ({"limit": 5}, 2, 2), ({"q": "Петров"}, 0, 0)):
        page = auditor.get("/cases", params={"q": "елкина", **params}).json()
        assert (page["total"], len(page["items"])) == (total, shown), params
