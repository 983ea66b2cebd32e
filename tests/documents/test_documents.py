"""Files attached to a case or a task over HTTP: recognised by content, kept outside the database under the
directory set, their SHA-256 in the case's hash-chained log, photos without their GPS tags, downloads only
for those who may see the case and each one in the access log."""
from __future__ import annotations

import hashlib
import io
import re
import zipfile

import requests
from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "documents-test-password"      # the inspector's (conftest.py: `case`)


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (40, 30), (200, 50, 50))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"                          # Make
    exif[0x8825] = {1: "N", 2: (51.0, 10.0, 0.0)}        # GPSInfo: latitude
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _docx() -> bytes:
    from docx import Document
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


def test_a_pdf_attached_to_a_case_is_listed_downloaded_and_its_hash_is_in_the_chained_log(case, make_user,
                                                                                          documents_dir):
    police, started = case
    r = police.post(f"/cases/{started['case_id']}/documents",
                    files={"file": ("акт осмотра.pdf", PDF, "application/octet-stream")})
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["content_type"] == "application/pdf" and doc["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert doc["filename"] == "акт осмотра.pdf" and doc["size"] == len(PDF)
    assert [d["id"] for d in police.get(f"/cases/{started['case_id']}/documents").json()["items"]] == [doc["id"]]

    got = police.get(f"/documents/{doc['id']}")
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["Content-Type"] == "application/pdf" and "attachment" in got.headers["Content-Disposition"]

    events = police.get(f"/process-instances/{started['id']}/events").json()["items"]
    attached = [e for e in events if e["type"] == "document_attached"]
    assert len(attached) == 1 and attached[0]["data"]["sha256"] == doc["sha256"]
    assert "акт" not in str(attached[0])                  # the file's name stays out of the log
    auditor = make_user("reader", None, "auditor")
    verdict = auditor.get(f"/process-instances/{started['id']}/verification").json()
    assert verdict["ok"] is True, verdict["first_fault"]      # the note keeps the chain and re-execution intact


def test_files_are_stored_in_the_directory_set(app, case, tmp_path, monkeypatch):
    chosen = tmp_path / "chosen"                  # QAMQOR_DOCUMENTS_DIR, another than the fixtures' own
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(chosen))
    police, started = case
    doc = police.post(f"/cases/{started['case_id']}/documents", files={"file": ("x.docx", _docx())}).json()
    stored = [p for p in chosen.rglob("*") if p.is_file()]
    assert len(stored) == 1 and hashlib.sha256(stored[0].read_bytes()).hexdigest() == doc["sha256"]
    assert "x.docx" not in str(stored[0])                  # named by a random key, not the upload's name


def test_what_a_file_is_comes_from_its_content_not_its_name(case):
    police, started = case
    url = f"/cases/{started['case_id']}/documents"
    fake = police.post(url, files={"file": ("scan.pdf", b"MZ\x90\x00 an executable", "application/pdf")})
    assert fake.status_code == 422 and fake.json()["errors"][0]["field"] == "file"
    zip_not_docx = io.BytesIO()
    with zipfile.ZipFile(zip_not_docx, "w") as z:
        z.writestr("payload.txt", "x")
    assert police.post(url, files={"file": ("letter.docx", zip_not_docx.getvalue())}).status_code == 422
    named_wrong = police.post(url, files={"file": ("photo.txt", PDF)})
    assert named_wrong.status_code == 201 and named_wrong.json()["filename"] == "photo.pdf"
    assert police.post(url, data={"nofile": "1"}).status_code == 422


def test_a_file_over_the_limit_is_refused_with_413(app, case, monkeypatch):
    police, started = case
    monkeypatch.setitem(app.config, "DOCUMENT_MAX_BYTES", 100)
    r = police.post(f"/cases/{started['case_id']}/documents", files={"file": ("big.pdf", PDF + b"0" * 100)})
    assert r.status_code == 413 and r.headers["Content-Type"].startswith("application/problem+json")
    assert police.post(f"/cases/{started['case_id']}/documents", files={"file": ("ok.pdf", PDF)}).status_code == 201


def test_a_photo_is_stored_without_its_gps_and_camera_tags(case):
    police, started = case
    photo = _jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get(0x8825) is not None
    task_id = police.get("/tasks").json()["items"][0]["id"]
    r = police.post(f"/tasks/{task_id}/documents", files={"file": ("IMG_0001.JPG", photo)})
    assert r.status_code == 201 and r.json()["task_id"] == task_id
    stored = police.get(f"/documents/{r.json()['id']}").content
    assert stored != photo and hashlib.sha256(stored).hexdigest() == r.json()["sha256"]
    exif = Image.open(io.BytesIO(stored)).getexif()
    assert 0x8825 not in exif and 0x010F not in exif and b"PhoneMaker" not in stored
    assert Image.open(io.BytesIO(stored)).size == (40, 30)
    broken = police.post(f"/tasks/{task_id}/documents", files={"file": ("bad.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50)})
    assert broken.status_code == 422


def test_another_agency_can_neither_read_nor_attach_and_each_download_is_logged(case, make_user):
    police, started = case
    doc = police.post(f"/cases/{started['case_id']}/documents", files={"file": ("a.pdf", PDF)}).json()
    doctor = make_user("doctor", "health", "staff")
    assert doctor.get(f"/documents/{doc['id']}").status_code == 403
    assert doctor.get(f"/cases/{started['case_id']}/documents").status_code == 403
    assert doctor.post(f"/cases/{started['case_id']}/documents", files={"file": ("b.pdf", PDF)}).status_code == 403
    auditor = make_user("reader", None, "auditor")
    assert auditor.post(f"/cases/{started['case_id']}/documents", files={"file": ("b.pdf", PDF)}).status_code == 403
    assert police.get("/documents/no-such-id").status_code == 404

    police.get(f"/documents/{doc['id']}")
    log = auditor.get("/audit/access-log").json()["items"]
    downloads = [x for x in log if x["kind"] == "document"]
    assert [(x["username"], x["object_id"], x["case_id"]) for x in downloads] == [
        ("inspector", doc["id"], started["case_id"])]


def test_the_case_page_lists_documents_and_attaches_one_with_its_form(case, server):
    police, started = case
    s = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/login").text).group(1)
    s.post(server + "/login", data={"username": "inspector", "password": PASSWORD, "csrf_token": token})
    page = s.get(f"{server}/cases/{started['case_id']}").text
    assert "Документы" in page and 'name="file"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert s.post(f"{server}/cases/{started['case_id']}/documents",
                  files={"file": ("акт.pdf", PDF)}).status_code == 400                       # no CSRF token
    r = s.post(f"{server}/cases/{started['case_id']}/documents", data={"csrf_token": token},
               files={"file": ("акт.pdf", PDF)})
    assert r.status_code == 200 and "акт.pdf" in r.text and hashlib.sha256(PDF).hexdigest() in r.text
    link = re.search(r'href="(/documents/[^"]+)"', r.text).group(1)
    assert s.get(server + link).content == PDF
    refused = s.post(f"{server}/cases/{started['case_id']}/documents", data={"csrf_token": token},
                     files={"file": ("x.pdf", b"not a pdf")})
    assert "PDF, JPEG, PNG" in refused.text
