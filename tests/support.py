"""Helpers shared by the test modules (import from here, not from a conftest: sibling conftest
modules share the module name `conftest`, so `from support import ...` picks whichever loaded last)."""
from __future__ import annotations

import re
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


class Api:
    """A user's HTTP client for /api/v1 with their bearer token."""

    def __init__(self, base: str, token: str, username: str):
        self.base, self.username = base + "/api/v1", username
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, **kw):
        return self.http.get(self.base + path, timeout=30, **kw)

    def post(self, path, **kw):
        return self.http.post(self.base + path, timeout=30, **kw)

    def put(self, path, **kw):
        return self.http.put(self.base + path, timeout=30, **kw)



def deploy_fixture(api: Api, name: str, forms=("fixture-report.json", "fixture-ack.json")):
    files = [("file", (f"{name}.bpmn", (FIXTURES / "bpmn" / f"{name}.bpmn").read_bytes(), "application/xml"))]
    files += [("forms", (f, (FIXTURES / "forms" / f).read_bytes(), "application/json")) for f in forms]
    return api.post("/process-models", files=files)


def at(text: str):
    """An instant from ISO 8601 text (scenarios speak in local Almaty times)."""
    from datetime import datetime
    return datetime.fromisoformat(text)


def signed_in(server: str, username: str, password: str) -> requests.Session:
    """A browser-like session signed in through the login page, CSRF token and all."""
    s = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', s.get(server + "/login").text).group(1)
    r = s.post(server + "/login", data={"username": username, "password": password, "csrf_token": token},
               allow_redirects=False)
    assert r.status_code == 302, r.text[:300]
    return s
