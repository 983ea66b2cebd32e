"""Field work where the connection drops (issue 13 §4): a page opened offline is the service worker's own page in the
person's language — «Нет связи с сервером…», the drafts of open forms are kept, «Повторить» — not the browser's error;
back online the real page returns. The worker's cache holds static files and that one page only (nothing of a case,
though a case's form was opened), and signing out leaves no cache and no worker behind."""
from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from pagetools import PASSWORD, sign_in
from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"
SUMMARY = "Дома холодно, ребёнок один"

CACHED = """() => caches.keys().then(names => Promise.all(names.map(name =>
  caches.open(name).then(c => c.keys()).then(reqs => [name, reqs.map(r => new URL(r.url).pathname)]))))"""
READY = """lang => Promise.all([navigator.serviceWorker.getRegistration(), caches.keys()])
  .then(([r, names]) => !!(r && r.active && r.active.state === 'activated' && r.active.scriptURL.endsWith('lang=' + lang)
                           && names.length === 1 && names[0].endsWith('-' + lang)))"""
LEFT = """() => Promise.all([caches.keys(), navigator.serviceWorker.getRegistrations()])
  .then(([names, regs]) => [names, regs.length])"""


def _worker_ready(page, lang, timeout=15):
    """Until this language's worker is active and the cache it replaced is gone (the page may see the worker
    "activated" a moment before its activate handler has dropped the old cache). Polled here: wait_for_function
    takes a returned promise for a truthy value without awaiting it."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(READY, lang):
        assert time.monotonic() < deadline, f"no active {lang} service worker: {page.evaluate(CACHED)}"
        page.wait_for_timeout(100)


def _only_static(page, lang):
    caches = page.evaluate(CACHED)
    assert len(caches) == 1, caches                             # one versioned cache: older ones were dropped
    name, paths = caches[0]
    assert re.fullmatch(rf"qamqor-static-[0-9a-f]{{16}}-{lang}", name)
    assert f"/offline/{lang}" in paths and "/static/css/qamqor.css" in paths and "/static/js/offline.js" in paths
    assert all(p.startswith("/static/") or p == f"/offline/{lang}" for p in paths), paths
    return paths


def test_a_page_opened_offline_says_so_keeps_nothing_of_a_case_and_returns_online(owner, make_user, new_page):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    started = police.post("/process-instances", json={"process_id": "reporter", "data": {"received_at": RECEIVED}})
    task = police.get("/tasks", params={"instance": started.json()["id"]}).json()["items"][0]
    police.put(f"/tasks/{task['id']}/draft", json={"data": {"summary": SUMMARY}})

    page = new_page()
    sign_in(page, "inspector")
    _worker_ready(page, "ru")
    page.goto(f"/tasks/{task['id']}")                          # a page of a case, through the worker
    expect(page.get_by_label("Кратко")).to_have_value(SUMMARY)
    _only_static(page, "ru")

    page.context.set_offline(True)
    page.goto("/inbox")
    expect(page.get_by_role("heading", name="Нет связи")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Нет связи с сервером: эту страницу сейчас нельзя открыть.")
    expect(page.locator("main")).to_contain_text("сохраняет введённое на этом устройстве")
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
    _only_static(page, "ru")

    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_label("Пароль")).to_be_visible()
    assert page.evaluate(LEFT) == [[], 0]                      # Clear-Site-Data: no cache, no worker


def test_the_offline_page_is_in_kazakh_for_a_kazakh_user(make_user, new_page):
    make_user("tergeushi", "police", "staff", password=PASSWORD)
    page = new_page()
    sign_in(page, "tergeushi")
    page.get_by_role("button", name="Қаз").click()             # the user's language: the worker is installed again
    _worker_ready(page, "kk")
    paths = _only_static(page, "kk")
    assert "/offline/ru" not in paths

    page.context.set_offline(True)
    page.goto("/inbox")
    expect(page.get_by_role("heading", name="Байланыс жоқ")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Сервермен байланыс жоқ")
    expect(page.get_by_role("link", name="Қайталау")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "kk"
