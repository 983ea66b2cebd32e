"""Documents in an S3-compatible bucket (``QAMQOR_DOCUMENTS_URL=s3://bucket/prefix``), tested against a real
S3 HTTP endpoint the test starts (moto's server): uploaded and downloaded through the API with the hash
checked, encrypted at rest when asked; a missing bucket or an unreachable endpoint is a 503 that leaves no
document row and no event, and a commit that fails after the file was stored removes the file."""
from __future__ import annotations

import hashlib
import re

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer
from sqlalchemy.orm.exc import StaleDataError

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "documents-test-password"      # the inspector's (conftest.py: `case`)
BUCKET = "qamqor-documents"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(app, s3_endpoint, documents_dir, monkeypatch):
    """A fresh bucket, and the service's settings pointing at it (the directory is set too, by conftest.py's
    ``documents_dir``, to see it stays empty)."""
    for name, value in (("AWS_ACCESS_KEY_ID", "qamqor-test"), ("AWS_SECRET_ACCESS_KEY", "qamqor-test-secret"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    s3.create_bucket(Bucket=BUCKET)
    monkeypatch.setitem(app.config, "DOCUMENTS_URL", f"s3://{BUCKET}/cases")
    monkeypatch.setitem(app.config, "S3_ENDPOINT", s3_endpoint)
    yield s3
    for obj in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=obj["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def _objects(s3) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _attached(police, started) -> list:
    events = police.get(f"/process-instances/{started['id']}/events").json()["items"]
    return [e for e in events if e["type"] == "document_attached"]


def test_documents_go_to_the_bucket_set_encrypted_and_come_back_with_their_hash(app, bucket, case, tmp_path,
                                                                                monkeypatch):
    monkeypatch.setitem(app.config, "S3_SSE", "AES256")
    police, started = case
    r = police.post(f"/cases/{started['case_id']}/documents", files={"file": ("акт.pdf", PDF)})
    assert r.status_code == 201, r.text
    doc = r.json()
    [key] = _objects(bucket)
    assert key.startswith("cases/") and "акт" not in key
    stored = bucket.get_object(Bucket=BUCKET, Key=key)
    assert hashlib.sha256(stored["Body"].read()).hexdigest() == doc["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert stored["ServerSideEncryption"] == "AES256"

    got = police.get(f"/documents/{doc['id']}")
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == doc["sha256"]
    assert [e["data"]["sha256"] for e in _attached(police, started)] == [doc["sha256"]]
    assert not (tmp_path / "docs").exists()                       # nothing went to the directory
    monkeypatch.setitem(app.config, "S3_ENDPOINT", "http://127.0.0.1:9")        # the store away: 503, not 500
    away = police.get(f"/documents/{doc['id']}")
    assert away.status_code == 503 and away.json()["code"] == "document_store_failed"
    monkeypatch.setitem(app.config, "S3_ENDPOINT", bucket.meta.endpoint_url)

    # an object changed in the bucket behind the service's back no longer matches the log
    bucket.put_object(Bucket=BUCKET, Key=key, Body=PDF + b"% changed\n")
    assert police.get(f"/documents/{doc['id']}").status_code == 409
    bucket.delete_object(Bucket=BUCKET, Key=key)
    missing = police.get(f"/documents/{doc['id']}")
    assert missing.status_code == 409 and missing.json()["code"] == "document_file_missing"


def test_a_kms_key_set_is_asked_for_each_document(app, bucket, case, monkeypatch):
    key_id = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    monkeypatch.setitem(app.config, "S3_SSE", "aws:kms")
    monkeypatch.setitem(app.config, "S3_SSE_KMS_KEY_ID", key_id)
    police, started = case
    assert police.post(f"/cases/{started['case_id']}/documents", files={"file": ("a.pdf", PDF)}).status_code == 201
    head = bucket.head_object(Bucket=BUCKET, Key=_objects(bucket)[0])
    assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", key_id)


@pytest.mark.parametrize("where,reason", [("missing bucket", "NoSuchBucket"), ("unreachable", "unreachable")])
def test_a_store_that_fails_is_a_503_and_leaves_no_document_row_nor_event(app, bucket, case, server, monkeypatch,
                                                                         where, reason):
    if where == "missing bucket":
        monkeypatch.setitem(app.config, "DOCUMENTS_URL", "s3://no-such-bucket/cases")
    else:
        monkeypatch.setitem(app.config, "S3_ENDPOINT", "http://127.0.0.1:9")      # discard port: refused
    police, started = case
    r = police.post(f"/cases/{started['case_id']}/documents", files={"file": ("a.pdf", PDF)})
    assert r.status_code == 503 and r.headers["Content-Type"].startswith("application/problem+json"), r.text
    assert r.json()["code"] == "document_store_failed" and r.json()["params"] == {"reason": reason}
    assert "nothing was saved" in r.json()["detail"]
    assert police.get(f"/cases/{started['case_id']}/documents").json()["items"] == []
    assert _attached(police, started) == [] and _objects(bucket) == []

    s = requests.Session()                                         # the case page says so in Russian
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/login").text).group(1)
    s.post(server + "/login", data={"username": "inspector", "password": PASSWORD, "csrf_token": token})
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(f"{server}/cases/{started['case_id']}").text).group(1)
    page = s.post(f"{server}/cases/{started['case_id']}/documents", data={"csrf_token": token},
                  files={"file": ("a.pdf", PDF)})
    assert page.status_code == 200 and "Хранилище документов недоступно" in page.text
    assert police.get(f"/cases/{started['case_id']}/documents").json()["items"] == []


def test_a_commit_that_fails_after_the_file_was_stored_removes_the_file(bucket, case, monkeypatch):
    from app.documents import service

    def case_moved_on(*args, **kwargs):
        raise StaleDataError("another step changed the instance meanwhile")
    monkeypatch.setattr(service.events, "append", case_moved_on)
    police, started = case
    r = police.post(f"/cases/{started['case_id']}/documents", files={"file": ("a.pdf", PDF)})
    assert r.status_code == 409 and r.json()["code"] == "case_moved_on"
    assert _objects(bucket) == []
    assert police.get(f"/cases/{started['case_id']}/documents").json()["items"] == []
