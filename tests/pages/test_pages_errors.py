"""Error pages for addresses no page owns (/nowhere, a wrong method, a crash): in the page's language, with the
menu and a way back, never Werkzeug's English page; the API keeps its problem bodies."""
from __future__ import annotations

import requests

from tests.pages.test_pages_http import PASSWORD, _csrf, _signed_in


def test_an_unknown_address_is_a_russian_404_page_with_the_menu(make_user, server):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "inspector")
    for path in ("/nowhere", "/nowhere/", "/no-such-page", "/audit/no-such-report"):
        r = s.get(server + path)
        assert r.status_code == 404, path
        assert r.headers["Content-Type"].startswith("text/html")
        assert "Не найдено" in r.text and "По этому адресу ничего нет." in r.text, path
        assert "Not Found" not in r.text and 'lang="ru"' in r.text
        assert "Входящие" in r.text and 'href="/inbox"' in r.text             # the menu and the way back
    r = s.post(server + "/lang", data={"lang": "en", "next": "/nowhere", "csrf_token": _csrf(s.get(server + "/inbox").text)})
    assert r.status_code == 404 and "There is nothing at this address." in r.text and 'lang="en"' in r.text


def test_signed_out_the_404_page_offers_sign_in(server):
    r = requests.get(server + "/nowhere", timeout=10)
    assert r.status_code == 404 and "Не найдено" in r.text and 'href="/login"' in r.text


def test_a_wrong_method_is_a_page_in_russian_that_keeps_its_allow_header(make_user, server):
    make_user("inspector", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "inspector")
    r = s.delete(server + "/inbox")
    assert r.status_code == 405 and "GET" in r.headers["Allow"]
    assert "Не удалось выполнить" in r.text and "ошибка 405" in r.text


def test_the_api_still_answers_unknown_addresses_with_a_problem(make_user):
    staff = make_user("inspector", "police", "staff")
    r = staff.get("/nowhere")
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("application/problem+json")


def test_a_crash_is_a_russian_500_page(app, database_url):
    """A fresh app (routes cannot be added to the served one) with a view that fails."""
    from app import create_app
    crashing = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "PROPAGATE_EXCEPTIONS": False,
                           "SECRET_KEY": "test-secret", "FORMS_DIR": app.config["FORMS_DIR"]})

    @crashing.get("/crash")
    def crash():
        raise RuntimeError("a bug")

    r = crashing.test_client().get("/crash")
    assert r.status_code == 500 and r.mimetype == "text/html"
    text = r.get_data(as_text=True)
    assert "Что-то пошло не так" in text and "Internal Server Error" not in text and "a bug" not in text


def test_dates_at_the_ends_of_time_in_a_page_filter_are_shown_as_field_errors(make_user, server):
    make_user("chief", "police", "supervisor", password=PASSWORD)
    make_user("aud", None, "auditor", password=PASSWORD)
    chief = _signed_in(server, "chief")
    r = chief.get(server + "/supervisor?from=0001-01-01&to=9999-12-31")
    assert r.status_code == 200 and "<h1>Контроль" in r.text          # out-of-range days fall back to the last month
    auditor = _signed_in(server, "aud")
    for page in ("/audit/", "/audit/compliance", "/audit/access-log"):
        r = auditor.get(server + page + "?since=0001-01-01&until=9999-12-31")
        assert r.status_code == 200, (page, r.status_code)
        assert r.text.count("дата в виде ГГГГ-ММ-ДД") == 2, page                  # since and until, each in place
