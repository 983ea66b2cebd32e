"""The UI speaks Kazakh, Russian or English. The header's switch offers Қаз, Рус and Eng; a signed-in user's
choice is kept on their user (so a new browser, and their e-mails, follow it); anonymous pages use this
browser's choice or what it asks for; the API answers in the Accept-Language of its caller."""
from __future__ import annotations

import requests

from tests.pages.test_pages_http import PASSWORD, _csrf, _signed_in


def _language_of(app, username):
    from app.extensions import db
    from app.users.models import User
    with app.app_context():
        try:
            return db.session.query(User).filter_by(username=username).one().language
        finally:
            db.session.remove()


def _switch(s, server, lang, page):
    html = s.get(server + page).text
    return s.post(server + "/lang", data={"lang": lang, "next": page, "csrf_token": _csrf(html)})


def test_the_header_offers_three_languages_and_kazakh_turns_the_pages_kazakh(make_user, server):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "inspector")
    html = s.get(server + "/inbox").text
    assert 'value="kk" lang="kk"' in html and ">Қаз</button>" in html and ">Рус</button>" in html
    assert ">Eng</button>" in html and 'lang="ru"' in html
    r = _switch(s, server, "kk", "/inbox")
    assert r.status_code == 200 and '<html lang="kk">' in r.text
    assert "Кіріс тапсырмалар" in r.text and "Входящие задачи" not in r.text
    assert "Ішкі істер органдары (ІІО)" in r.text                  # the user's agency, in Kazakh
    assert "Шығу" in r.text and "Выйти" not in r.text


def test_the_choice_is_kept_on_the_user_and_follows_them_to_another_browser(app, make_user, server):
    make_user("inspector", "police", "staff", password=PASSWORD)
    assert _language_of(app, "inspector") is None
    _switch(_signed_in(server, "inspector"), server, "kk", "/inbox")
    assert _language_of(app, "inspector") == "kk"
    other_browser = _signed_in(server, "inspector")                  # no cookie of the first one
    assert "Кіріс тапсырмалар" in other_browser.get(server + "/inbox").text
    _switch(other_browser, server, "en", "/inbox")
    assert _language_of(app, "inspector") == "en"
    assert "Inbox" in other_browser.get(server + "/account").text


def test_a_language_left_in_the_browser_does_not_overwrite_the_next_user_s(app, make_user, server):
    make_user("first", "police", "staff", password=PASSWORD)
    make_user("second", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "second")
    _switch(s, server, "kk", "/inbox")
    s.post(server + "/logout", data={"csrf_token": _csrf(s.get(server + "/inbox").text)})
    s.cookies.clear()
    s = _signed_in(server, "first")
    _switch(s, server, "en", "/inbox")                                # first: English, on this browser
    s.post(server + "/logout", data={"csrf_token": _csrf(s.get(server + "/inbox").text)})
    assert "Sign in" in s.get(server + "/login").text                 # the login page keeps the browser's choice
    token = _csrf(s.get(server + "/login").text)
    s.post(server + "/login", data={"username": "second", "password": PASSWORD, "csrf_token": token})
    assert "Кіріс тапсырмалар" in s.get(server + "/inbox").text        # second's own language, not first's
    assert _language_of(app, "second") == "kk"


def test_a_language_chosen_on_the_sign_in_page_becomes_the_user_s(app, make_user, server):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = requests.Session()
    r = _switch(s, server, "kk", "/login")
    assert "Кіру" in r.text and "Пайдаланушы аты" in r.text and "Имя пользователя" not in r.text
    token = _csrf(r.text)
    s.post(server + "/login", data={"username": "inspector", "password": PASSWORD, "csrf_token": token})
    assert _language_of(app, "inspector") == "kk"
    assert "Кіріс тапсырмалар" in s.get(server + "/inbox").text


def test_anonymous_pages_follow_accept_language_and_russian_is_the_default(server):
    assert "Войти" in requests.get(server + "/login").text
    assert "Кіру" in requests.get(server + "/login", headers={"Accept-Language": "kk-KZ,kk;q=0.9,ru;q=0.8"}).text
    assert "Sign in" in requests.get(server + "/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert "Войти" in requests.get(server + "/login", headers={"Accept-Language": "de-DE"}).text


def test_the_api_and_its_domain_words_follow_the_callers_accept_language(app):
    from app import territories
    from app.agencies import agency_title
    from app.i18n import current_language
    for header, lang in (("kk-KZ,kk;q=0.9", "kk"), ("en-US,en;q=0.8", "en"), ("ru", "ru"), ("fr", "ru"), (None, "ru")):
        with app.test_request_context("/api/v1/tasks", headers={"Accept-Language": header} if header else {}):
            assert current_language() == lang
    with app.test_request_context("/api/v1/cases/x", headers={"Accept-Language": "kk"}):
        assert territories.full_name("196200000").startswith("Талғар ауданы")
        assert agency_title("police") == "Ішкі істер органдары (ІІО)"
    with app.test_request_context("/api/v1/cases/x"):
        assert territories.full_name("196200000").startswith("Талгарский район")


def test_an_api_call_without_accept_language_gets_its_user_s_language(app):
    from types import SimpleNamespace

    from flask import g

    from app.i18n import current_language
    with app.test_request_context("/api/v1/tasks"):
        g.user = SimpleNamespace(language="kk")
        assert current_language() == "kk"
    with app.test_request_context("/api/v1/tasks", headers={"Accept-Language": "en"}):
        g.user = SimpleNamespace(language="kk")
        assert current_language() == "en"                          # the header wins


def test_an_admin_can_create_a_user_who_works_in_kazakh_from_the_start(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "aigerim", "--agency", "police", "--language", "kk"])
    assert result.exit_code == 0, result.output
    assert _language_of(app, "aigerim") == "kk"
    refused = runner.invoke(args=["users", "create", "other", "--agency", "police", "--language", "de"])
    assert refused.exit_code != 0 and "language" in refused.output.lower()
