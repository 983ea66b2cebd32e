"""Inside a case, the diagrams' correlation keys decide which waiting catch a message reaches (issue 10 §2).

The intake (police) records a reference `report_no`, notifies the commission with it and waits for the reply;
the answer (commission) is started by the notice and replies with the same reference. Both diagrams declare
the reference as a `bpmn:correlationProperty` retrieved from each message's payload.
"""
from support import at, deploy_fixture

NOW = at("2026-12-01T09:30:00+05:00")
INTAKE_FORMS = ("fixture-intake.json", "fixture-ack.json")


def _deploy(owner):
    assert deploy_fixture(owner, "intake", forms=INTAKE_FORMS).status_code == 201
    assert deploy_fixture(owner, "answer", forms=("fixture-ack.json",)).status_code == 201


def _intake(police, report_no, case_id=None, **extra):
    data = {"case_id": case_id} if case_id else {}
    started = police.post("/process-instances", json={"process_id": "intake", "data": data}).json()
    (task,) = [t for t in police.get(f"/tasks?instance={started['id']}").json()["items"] if t["bpmn_id"] == "record"]
    r = police.post(f"/tasks/{task['id']}/complete",
                    json={"data": {"report_no": report_no, "summary": "синяки на руках", **extra}})
    assert r.status_code == 200, r.text
    return started


def _answer(kdnzp, report_no, note):
    """The commission answers the notice that carries `report_no`; returns the answer instance id."""
    for task in kdnzp.get("/tasks").json()["items"]:
        if task["bpmn_id"] == "respond" and kdnzp.get(f"/tasks/{task['id']}").json()["data"]["notice"]["report_no"] \
                == report_no:
            assert kdnzp.post(f"/tasks/{task['id']}/complete", json={"data": {"note": note}}).status_code == 200
            return task["instance_id"]
    raise AssertionError(f"no notice {report_no} in the commission's inbox")


def _instance(api, instance_id):
    return api.get(f"/process-instances/{instance_id}").json()


def _messages(api, case_id):
    return api.get(f"/messages?case_id={case_id}").json()["items"]


def test_the_reply_reaches_the_intake_that_sent_the_notice(owner, make_user, run_due):
    _deploy(owner)
    police, kdnzp = make_user("inspector", "police"), make_user("commission", "kdnzp")
    intake = _intake(police, "R-1")
    assert _instance(police, intake["id"])["status"] == "waiting"

    assert run_due(NOW) == (0, 1)                                  # the notice starts the answer
    answer_id = _answer(kdnzp, "R-1", "меры приняты")
    assert _instance(kdnzp, answer_id)["case_id"] == intake["case_id"]
    assert run_due(NOW) == (0, 1)                                  # the reply reaches the intake

    (read,) = [t for t in police.get(f"/tasks?instance={intake['id']}").json()["items"]]
    assert read["bpmn_id"] == "read_reply"
    answer = police.get(f"/tasks/{read['id']}").json()["data"]["answer"]
    assert answer["report_no"] == "R-1" and answer["note"] == "меры приняты"
    assert [(m["name"], m["status"]) for m in _messages(police, intake["case_id"])] == [
        ("notify", "delivered"), ("reply", "delivered")]


def test_two_intakes_in_one_case_each_receive_only_their_own_reply(owner, make_user, run_due):
    _deploy(owner)
    police, kdnzp = make_user("inspector", "police"), make_user("commission", "kdnzp")
    first = _intake(police, "R-1")
    second = _intake(police, "R-2", case_id=first["case_id"])
    assert second["case_id"] == first["case_id"]
    assert run_due(NOW) == (0, 2)

    _answer(kdnzp, "R-2", "ответ на второе")
    assert run_due(NOW) == (0, 1)
    assert _instance(police, first["id"])["status"] == "waiting"
    assert _instance(police, second["id"])["status"] == "running"
    _answer(kdnzp, "R-1", "ответ на первое")
    assert run_due(NOW) == (0, 1)

    replies = [m for m in _messages(police, first["case_id"]) if m["name"] == "reply"]
    assert [(m["status"], m["delivered_to"]) for m in replies] == [
        ("delivered", [second["id"]]), ("delivered", [first["id"]])]
    auditor = make_user("auditor", None, "auditor")
    for intake, note in ((first, "ответ на первое"), (second, "ответ на второе")):
        (read,) = police.get(f"/tasks?instance={intake['id']}").json()["items"]
        assert police.get(f"/tasks/{read['id']}").json()["data"]["answer"]["note"] == note
        # an auditor's re-execution delivers the recorded reply, with its keys, to the same catch
        verdict = auditor.get(f"/process-instances/{intake['id']}/verification").json()
        assert verdict["ok"] and verdict["steps"] == 3, verdict


def test_a_reply_no_catch_correlates_with_waits_and_says_why_then_reaches_the_catch_that_appears(
        owner, make_user, run_due, app):
    _deploy(owner)
    police = make_user("inspector", "police")
    first = _intake(police, "R-1")
    run_due(NOW)
    case_id = first["case_id"]
    # from outside (the police register, an integration: no police lane throws a reply), the intake's own
    # retrieval expression reads the reference from the payload
    register = make_user("police-register", "police", "integration")
    r = register.post("/messages", json={"name": "reply", "correlation": {"case_id": case_id},
                                       "payload": {"report_no": "R-9", "note": "не по этому делу"}})
    assert r.status_code == 202
    assert run_due(NOW) == (0, 0)

    (reply,) = [m for m in _messages(police, case_id) if m["name"] == "reply"]
    assert reply["status"] == "waiting"
    assert reply["waiting_reason"].startswith("no catch with matching correlation keys")
    assert _instance(police, first["id"])["status"] == "waiting"
    assert _attempts(app, reply["id"]) == 1
    run_due(NOW)
    assert _attempts(app, reply["id"]) == 1                        # not retried while nothing changed

    later = _intake(police, "R-9", case_id=case_id)                # a catch for R-9 appears in the case
    run_due(NOW)
    (reply,) = [m for m in _messages(police, case_id) if m["name"] == "reply"]
    assert reply["status"] == "delivered" and reply["delivered_to"] == [later["id"]]
    assert reply["waiting_reason"] is None
    assert _instance(police, first["id"])["status"] == "waiting"


def _attempts(app, message_id):
    from app.extensions import db
    from app.messages.models import Message
    with app.app_context():
        try:
            return db.session.get(Message, message_id).attempts
        finally:
            db.session.remove()


def test_a_form_field_named_case_id_leaves_the_instance_and_its_messages_in_their_case(owner, make_user, run_due):
    _deploy(owner)
    police, kdnzp = make_user("inspector", "police"), make_user("commission", "kdnzp")
    other = _intake(police, "R-0")
    # the form declares a case_id field; the submission names the other case
    started = police.post("/process-instances", json={"process_id": "intake", "data": {}}).json()
    assert started["case_id"] != other["case_id"]
    (task,) = police.get(f"/tasks?instance={started['id']}").json()["items"]
    r = police.post(f"/tasks/{task['id']}/complete",
                    json={"data": {"report_no": "R-5", "summary": "синяки", "case_id": other["case_id"]}})
    assert r.status_code == 200
    assert _instance(police, started["id"])["data"]["case_id"] == started["case_id"]
    run_due(NOW)

    (notice,) = [m for m in _messages(police, started["case_id"]) if m["name"] == "notify"]
    assert notice["status"] == "delivered"
    (answer_id,) = notice["delivered_to"]
    assert _instance(kdnzp, answer_id)["case_id"] == started["case_id"]
    assert [m["name"] for m in _messages(police, other["case_id"])] == ["notify"]     # only its own notice
    _answer(kdnzp, "R-5", "ответ")
    run_due(NOW)
    assert _instance(police, started["id"])["status"] == "running"                      # its reply came home


def test_a_payload_case_id_does_not_move_a_message_to_another_case(owner, make_user, run_due):
    _deploy(owner)
    police, kdnzp = make_user("inspector", "police"), make_user("commission", "kdnzp")
    home, other = _intake(police, "R-1"), _intake(police, "R-2")
    run_due(NOW)
    r = police.post("/messages", json={"name": "notify", "correlation": {"case_id": home["case_id"]},
                                       "payload": {"report_no": "R-7", "summary": "повторно",
                                                   "case_id": other["case_id"]}})
    assert r.status_code == 202
    run_due(NOW)

    (posted,) = [m for m in _messages(police, home["case_id"]) if m["id"] == r.json()["id"]]
    (answer_id,) = posted["delivered_to"]
    answer = _instance(kdnzp, answer_id)
    assert answer["case_id"] == home["case_id"] and answer["data"]["case_id"] == home["case_id"]
    assert len(_messages(police, other["case_id"])) == 1
    # the answer replies into its own case, where the home intake does not wait for R-7: nobody else gets it
    _answer(kdnzp, "R-7", "ответ")
    run_due(NOW)
    assert _instance(police, other["id"])["status"] == "waiting"
    assert _instance(police, home["id"])["status"] == "waiting"


def test_deploy_refuses_a_correlation_that_could_never_match_naming_the_element(owner):
    from support import FIXTURES
    text = (FIXTURES / "bpmn" / "intake.bpmn").read_text(encoding="utf-8")
    broken = text.replace("<bpmn:formalExpression>report_no</bpmn:formalExpression>",
                          "<bpmn:formalExpression>/report/number</bpmn:formalExpression>", 1)
    files = [("file", ("intake.bpmn", broken.encode(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json")) for f in INTAKE_FORMS]
    r = owner.post("/process-models", files=files)
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert error["element_id"] == "report_no" and "'notify'" in error["message"] and "sandbox" in error["message"]
