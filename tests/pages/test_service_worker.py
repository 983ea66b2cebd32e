"""The service worker's two addresses over real HTTP (issue 13 §4): what it is told to keep is static files and the
offline page only, and that page holds nothing of anyone; the worker itself is never cached, so a deploy reaches it.
One address and the same bytes in every language (a language switch must not install a new worker: 5f8a91f), and
the offline page carries the three languages itself."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import requests


def _declared(body: str, name: str):
    return json.loads(re.search(rf"var {name} = (.*);", body).group(1))


def test_the_worker_keeps_static_files_and_the_offline_page_only(server):
    r = requests.get(f"{server}/sw.js")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/javascript")
    assert r.headers["Cache-Control"] == "no-store"        # checked for a new version on every visit
    static = _declared(r.text, "STATIC")
    assert "/static/css/qamqor.css" in static and "/static/js/offline.js" in static
    assert all(u.startswith("/static/") for u in static)
    assert _declared(r.text, "OFFLINE") == "/offline"
    assert re.fullmatch(r"qamqor-offline-[0-9a-f]{16}", _declared(r.text, "CACHE"))
    assert "skipWaiting" not in r.text and "claim(" not in r.text      # never swapped under a page in flight


def test_the_worker_is_the_same_whatever_the_language(server):
    plain = requests.get(f"{server}/sw.js").text
    assert requests.get(f"{server}/sw.js", headers={"Accept-Language": "kk"}).text == plain
    assert requests.get(f"{server}/sw.js", params={"lang": "en"}).text == plain     # the old address's query: ignored


def test_the_offline_page_says_there_is_no_connection_in_three_languages_and_nothing_of_anyone(server):
    r = requests.get(f"{server}/offline")
    assert r.status_code == 200 and '<html lang="ru">' in r.text
    assert "csrf_token" not in r.text and "logout" not in r.text         # nobody's: no session, no form
    blocks = dict(re.findall(r'<div lang="(\w+)" data-offline-lang="\1"[^>]*?( hidden)?>', r.text))
    assert blocks == {"ru": "", "kk": " hidden", "en": " hidden"}        # Russian unless the device recorded another
    assert "Нет связи с сервером" in r.text and "черновик" in r.text and "Повторить" in r.text
    assert "Сервермен байланыс жоқ" in r.text and "Қайталау" in r.text
    assert "No connection to the server" in r.text and "Try again" in r.text


def test_a_changed_static_file_names_a_new_cache(app, server, tmp_path, monkeypatch):
    """A deploy changes the worker's bytes (its cache name), so the browser installs it and the old cache goes."""
    static = tmp_path / "static"
    for sub in ("css", "js"):
        shutil.copytree(Path(app.static_folder) / sub, static / sub)
    monkeypatch.setattr(app, "static_folder", str(static))
    before = _declared(requests.get(f"{server}/sw.js").text, "CACHE")
    assert _declared(requests.get(f"{server}/sw.js").text, "CACHE") == before         # stable while nothing changes
    css = static / "css" / "qamqor.css"
    css.write_text(css.read_text() + "\n/* next release */\n")
    after = requests.get(f"{server}/sw.js").text
    assert _declared(after, "CACHE") != before and "/static/css/qamqor.css" in _declared(after, "STATIC")
