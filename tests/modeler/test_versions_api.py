"""Validating without deploying, versions with who/when and running cases, one version read-only, diffs."""
from support import deploy_fixture

from modeler_helpers import REPORTER, renamed_and_later, start, upload


def test_validate_checks_like_deploy_but_stores_nothing(owner):
    ok = upload(owner, REPORTER, path="/process-models/validate")
    assert ok.status_code == 200, ok.text
    assert ok.json()["valid"] is True and ok.json()["process_id"] == "reporter"
    assert ok.json()["lanes"] == {"Органы внутренних дел (ОВД)": "police"} and ok.json()["changes"] is None
    assert owner.get("/process-models").json()["items"] == []

    bad = upload(owner, REPORTER.replace("Органы внутренних дел (ОВД)", "Бухгалтерия"), path="/process-models/validate")
    assert bad.status_code == 422
    assert bad.headers["Content-Type"].startswith("application/problem+json")
    assert bad.json()["errors"] == [{"element_id": "lane_police", "code": "lane_not_agency",
                                     "params": {"lane": "Бухгалтерия"},
                                     "message": "lane 'Бухгалтерия' is not an agency of the Guide"}]
    kazakh = upload(owner, REPORTER.replace("Органы внутренних дел (ОВД)", "Бухгалтерия"), path="/process-models/validate",
                    headers={"Accept-Language": "kk"})
    assert kazakh.json()["errors"][0]["message"] == "«Бухгалтерия» жолағы Нұсқаулықтағы ведомство емес"
    assert kazakh.json()["code"] == "diagram_invalid" and kazakh.json()["detail"] == "диаграмманы орналастыру мүмкін емес"


def test_validate_shows_the_changes_a_deploy_would_make(owner):
    deploy_fixture(owner, "reporter")
    r = upload(owner, renamed_and_later(), path="/process-models/validate")
    assert r.status_code == 200, r.text
    assert r.json()["latest_version"] == 1
    assert [(c["kind"], c["element_id"]) for c in r.json()["changes"]] == [("renamed", "report"),
                                                                           ("timer_changed", "deadline")]


def test_a_diff_line_has_a_code_and_params_and_its_text_in_the_callers_language(owner):
    deploy_fixture(owner, "reporter")
    assert upload(owner, renamed_and_later().replace(
        'value="fixture-report.json"/></spiffworkflow:properties>',
        'value="fixture-report.json"/><spiffworkflow:property name="requiredRole" value="supervisor"/>'
        '</spiffworkflow:properties>', 1)).status_code == 201
    lines = {lang: {c["code"]: c for c in owner.get("/process-models/reporter/diff", params={"from": 1, "to": 2},
                                                    headers={"Accept-Language": lang}).json()["changes"]}
             for lang in ("en", "ru", "kk")}
    assert {lang: sorted(found) for lang, found in lines.items()} == \
        {lang: ["renamed", "role_changed", "timer_changed"] for lang in ("en", "ru", "kk")}
    role = {lang: found["role_changed"] for lang, found in lines.items()}
    assert role["en"]["params"] == role["ru"]["params"] == role["kk"]["params"] == \
        {"element": "userTask 'report' (Описать случай подробно)", "before": None, "after": "supervisor"}
    assert role["en"]["text"] == "userTask 'report' (Описать случай подробно): required role changed from '—' to 'supervisor'"
    assert role["ru"]["text"].endswith(": требуемая роль изменена: «—» → «supervisor»")
    assert role["kk"]["text"].endswith(": қажетті рөл өзгертілді: «—» → «supervisor»")
    assert "атауы «Описать случай подробно» болып өзгертілді" in lines["kk"]["renamed"]["text"]


def test_invalid_forms_are_refused_before_deploy(owner):
    r = upload(owner, REPORTER, path="/process-models/validate", form_bytes={"fixture-report.json": b'{"type": 12}'})
    assert r.status_code == 422
    assert r.json()["errors"][0]["element_id"] == "report"
    assert "not a valid JSON Schema" in r.json()["errors"][0]["message"]
    broken = upload(owner, REPORTER, path="/process-models/validate", form_bytes={"fixture-ack.json": b"{nope"})
    assert broken.status_code == 422 and broken.json()["errors"][0]["element_id"] == "escalate"


def test_only_process_owners_validate_and_read_forms(make_user):
    staff = make_user("pol", "police", "staff")
    assert upload(staff, REPORTER, path="/process-models/validate").status_code == 403
    assert staff.get("/forms").status_code == 403
    assert staff.get("/process-models/reporter/versions").status_code == 403


def test_versions_list_who_when_and_running_cases(owner, make_user):
    assert owner.get("/process-models/reporter/versions").status_code == 404
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    start(police)
    start(police)
    assert upload(owner, renamed_and_later()).status_code == 201
    start(police)
    items = owner.get("/process-models/reporter/versions").json()["items"]
    assert [(v["version"], v["deployed_by"], v["running_instances"]) for v in items] == [(2, "owner", 1),
                                                                                         (1, "owner", 2)]
    assert all(v["deployed_at"] for v in items)

    v1 = owner.get("/process-models/reporter/versions/1")
    assert v1.status_code == 200 and v1.headers["Content-Type"].startswith("application/xml")
    assert 'name="Описать случай"' in v1.text and "add_hours(received_at, 1)" in v1.text
    assert "add_hours(received_at, 2)" in owner.get("/process-models/reporter/versions/2").text
    assert owner.get("/process-models/reporter/versions/3").status_code == 404
    forms = owner.get("/process-models/reporter/versions/1/forms").json()["items"]
    assert set(forms) == {"fixture-report.json", "fixture-ack.json"}


def test_diff_names_exactly_what_changed(owner):
    deploy_fixture(owner, "reporter")
    upload(owner, renamed_and_later())
    r = owner.get("/process-models/reporter/diff", params={"from": 1, "to": 2})
    assert r.status_code == 200
    changes = r.json()["changes"]
    assert [(c["kind"], c["element_id"], c["before"], c["after"]) for c in changes] == [
        ("renamed", "report", "Описать случай", "Описать случай подробно"),
        ("timer_changed", "deadline", "add_hours(received_at, 1)", "add_hours(received_at, 2)")]
    assert owner.get("/process-models/reporter/diff", params={"from": 2, "to": 2}).json()["changes"] == []
    assert owner.get("/process-models/reporter/diff", params={"from": "x", "to": 2}).status_code == 422
    assert owner.get("/process-models/reporter/diff", params={"from": 1, "to": 9}).status_code == 404


def test_diff_reports_added_removed_moved_and_form_changes(owner):
    deploy_fixture(owner, "reporter")
    xml = REPORTER.replace('<bpmn:endEvent id="esc_end"/>', '<bpmn:endEvent id="esc_done" name="Готово"/>') \
        .replace('targetRef="esc_end"', 'targetRef="esc_done"').replace(">esc_end<", ">esc_done<") \
        .replace("fixture-ack.json", "fixture-report.json")
    form = b'{"type": "object", "properties": {"summary": {"type": "string", "minLength": 10}}}'
    assert upload(owner, xml, forms=("fixture-report.json",), form_bytes={"fixture-report.json": form}).status_code == 201
    kinds = {(c["kind"], c["element_id"] or c.get("form")) for c in
             owner.get("/process-models/reporter/diff?from=1&to=2").json()["changes"]}
    assert kinds == {("added", "esc_done"), ("removed", "esc_end"), ("form_changed", "escalate"),
                     ("form_content_changed", "fixture-report.json")}


def test_forms_catalogue_and_form_content(owner):
    deploy_fixture(owner, "reporter")
    names = {f["name"] for f in owner.get("/forms").json()["items"]}
    assert {"fixture-report.json", "fixture-ack.json"} <= names
    schema = owner.get("/forms/fixture-report.json").json()
    assert schema["required"] == ["summary"]
    assert owner.get("/forms/..%2Fconfig.json").status_code == 404
    assert owner.get("/forms/nope.json").status_code == 404
