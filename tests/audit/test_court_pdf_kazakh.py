"""The court PDF in Kazakh (issue 14 §6): a clerk who works in Kazakh prints the case, and the Kazakh text —
the service's words, the agencies' Kazakh names, a name such as «Әсел Құрманғалиқызы» — comes back out of the
PDF/A with its letters (DejaVu Sans covers ә ғ қ ң ө ұ ү һ і; the glyphs map to Unicode)."""
import re
import subprocess

from tests.audit.scenario import scenario  # noqa: F401  (fixtures)
from support import signed_in

PASSWORD = "audit-pdf-kazakh-password"
NAME = "Әсел Құрманғалиқызы"
CHIEF = "Һәкімұлы Үмбетей Өтегенов"


def _pdftotext(path) -> str:
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True,
                         timeout=60).stdout
    return re.sub(r"\s+", " ", out)


def test_a_kazakh_clerk_s_court_pdf_reads_back_in_kazakh(scenario, make_user, server, app, tmp_path):  # noqa: F811
    from app.extensions import db
    from app.users.models import User
    make_user("court.clerk", None, "auditor", password=PASSWORD)
    with app.app_context():
        db.session.query(User).filter_by(username="inspector").one().full_name = NAME
        db.session.query(User).filter_by(username="chief").one().full_name = CHIEF
        db.session.query(User).filter_by(username="court.clerk").one().language = "kk"
        db.session.commit()
        db.session.remove()
    s = signed_in(server, "court.clerk", PASSWORD)
    r = s.get(f"{server}/audit/cases/{scenario.case_id}/history.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    (tmp_path / "kk.pdf").write_bytes(r.content)
    text = _pdftotext(tmp_path / "kk.pdf")
    assert NAME in text and CHIEF in text
    assert f"№ {scenario.registration_number} іс" in text                        # every page's header, in Kazakh
    assert "Журнал тексерілді: хеш тізбегі бүтін" in text
    assert "Ішкі істер органдары (ІІО)" in text                                  # the agency's Kazakh name
    assert set("әғқңөұүһі") <= set(text.lower())
    assert "Дело №" not in text and "Журнал проверен" not in text
