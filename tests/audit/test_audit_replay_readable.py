"""Replay that people can read (over HTTP, no JavaScript): the chapter's and elements' names, the lane's
agency, the data as the forms' labelled fields with what changed marked, a jump list of every event, and
an access log that names cases by registration number."""
import re


from app.audit.replay import readable_fields
from tests.audit.scenario import scenario  # noqa: F401  (fixtures)
from support import signed_in

PASSWORD = "audit-replay-password"


def _signed_in(server, username):
    return signed_in(server, username, PASSWORD)


def _section(html: str, element_id: str) -> str:
    return re.search(rf'id="{element_id}"[^>]*>(.*?)</dl>', html, re.S).group(1)


def test_the_replay_page_shows_names_and_labelled_fields_with_the_change_marked(scenario, make_user, server):
    make_user("court.clerk", None, "auditor", password=PASSWORD)
    s = _signed_in(server, "court.clerk")
    api = scenario.auditor.get(f"/process-instances/{scenario.police_instance}/replay").json()
    timeline = api["readable"]["timeline"]
    assert [t["seq"] for t in timeline] == list(range(1, api["steps"] + 1))
    done = next(t["seq"] for t in timeline if t["type"] == "task_completed" and t["name"] == "Описать случай")

    page = s.get(f"{server}/audit/instances/{scenario.police_instance}?step={done}").text
    assert "Тестовое сообщение" in re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)       # the chapter's name
    assert re.search(r'id="event-element">Описать случай<', page)                           # not "report"
    assert re.search(r'id="event-lane">Органы внутренних дел \(ОВД\)<', page)                # not "police"
    entered = _section(page, "event-data")
    assert "<dt>Кратко</dt><dd>синяки на руках</dd>" in entered and "summary" not in entered
    data = _section(page, "data")
    assert re.search(r'class="is-added" data-change="added"><dt>Кратко</dt><dd>синяки на руках '
                     r'<mark class="change">новое</mark>', data), data
    assert 'data-change=""><dt>Сообщившее ведомство</dt><dd>police</dd>' in data   # unchanged: no mark
    options = re.findall(r'<option value="(\d+)"( selected)?>', page)
    assert len(options) == api["steps"] and (str(done), " selected") in options
    assert f"{done}. Задача выполнена: Описать случай" in page

    first = s.get(f"{server}/audit/instances/{scenario.police_instance}?step=1").text
    assert re.search(r'id="prev"[^>]*hidden', first) and not re.search(r'id="next"[^>]*hidden', first)

    # The access log names the case by its registration number and finds it by that number.
    log = s.get(f"{server}/audit/access-log?case={scenario.registration_number}").text
    assert f'class="case-number" href="/cases/{scenario.case_id}">{scenario.registration_number}</a>' in log
    assert log.count('class="case-number"') >= 1 and scenario.case_id not in re.sub(r'href="[^"]+"', "", log)


def test_a_changed_field_shows_what_it_was_and_a_removed_one_is_named():
    labels = {"note": "Примечание", "urgent": "Срочно"}
    result = readable_fields({"note": "после осмотра", "new": 1}, {"note": "до осмотра", "urgent": True}, labels)
    rows = {r["label"]: r for r in result["rows"]}
    assert rows["Примечание"]["change"] == "changed" and rows["Примечание"]["before"] == "до осмотра"
    assert rows["new"]["change"] == "added"
    assert result["removed"] == ["Срочно"]
    assert readable_fields({"note": "x"}, {"note": "x"}, labels)["rows"][0]["change"] is None
