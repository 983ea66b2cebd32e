"""Compliance a ministry would sign: each clause says which calendar rule counted its deadlines, the misses are
listed with their cases (linked only for those who may open them), and rows split by organisation and
territory once tasks and cases carry them."""
import re

import pytest

from tests.audit.scenario import scenario  # noqa: F401  (fixtures)
from support import signed_in

PASSWORD = "audit-misses-password"


def _signed_in(server, username):
    return signed_in(server, username, PASSWORD)


def test_the_report_names_its_calendar_rule_and_lists_the_misses_with_their_cases(scenario, make_user, server):
    body = scenario.auditor.get("/audit/compliance").json()
    police = next(r for r in body["items"] if r["clause"] == "P4.a" and r["agency"] == "police")
    assert police["calendar_rule"] == "working_days" and "working days" in body["calendar_rules"]["working_days"]
    assert police["late"] == 1 and police["organisation"] is None and police["territory"] is None
    miss = next(m for m in body["misses"] if m["clause"] == "P4.a")
    assert miss["registration_number"] == scenario.registration_number and miss["outcome"] == "late"
    assert miss["case_url"] == f"/cases/{scenario.case_id}" and miss["agency"] == "police"
    assert len(body["misses"]) == sum(r["late"] + r["open_overdue"] for r in body["items"] if r["agency"] == "(all)")
    csv = scenario.auditor.get("/audit/compliance?format=csv").text.splitlines()
    assert csv[0].endswith(",organisation,territory,calendar_rule") and csv[1].endswith(",working_days")

    make_user("court.clerk", None, "auditor", password=PASSWORD)
    page = _signed_in(server, "court.clerk").get(server + "/audit/compliance").text
    row = re.search(r'<tr class="" data-clause="P4.a" data-agency="police">(.*?)</tr>', page, re.S).group(1)
    assert "рабочие дни календаря Казахстана" in row
    misses = page.split('id="misses"', 1)[1]
    assert (f'<a class="case-number" href="/cases/{scenario.case_id}">{scenario.registration_number}</a>'
            in misses) and "Описать случай" in misses and "с нарушением срока" in misses


def test_a_miss_is_linked_only_for_those_who_may_open_its_case(scenario, app, make_user):
    from app.audit.compliance import missed_deadlines, openable_cases
    from app.extensions import db
    from app.users.models import User
    make_user("teacher", "education_org", "staff")
    with app.app_context():
        auditor = db.session.query(User).filter_by(username="prosecutor.inspector").one()
        misses = missed_deadlines(db.session, user=auditor)
        assert openable_cases(db.session, auditor, misses) == {scenario.case_id}
        teacher = db.session.query(User).filter_by(username="teacher").one()
        assert openable_cases(db.session, teacher, misses) == set()      # the school takes no part in it
        db.session.remove()


def test_rows_split_by_organisation_and_territory_when_known(scenario, app):
    from app.instances.models import Case, Task
    if not (hasattr(Task, "organisation") and hasattr(Case, "territory")):
        pytest.skip("organisations and territories (issue 11) are not in this tree yet")
    from app.extensions import db
    with app.app_context():
        db.session.get(Case, scenario.case_id).territory = "751000000"
        for task in db.session.query(Task).filter_by(case_id=scenario.case_id, agency="police"):
            task.organisation = "almaty-police-1"
        db.session.commit()
        db.session.remove()
    body = scenario.auditor.get("/audit/compliance").json()
    row = next(r for r in body["items"] if r["clause"] == "P4.a" and r["agency"] == "police")
    assert (row["organisation"], row["territory"], row["late"]) == ("almaty-police-1", "751000000", 1)
    miss = next(m for m in body["misses"] if m["clause"] == "P4.a")
    assert (miss["organisation"], miss["territory"]) == ("almaty-police-1", "751000000")
