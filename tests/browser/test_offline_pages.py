"""Field work where the connection drops (issue 13 §4): a page opened offline is the service worker's own page in the
person's language — «Нет связи с сервером…», the drafts of open forms are kept, «Повторить» — not the browser's error;
back online the real page returns. The worker's cache holds static files and that one page only (nothing of a case,
though a case's form was opened), and signing out leaves no cache and no worker behind. A language switch installs
no new worker (the first version's did, and a navigation hung behind it: 5f8a91f): the offline page follows the
language the last signed-in page recorded."""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

from playwright.sync_api import expect

from pagetools import PASSWORD, axe_violations, sign_in
from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"
SUMMARY = "Дома холодно, ребёнок один"

CACHED = """() => caches.keys().then(names => Promise.all(names.map(name =>
  caches.open(name).then(c => c.keys()).then(reqs => [name, reqs.map(r => new URL(r.url).pathname)]))))"""
READY = """() => Promise.all([navigator.serviceWorker.getRegistration(), caches.keys()])
  .then(([r, names]) => !!(r && r.active && r.active.state === 'activated' && new URL(r.active.scriptURL).pathname
                           === '/sw.js' && !new URL(r.active.scriptURL).search && names.length === 1))"""
# after asking the browser to look for a new version: nothing installing or waiting, the same cache
UPDATED = """() => navigator.serviceWorker.getRegistration().then(r => r.update().then(() =>
  caches.keys().then(names => [!!r.installing, !!r.waiting, r.active.scriptURL, names])))"""
LEFT = """() => Promise.all([caches.keys(), navigator.serviceWorker.getRegistrations()])
  .then(([names, regs]) => [names, regs.length])"""


def _worker_ready(page, timeout=15):
    """Until the worker is active with its one cache. Polled here: wait_for_function takes a returned promise for a
    truthy value without awaiting it."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(READY):
        assert time.monotonic() < deadline, f"no active service worker: {page.evaluate(CACHED)}"
        page.wait_for_timeout(100)


def _only_static(page):
    caches = page.evaluate(CACHED)
    assert len(caches) == 1, caches                             # one versioned cache: older ones were dropped
    name, paths = caches[0]
    assert re.fullmatch(r"qamqor-offline-[0-9a-f]{16}", name)
    assert "/offline" in paths and "/static/css/qamqor.css" in paths and "/static/js/offline.js" in paths
    assert all(p.startswith("/static/") or p == "/offline" for p in paths), paths
    return name


def test_a_page_opened_offline_says_so_keeps_nothing_of_a_case_and_returns_online(owner, make_user, new_page):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    task = police.get("/tasks", params={"instance": started.json()["id"]}).json()["items"][0]
    police.put(f"/tasks/{task['id']}/draft", json={"data": {"summary": SUMMARY}})

    page = new_page()
    sign_in(page, "inspector")
    _worker_ready(page)
    page.goto(f"/tasks/{task['id']}")                          # a page of a case, through the worker
    expect(page.get_by_label("Кратко")).to_have_value(SUMMARY)
    assert page.evaluate("!!navigator.serviceWorker.controller")
    _only_static(page)

    page.context.set_offline(True)
    page.goto("/inbox")
    expect(page.get_by_role("heading", name="Нет связи")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Нет связи с сервером: эту страницу сейчас нельзя открыть.")
    expect(page.locator("main:visible")).to_contain_text("сохраняет введённое на этом устройстве")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.goto(f"/tasks/{task['id']}")
    expect(page).to_have_url(re.compile(f"/tasks/{task['id']}$"))
    expect(page.get_by_role("heading", name="Нет связи")).to_be_visible()
    assert SUMMARY not in page.content() and "inspector" not in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="Повторить").click()   # still offline: the same page, not the browser's error
    expect(page.get_by_role("heading", name="Нет связи")).to_be_visible()
    expect(page).to_have_url(re.compile(f"/tasks/{task['id']}$"))

    page.context.set_offline(False)
    with page.expect_navigation():
        page.get_by_role("link", name="Повторить").click()   # the real page is back
    expect(page.get_by_label("Кратко")).to_have_value(SUMMARY)
    _only_static(page)

    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_label("Пароль")).to_be_visible()
    assert page.evaluate(LEFT) == [[], 0]                      # Clear-Site-Data: no cache, no worker


def test_a_language_switch_installs_no_worker_and_the_offline_page_follows_it(make_user, new_page):
    make_user("tergeushi", "police", "staff", password=PASSWORD)
    page = new_page()
    sign_in(page, "tergeushi")
    _worker_ready(page)
    cache = _only_static(page)
    installed = page.evaluate(UPDATED)
    assert installed[:2] == [False, False] and installed[3] == [cache], installed

    for lang, button, heading, status, retry in (
            ("kk", "Қаз", "Байланыс жоқ", "Сервермен байланыс жоқ", "Қайталау"),
            ("en", "Eng", "No connection", "No connection to the server", "Try again"),
            ("ru", "Рус", "Нет связи", "Нет связи с сервером", "Повторить")):
        page.context.set_offline(False)
        page.goto("/inbox")
        page.get_by_role("button", name=button, exact=True).click()     # the user's language: no new worker
        expect(page.locator("html")).to_have_attribute("lang", lang)
        assert page.evaluate(UPDATED) == installed, lang                 # the same worker and cache, nothing new
        page.goto("/notifications")                                      # a navigation right after the switch
        expect(page.locator("html")).to_have_attribute("lang", lang)

        page.context.set_offline(True)
        page.goto("/inbox")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text(status)
        expect(page.get_by_role("link", name=retry)).to_be_visible()
        assert page.locator("html").get_attribute("lang") == lang
        assert page.title() == f"{heading} — Qamqor"
        assert axe_violations(page) == [], lang                       # WCAG 2.1 AA, as every staff page


WAITING = "() => navigator.serviceWorker.getRegistration().then(r => !!(r && r.waiting))"


def test_a_deploy_installs_a_new_worker_that_takes_over_once_no_page_uses_the_old(app, make_user, new_page,
                                                                                  tmp_path, monkeypatch):
    """A changed static file (a deploy) names a new cache, so the browser installs a new worker; it waits (no
    skipWaiting: the first version's worker skipped waiting, and navigations hung behind it) while pages keep
    navigating through the old one, and takes over, dropping the old cache, once no page uses the old one."""
    static = tmp_path / "static"
    for sub in ("css", "js"):
        shutil.copytree(Path(app.static_folder) / sub, static / sub)
    monkeypatch.setattr(app, "static_folder", str(static))
    make_user("tergeushi", "police", "staff", password=PASSWORD)
    page = new_page()
    sign_in(page, "tergeushi")
    _worker_ready(page)
    old = _only_static(page)

    css = static / "css" / "qamqor.css"
    css.write_text(css.read_text() + "\n/* the next release */\n")
    page.goto("/inbox")                                          # registers again: new bytes, a new worker installs
    deadline = time.monotonic() + 15
    while not page.evaluate(WAITING):
        assert time.monotonic() < deadline, "no new worker installed after the deploy"
        page.wait_for_timeout(100)
    for _ in range(3):                                           # navigations while it waits: none hangs
        page.goto("/notifications")
        page.goto("/inbox")
        expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert old in [name for name, _ in page.evaluate(CACHED)]    # the old worker still answers from its own cache

    context = page.context
    page.close()                                                 # no page uses the old worker any more
    page = context.new_page()
    page.goto("/inbox")
    _worker_ready(page)                                          # the new one active, its cache the only one
    assert _only_static(page) != old
