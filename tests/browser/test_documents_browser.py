"""Documents in a real browser (issue 13 Done-when: an upload and download with its hash in the log): a police
inspector attaches a PDF and a phone photo on the case page, sees each file's SHA-256, downloads them and gets
exactly those bytes (the photo re-encoded, without its GPS); an auditor finds the same hashes in the case's
hash-chained event log on the audit history page."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image
from pagetools import PASSWORD, assert_fits, screenshot, sign_in
from playwright.sync_api import expect

from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _photo_with_gps() -> bytes:
    img = Image.new("RGB", (64, 48), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 55.0, 0.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _attach(page, name, mime, data):
    page.get_by_label("Приложить документ").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    page.get_by_role("button", name="Приложить", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.locator("body")).to_contain_text(f"Документ {name} приложен.")


def _download(page, name) -> bytes:
    with page.expect_download() as got:
        page.locator("section.documents").get_by_role("link", name=name).click()
    return Path(got.value.path()).read_bytes()


def test_a_pdf_and_a_photo_attached_on_the_case_page_download_with_the_hash_the_log_holds(owner, make_user,
                                                                                         new_page, app, tmp_path,
                                                                                         monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "docs"))
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    make_user("court.auditor", None, "auditor", password=PASSWORD)
    started = police.post("/process-instances", json={"process_id": "reporter",
                                                      "data": {"received_at": RECEIVED}}).json()
    photo = _photo_with_gps()

    page = new_page()
    sign_in(page, "inspector")
    page.goto(f"/cases/{started['case_id']}")
    expect(page.locator("section.documents")).to_contain_text("Документов пока нет")
    _attach(page, "акт осмотра.pdf", "application/pdf", PDF)
    _attach(page, "IMG_0001.jpg", "image/jpeg", photo)

    rows = page.locator("section.documents tbody tr")
    expect(rows).to_have_count(2)
    shown = {rows.nth(i).locator("a").inner_text(): rows.nth(i).locator("code.hash").inner_text() for i in range(2)}
    assert shown["акт осмотра.pdf"] == hashlib.sha256(PDF).hexdigest()

    pdf = _download(page, "акт осмотра.pdf")
    assert pdf == PDF
    stored_photo = _download(page, "IMG_0001.jpg")
    assert hashlib.sha256(stored_photo).hexdigest() == shown["IMG_0001.jpg"] != hashlib.sha256(photo).hexdigest()
    assert 0x8825 not in Image.open(io.BytesIO(stored_photo)).getexif() and b"PhoneMaker" not in stored_photo
    screenshot(page, "case-documents")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("section.documents").scroll_into_view_if_needed()
    assert_fits(page, "case documents at 390 px")
    screenshot(page, "case-documents-phone")

    # the auditor reads both hashes in the case's hash-chained log, the chain intact
    audit = new_page()
    sign_in(audit, "court.auditor")
    audit.goto(f"/audit/instances/{started['id']}/history")
    expect(audit.locator("#verdict")).to_contain_text("цепочка хешей цела")
    log = audit.locator("#events")
    for sha in shown.values():
        expect(log.locator("tr", has_text=sha)).to_have_count(1)
    assert "акт осмотра" not in log.inner_text() and "IMG_0001" not in log.inner_text()   # names stay out of the log
    screenshot(audit, "case-documents-audit-log")
