"""The court file as PDF/A over real HTTP, read back with poppler (pdftotext, pdfinfo, pdffonts, pdftoppm):
the case number on every page, Cyrillic and Kazakh names, the verdict, nothing past the page's edge."""
import re
import subprocess


from tests.audit.scenario import scenario  # noqa: F401  (fixtures)
from support import signed_in

PASSWORD = "audit-pdf-password"
KAZAKH_NAME = "Әлия Қасымқызы Нұрғалиева"          # ә қ ұ ғ
CHIEF_NAME = "Өтегенов Үмбетей Һәкімұлы Іңкәр"      # ө ү һ і ң
ORGANISATION = "УП Алмалинского района"


def _signed_in(server, username):
    return signed_in(server, username, PASSWORD)


def _name_the_police(app):
    from app.extensions import db
    from app.users.models import User
    with app.app_context():
        for username, name in (("inspector", KAZAKH_NAME), ("chief", CHIEF_NAME)):
            db.session.query(User).filter_by(username=username).one().full_name = name
        from app.organisations.models import Organisation                 # the unit is named too
        db.session.add(Organisation(code="almaty-ovd-1", agency="police", name_ru=ORGANISATION))
        db.session.query(User).filter_by(username="inspector").one().organisation = "almaty-ovd-1"
        db.session.commit()
        db.session.remove()


def _attach(app, case_id, instance_id) -> str:
    """A document row as the documents feature stores it (the bytes themselves are not needed here)."""
    import hashlib
    import uuid
    from app.documents.models import Document
    from app.extensions import db
    digest = hashlib.sha256(b"medical certificate").hexdigest()
    with app.app_context():
        db.session.add(Document(id=str(uuid.uuid4()), case_id=case_id, instance_id=instance_id, filename="справка.pdf",
                                content_type="application/pdf", size=19, sha256=digest, storage_key="k",
                                uploaded_by="inspector"))
        db.session.commit()
        db.session.remove()
    return digest


def _poppler(tool, *args) -> str:
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True, timeout=60).stdout


def test_the_court_pdf_is_pdfa_with_the_case_number_on_every_page_and_kazakh_names(scenario, make_user, server,
                                                                                    app, tmp_path):
    _name_the_police(app)
    digest = _attach(app, scenario.case_id, scenario.police_instance)
    make_user("court.clerk", None, "auditor", password=PASSWORD)
    s = _signed_in(server, "court.clerk")

    r = s.get(f"{server}/audit/cases/{scenario.case_id}/history.pdf")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF-")
    pdf = tmp_path / "case.pdf"
    pdf.write_bytes(r.content)

    text = _poppler("pdftotext", "-layout", str(pdf), "-")
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    assert len(pages) >= 3                                              # three processes, each from a new page
    for number, page in enumerate(pages, 1):
        assert f"Дело № {scenario.registration_number}" in page, number   # the header of every page
        assert f"Страница {number} / {len(pages)}" in page, number
    flat = re.sub(r"\s+", " ", _poppler("pdftotext", "-raw", str(pdf), "-"))
    assert KAZAKH_NAME in flat and CHIEF_NAME in flat and "(inspector)" in flat                 # who: the person, not only the login
    assert "(inspector), Органы внутренних дел (ОВД)" in flat              # and their agency
    assert f"(ОВД), {ORGANISATION}" in flat
    assert "синяки на руках" in flat and "Кратко: синяки на руках" in flat   # data as labelled fields
    assert "Журнал проверен" in flat and "с нарушением срока" in flat
    assert "Ни один якорь ещё не включает этот журнал" in flat
    assert "Приложенные документы" in flat and "справка.pdf" in flat
    assert digest in re.sub(r"\s", "", flat)                            # the document's hash, maybe wrapped
    assert '"summary"' not in flat and "\\u0" not in flat

    meta = _poppler("pdfinfo", "-meta", str(pdf))
    assert 'pdfaid:part="2"' in meta and 'pdfaid:conformance="U"' in meta
    fonts = _poppler("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in fonts), fonts  # embedded, Unicode

    width = float(re.search(r"Page size:\s+([\d.]+) x", _poppler("pdfinfo", str(pdf))).group(1))
    words = re.findall(r'xMax="([\d.]+)"', _poppler("pdftotext", "-bbox", str(pdf), "-"))
    assert words and max(float(x) for x in words) <= width - 20         # nothing runs past the right margin
    _poppler("pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page"))
    assert (tmp_path / "page-1.png").stat().st_size > 1000 or any(tmp_path.glob("page-*1.png"))

    log = s.get(server + "/audit/access-log?username=court.clerk").text
    assert "история для суда" in log


def test_one_instance_pdf_carries_the_kazakh_data_and_the_anchor(scenario, make_user, server, app, tmp_path):
    from app.audit.anchors import create_anchor
    from app.extensions import db
    with app.app_context():
        anchor = create_anchor(db.session).id
        db.session.remove()
    make_user("court.clerk", None, "auditor", password=PASSWORD)
    s = _signed_in(server, "court.clerk")
    page = s.get(f"{server}/audit/instances/{scenario.police_instance}/history").text
    link = re.search(r'id="pdf" href="([^"]+)"', page).group(1)           # the printable page links to its PDF
    assert f'href="/audit/cases/{scenario.case_id}/history.pdf"' in page
    r = s.get(server + link)
    assert r.status_code == 200
    (tmp_path / "one.pdf").write_bytes(r.content)
    flat = re.sub(r"\s+", " ", _poppler("pdftotext", str(tmp_path / "one.pdf"), "-"))
    assert f"совпадают с якорем № {anchor}" in flat
    assert f"Дело № {scenario.registration_number}" in flat


def test_staff_may_not_print_the_court_pdf(scenario, make_user, server):
    make_user("desk", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "desk")
    for path in (f"/audit/cases/{scenario.case_id}/history.pdf",
                 f"/audit/instances/{scenario.police_instance}/history.pdf"):
        assert s.get(server + path).status_code == 403, path
    make_user("court.clerk", None, "auditor", password=PASSWORD)
    clerk = _signed_in(server, "court.clerk")
    assert clerk.get(server + "/audit/cases/no-such-case/history.pdf").status_code == 404
    assert clerk.get(server + "/audit/instances/no-such/history.pdf").status_code == 404


def test_a_server_without_pango_says_so_instead_of_failing(scenario, make_user, server, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "weasyprint", None)       # importing it fails, as without Pango
    make_user("court.clerk", None, "auditor", password=PASSWORD)
    clerk = _signed_in(server, "court.clerk")
    r = clerk.get(f"{server}/audit/cases/{scenario.case_id}/history.pdf")
    assert r.status_code == 503 and "Pango" in r.text
    assert clerk.get(f"{server}/audit/instances/{scenario.police_instance}/history").status_code == 200
