"""Task instructions fill placeholders from the task's data and run no expressions."""
import re
import time
from pathlib import Path

from lxml import etree

from app.pages.instructions import fill_placeholders, render_instructions

ROOT = Path(__file__).resolve().parent.parent.parent


def test_placeholders_take_names_and_dotted_keys_from_the_data_escaped():
    data = {"registration_number": "KZ-17", "child": {"last_name": "<b>Иванов</b>"}, "items": ["a", "b"]}
    text = "Дело {{ registration_number }}: {{child.last_name}}, {{ items.1 }}, [{{ missing }}] [{{ child.x }}]"
    assert fill_placeholders(text, data) == "Дело KZ-17: &lt;b&gt;Иванов&lt;/b&gt;, b, [] []"
    html = render_instructions("**{{ child.last_name }}**", data)
    assert html == "<p><strong>&lt;b&gt;Иванов&lt;/b&gt;</strong></p>"      # shown, never markup


def test_expressions_and_statements_are_shown_as_written_not_run():
    hostile = '{{("ab"*10**9)|length}} {% for i in range(10**9) %}x{% endfor %} {{ "".__class__ }}'
    began = time.monotonic()
    html = render_instructions(hostile, {})
    assert time.monotonic() - began < 1.0                 # took 4 s and 2 GB with Jinja, on every page view
    assert '{{("ab"*10' in html and "|length}}" in html and "{% endfor %}" in html and "xxxx" not in html


def test_the_guides_instructions_use_only_plain_placeholders():
    placeholder = re.compile(r"\{\{(.*?)\}\}|\{%|\{#")
    seen = set()
    for path in sorted((ROOT / "processes").glob("*.bpmn")):
        for element in etree.parse(str(path)).iter("{*}instructionsForEndUser"):
            for match in placeholder.finditer(element.text or ""):
                assert match.group(1) is not None, (path.name, match.group(0))
                seen.add(match.group(1).strip())
                assert fill_placeholders(match.group(0), {}) == "", (path.name, match.group(0))
    assert {"registration_number", "clause"} <= seen


def test_dates_in_instructions_are_shown_as_people_write_them():
    from app.pages.instructions import fill_placeholders
    data = {"received_at": "2026-12-02T03:55:00+00:00", "birth": "2015-03-12", "note": "2026-13-45 is no date"}
    assert fill_placeholders("{{ received_at }} / {{ birth }}", data) == "02.12.2026, 08:55 / 12.03.2015"
    assert fill_placeholders("{{ note }}", data) == "2026-13-45 is no date"


def test_a_notice_is_from_the_agency_as_russian_says_it_after_ot(app):
    """«Поступило уведомление … от организации образования», not «от Организация образования»; Kazakh and English
    instructions name the sender plainly in their own language (not the Russian name)."""
    from app.agencies import AGENCIES, agency_sender
    from app.pages.instructions import fill_placeholders
    from app.pages.tasks import _facts

    class Instance:
        data = {"notified_by": "education_org", "notified_by_name": "Организация образования"}
    text = "Поступило уведомление от **{{ notified_by_name }}**."
    assert agency_sender("education_org", "ru") == "организации образования"
    assert agency_sender("police", "ru") == "органов внутренних дел (ОВД)"
    assert agency_sender("education_org", "kk") == "Білім беру ұйымы" and agency_sender("police", "en") == "Police"
    assert all(agency_sender(a.code, "ru") for a in AGENCIES)
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert fill_placeholders(text, _facts(Instance(), {})) == "Поступило уведомление от **организации образования**."
    with app.test_request_context(headers={"Accept-Language": "kk"}):
        assert _facts(Instance(), {})["notified_by_name"] == "Білім беру ұйымы"


def test_the_task_page_opens_each_clause_to_its_text(app, make_user, server):
    """«P6, P1, P2, P3, P4.c»: each code a disclosure (<details>) that opens to the Guide's words of the clause
    (processes/guide.yaml); not a hover title, which a phone cannot reach."""
    import html
    import re

    from app.extensions import db
    from app.registry.service import deploy
    from support import signed_in
    with app.app_context():
        deploy(db.session, bpmn=(ROOT / "processes" / "ch1-identification.bpmn").read_bytes(), forms={},
               forms_dir=str(ROOT / "forms"), deployed_by="test")
        db.session.remove()
    make_user("pedagogue", "education_org", "staff", password="instructions-password")
    s = signed_in(server, "pedagogue", "instructions-password")
    question = s.get(server + "/reports/new").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', question).group(1)
    page = s.post(server + "/reports", data={"csrf_token": token}).text
    titles = dict((code, html.unescape(text)) for code, text in re.findall(
        r'<details class="clause"><summary>([^<]+)</summary><span class="clause__text" lang="ru">([^<]+)</span></details>', page))
    assert {"P6", "P4.c"} <= set(titles), page
    assert titles["P6"].startswith("Получивший информацию орган (организация) регистрирует обращение"), titles
    assert "<abbr title=" not in page
