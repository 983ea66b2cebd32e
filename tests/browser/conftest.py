"""Browser fixtures: Debian's chromium driven by Playwright against the live test server.

Playwright's own browser download is not used: `.ci/run` installs the `chromium` package and
`make assets` copies bpmn-js into app/static/vendor/. Screenshots go to tests/artifacts/.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from pagetools import PASSWORD, ROOT

CHROMIUM = os.environ.get("QAMQOR_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install the Debian package `chromium` (.ci/run does)")
    vendor = ROOT / "app" / "static" / "vendor" / "bpmn-js" / "bpmn-navigated-viewer.production.min.js"
    if not vendor.exists():
        pytest.fail("bpmn-js is not in app/static/vendor: run `make assets` (make test does)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def new_page(browser, server):
    """Open a fresh browser profile (its own cookies) at the test server."""
    contexts = []

    def make():
        ctx = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="ru-RU")
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        return ctx.new_page()
    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def person(make_user):
    """A user with a password, for signing in through the page."""
    def make(username, agency, *roles):
        make_user(username, agency, *roles, password=PASSWORD)
        return username
    return make
