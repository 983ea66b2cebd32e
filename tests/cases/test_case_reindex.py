"""Cases created before the search columns existed (migration a13100000001 left them NULL) are found after
`flask cases reindex`, which fills them from the cases' data in batches and may be run again."""
from tests.support import deploy_fixture

CHILD = {"last_name": "Ёлкина", "first_name": "Әйгерім", "iin": "150312600123"}
FAMILY = [{"last_name": "Сәрсенов", "first_name": "Болат", "relation": "father"}]


def _found(api, q):
    r = api.get("/cases", params={"q": q})
    assert r.status_code == 200, r.text
    return [c["registration_number"] for c in r.json()["items"]]


def _search_columns(app, **values):
    """Read (and with ``values``, first set) every case's search columns: NULL is how an old case looks."""
    from app.extensions import db
    from app.instances.models import Case
    with app.app_context():
        try:
            if values:
                db.session.query(Case).update(values)
                db.session.commit()
            return sorted(((c.search_names, c.search_iins) for c in db.session.query(Case)), key=repr)
        finally:
            db.session.remove()


def test_a_case_never_indexed_is_found_after_the_command_which_may_run_again(app, owner, make_user):
    assert deploy_fixture(owner, "reporter").status_code == 201
    auditor, police = make_user("watcher", None, "auditor"), make_user("inspector", "police", "staff")
    numbers = [police.post("/process-instances", json={"process_id": "reporter", "data": {
        "child": {**CHILD, "iin": f"15031260012{i}"}, "family_members": FAMILY}}).json()["registration_number"]
        for i in range(3)]
    bare = police.post("/process-instances", json={"process_id": "reporter", "data": {}}).json()
    indexed = _search_columns(app)
    assert _found(auditor, "Ёлкина") == sorted(numbers, reverse=True)

    assert _search_columns(app, search_names=None, search_iins=None) == [(None, None)] * 4   # as before the migration
    assert _found(auditor, "Ёлкина") == [] and _found(auditor, "150312600121") == []

    runner = app.test_cli_runner()
    result = runner.invoke(args=["cases", "reindex", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert "2 case(s) read" in result.output and "reindexed 4 case(s)" in result.output     # in batches of two
    assert _search_columns(app) == indexed
    assert sorted(_found(auditor, "Елкена")) == sorted(numbers)                 # a typo too: the same columns
    assert _found(auditor, "150312600121") == [numbers[1]]
    assert _found(auditor, "сарсенов") and bare["registration_number"] not in _found(auditor, "сарсенов")

    again = runner.invoke(args=["cases", "reindex"])
    assert again.exit_code == 0 and "reindexed 1 case(s)" in again.output      # only the case with no names
    everything = runner.invoke(args=["cases", "reindex", "--all"])
    assert everything.exit_code == 0 and "reindexed 4 case(s)" in everything.output
    assert _search_columns(app) == indexed                                      # the same columns, no duplicates
    assert runner.invoke(args=["cases", "reindex", "--batch", "0"]).exit_code != 0
