"""Fixtures the document tests share: documents kept in the test's own directory, and a case the police
inspector started (the ``reporter`` fixture process) to attach them to."""
from __future__ import annotations

import pytest

from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"
# The inspector's password; the modules that sign in through the login page spell the same one.
PASSWORD = "documents-test-password"


@pytest.fixture(autouse=True)
def documents_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "docs"))
    return tmp_path / "docs"


@pytest.fixture
def case(owner, make_user):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    started = police.post("/process-instances", json={"process_id": "reporter",
                                                      "data": {"received_at": RECEIVED}}).json()
    return police, started
