"""An e-mail names the task in its recipient's language, from the words the task's diagram version
carries (app/registry/words.py): Kazakh for a Kazakh reader, the canonical Russian for the rest."""
from test_mail import RECEIVED, _send, _set_mail, smtp  # noqa: F401  (the SMTP fixture)
from test_mail_language import _language

from support import FIXTURES

FORM = '<spiffworkflow:property name="formJsonSchemaFilename" value="fixture-report.json"/>'
KAZAKH = '<spiffworkflow:property name="name:kk" value="Жағдайды сипаттау"/>'


def test_the_mail_names_the_task_in_the_recipient_s_language(app, owner, make_user, smtp):  # noqa: F811
    xml = (FIXTURES / "bpmn" / "reporter.bpmn").read_text().replace(FORM, FORM + KAZAKH, 1)
    files = [("file", ("reporter.bpmn", xml.encode(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json"))
              for f in ("fixture-report.json", "fixture-ack.json")]
    assert owner.post("/process-models", files=files).status_code == 201
    police = make_user("inspector", "police", "staff")
    make_user("kazakh", "police", "staff")
    for name in ("inspector", "kazakh"):
        _set_mail(app, name, f"{name}@example.kz")
    _language(app, "kazakh", "kk")
    police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    assert _send(app, smtp.url) == 2
    by = {m["to"][0].split("@")[0]: m for m in smtp.mails}
    assert "Тапсырма: Жағдайды сипаттау." in by["kazakh"]["body"]
    assert "Задача: Описать случай." in by["inspector"]["body"]
