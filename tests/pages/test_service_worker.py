"""The service worker's two addresses over real HTTP (issue 13 §4): what it is told to keep is static files and the
offline page only, and that page holds nothing of anyone; the worker itself is never cached, so a deploy reaches it."""
from __future__ import annotations

import json
import re

import pytest
import requests


def _declared(body: str, name: str):
    return json.loads(re.search(rf"var {name} = (.*);", body).group(1))


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_worker_keeps_static_files_and_its_language_offline_page_only(server, lang):
    r = requests.get(f"{server}/sw.js", params={"lang": lang})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/javascript")
    assert r.headers["Cache-Control"] == "no-store"        # checked for a new version on every visit
    static = _declared(r.text, "STATIC")
    assert "/static/css/qamqor.css" in static and "/static/js/offline.js" in static
    assert all(u.startswith("/static/") for u in static)
    assert _declared(r.text, "OFFLINE") == f"/offline/{lang}"
    assert re.fullmatch(rf"qamqor-static-[0-9a-f]{{16}}-{lang}", _declared(r.text, "CACHE"))
    page = requests.get(server + _declared(r.text, "OFFLINE"))
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert "csrf_token" not in page.text and "logout" not in page.text      # nobody's: no session, no form


def test_an_unknown_language_gets_the_russian_worker_and_no_offline_page(server):
    assert _declared(requests.get(f"{server}/sw.js", params={"lang": "xx"}).text, "OFFLINE") == "/offline/ru"
    assert requests.get(f"{server}/offline/xx").status_code == 404


def test_the_offline_page_says_there_is_no_connection_and_offers_a_retry(server):
    text = requests.get(f"{server}/offline/ru").text
    assert "Нет связи с сервером" in text and "черновик" in text and "Повторить" in text
    text = requests.get(f"{server}/offline/kk").text
    assert "Сервермен байланыс жоқ" in text and "Қайталау" in text
