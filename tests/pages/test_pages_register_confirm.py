"""«Зарегистрировать сообщение» asks first: a stray tap opens no case; only the confirmation (with CSRF) does."""
from __future__ import annotations

import re


from support import ROOT, signed_in

PASSWORD = "confirm-test-password"


def _signed_in(server, username):
    return signed_in(server, username, PASSWORD)


def _cases(app) -> int:
    from app.extensions import db
    from app.instances.models import Case
    with app.app_context():
        try:
            return db.session.query(Case).count()
        finally:
            db.session.remove()


def test_the_register_button_asks_before_a_case_is_opened(app, make_user, server):
    from app.extensions import db
    from app.registry.service import deploy
    with app.app_context():
        deploy(db.session, bpmn=(ROOT / "processes" / "ch1-identification.bpmn").read_bytes(), forms={},
               forms_dir=str(ROOT / "forms"), deployed_by="test")
        db.session.remove()
    make_user("pedagogue", "education_org", "staff", password=PASSWORD)
    make_user("doctor", "police", "process_owner", password=PASSWORD)
    s = _signed_in(server, "pedagogue")
    inbox = s.get(server + "/inbox").text
    assert 'action="/reports/new"' in inbox and 'method="get"' in inbox
    question = s.get(server + "/reports/new")
    assert question.status_code == 200 and "Зарегистрировать новое сообщение?" in question.text
    assert _cases(app) == 0                                                   # asking opened nothing
    assert s.post(server + "/reports", allow_redirects=False).status_code == 400   # no CSRF token: refused
    token = re.search(r'name="csrf_token" value="([^"]+)"', question.text).group(1)
    done = s.post(server + "/reports", data={"csrf_token": token}, allow_redirects=False)
    assert done.status_code == 302 and _cases(app) == 1
    assert _signed_in(server, "doctor").get(server + "/reports/new").status_code == 403
