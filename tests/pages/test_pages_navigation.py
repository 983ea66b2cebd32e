"""The top navigation shows each person the links their roles open, and every link it shows opens."""
from __future__ import annotations

import re

import pytest

from tests.pages.test_pages_http import PASSWORD, _signed_in

LINKS = {"/inbox": "Входящие", "/notifications": "Уведомления", "/supervisor": "Контроль", "/modeler": "Моделирование",
         "/audit/": "Аудит", "/audit/compliance": "Соблюдение сроков", "/audit/access-log": "Журнал доступа",
         "/admin/users": "Пользователи", "/admin/organisations": "Организации", "/dashboard": "Сводка",
         "/cases": "Дела"}


def _nav(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="top__nav" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    assert nav.group(1) == "Главное меню"
    return {href: text.strip() for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(2))}


@pytest.mark.parametrize("roles, agency, shown", [
    (("staff",), "police", {"/inbox", "/notifications", "/cases"}),
    (("supervisor",), "police", {"/inbox", "/notifications", "/cases", "/supervisor", "/dashboard"}),
    (("process_owner",), None, {"/inbox", "/notifications", "/modeler"}),
    (("auditor",), None, {"/inbox", "/notifications", "/cases", "/supervisor", "/modeler", "/audit/", "/audit/compliance",
                          "/audit/access-log", "/dashboard"}),
    (("admin",), None, {"/inbox", "/notifications", "/cases", "/supervisor", "/modeler", "/audit/", "/audit/compliance",
                        "/admin/users", "/admin/organisations", "/dashboard"}),
    (("integration",), "police", {"/inbox", "/notifications"}),          # a service account: the API is its place
    (("process_owner", "auditor"), None, {"/inbox", "/notifications", "/cases", "/supervisor", "/modeler", "/audit/",
                                          "/audit/compliance", "/audit/access-log", "/dashboard"}),
    (("overseer",), "mes_committee", {"/dashboard"}),                   # the committee: counts only
])
def test_each_role_sees_the_links_it_may_open(make_user, server, roles, agency, shown):
    make_user("someone", agency, *roles, password=PASSWORD)
    s = _signed_in(server, "someone")
    links = _nav(s.get(server + "/account").text)          # a page every role opens
    assert set(links) == shown
    assert all(links[href].startswith(LINKS[href]) for href in links)
    for href in links:                      # nothing shown that would answer "you may not open this page"
        assert s.get(server + href).status_code == 200, href
    for href in set(LINKS) - shown:
        assert s.get(server + href, allow_redirects=False).status_code in (403, 404), href


def test_the_current_section_is_marked(make_user, server):
    make_user("chief", None, "process_owner", "auditor", password=PASSWORD)
    s = _signed_in(server, "chief")
    page = s.get(server + "/audit/compliance").text
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', page)
    assert current == ["/audit/compliance"]
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', s.get(server + "/modeler").text) == ["/modeler"]
