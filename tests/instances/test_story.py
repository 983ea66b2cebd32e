"""The case's story as people read it (app/instances/story.py): plain functions over events and element metadata,
tested without a database or a request."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from app.instances.story import Chapter, duties, reported, timeline

T0 = datetime(2026, 12, 1, 4, 0, tzinfo=timezone.utc)            # 09:00 in Almaty
SCHOOL, POLICE = "Организация образования", "Органы внутренних дел (ОВД)"
CH1 = Chapter(name="Глава 1. Выявление", elements={
    "register": {"id": "register", "type": "userTask", "name": "Зарегистрировать обращение", "lane": SCHOOL,
                 "form": "ch1-registration.schema.json"},
    "deadline_register": {"id": "deadline_register", "type": "boundaryEvent", "name": "Незамедлительно",
                          "lane": SCHOOL, "attached_to": "register", "timer": "ack_deadline(received_at)"},
    "late_signs_merge": {"id": "late_signs_merge", "type": "exclusiveGateway", "name": None, "lane": SCHOOL},
    "emergency_check": {"id": "emergency_check", "type": "exclusiveGateway", "name": "ЧП в сфере образования?",
                        "lane": SCHOOL},
    "notify_police": {"id": "notify_police", "type": "intermediateThrowEvent", "name": "Сообщение направлено в ОВД",
                      "lane": SCHOOL, "message": "police_notified", "throws": True},
    "no_emergency": {"id": "no_emergency", "type": "endEvent", "name": "ЧП нет", "lane": SCHOOL},
    "unnamed_task": {"id": "unnamed_task", "type": "userTask", "name": None, "lane": SCHOOL},
})
CH4 = Chapter(name="Глава 4. Действия ОВД", elements={
    "notice_received": {"id": "notice_received", "type": "startEvent", "name": "Поступило сообщение о насилии",
                        "lane": POLICE, "message": "police_notified"},
    "ack_notice": {"id": "ack_notice", "type": "userTask", "name": "Подтвердить получение уведомления",
                   "lane": POLICE, "form": "ack.schema.json"},
    "deadline_ack_notice": {"id": "deadline_ack_notice", "type": "boundaryEvent", "name": "Незамедлительно",
                            "lane": POLICE, "attached_to": "ack_notice", "timer": "ack_deadline(now)"},
    "escalate_ack_notice": {"id": "escalate_ack_notice", "type": "userTask", "lane": POLICE,
                            "name": "Контроль руководителя: не подтверждено уведомление", "required_role": "supervisor"},
    "review_report": {"id": "review_report", "type": "userTask", "name": "Рассмотреть и зарегистрировать сообщение",
                      "lane": POLICE},
})
CHAPTERS = {"i1": CH1, "i4": CH4}


def _names():
    return {(iid, eid): el["name"] or eid for iid, ch in CHAPTERS.items() for eid, el in ch.elements.items()}


_seq: dict[str, int] = {}


def ev(instance, type_, minutes=0, bpmn_id=None, actor="system", task_id=None, data=None):
    _seq[instance] = _seq.get(instance, 0) + 1
    lane = (CHAPTERS[instance].elements.get(bpmn_id or "") or {}).get("lane")
    return SimpleNamespace(instance_id=instance, seq=_seq[instance], type=type_, at=T0 + timedelta(minutes=minutes),
                           actor=actor, bpmn_id=bpmn_id, task_id=task_id, lane=lane, data=data or {})


def _story(events, lang="ru", **kw):
    return timeline(events, chapters=CHAPTERS, names=_names(), lang=lang, **kw)


def test_a_person_reads_the_steps_taken_and_the_notices_never_gateways_timers_or_element_ids():
    events = [
        ev("i1", "instance_started", 0, actor="pedagogue"),
        ev("i1", "task_ready", 0, "register", "pedagogue", task_id="t1"),
        ev("i1", "task_completed", 1, "register", "pedagogue", task_id="t1"),
        ev("i1", "task_cancelled", 1, "deadline_register", "pedagogue"),          # the timer disarmed
        ev("i1", "activity_completed", 1, "late_signs_merge", "pedagogue"),
        ev("i1", "activity_completed", 1, "emergency_check", "pedagogue"),
        ev("i1", "activity_completed", 1, "notify_police", "pedagogue"),
        ev("i1", "activity_completed", 1, "no_emergency", "pedagogue"),
        ev("i1", "message_sent", 1, actor="pedagogue", data={"name": "police_notified", "payload": {}}),
        ev("i4", "message_delivered", 5, data={"name": "police_notified", "payload": {"notified_by": "education_org"}}),
        ev("i4", "instance_started", 5),
        ev("i4", "message_received", 5, "notice_received", data={"name": "police_notified"}),
        ev("i4", "task_ready", 5, "ack_notice", task_id="t2"),
        ev("i4", "task_completed", 20, "ack_notice", "inspector", task_id="t2"),
        ev("i4", "task_claimed", 25, "review_report", "inspector", task_id="t3"),
    ]
    lines = _story(events, task_orgs={"t1": "talgar.school"}, units={"talgar.school": "Школа-гимназия № 12"},
                   people={"pedagogue": "Ахметова Г. С."})
    assert [line.text for line in lines] == [
        "Начата работа: Глава 1. Выявление",
        "Выполнено: Зарегистрировать обращение",
        "Отправлено уведомление: Сообщение направлено в ОВД",
        "Уведомление доставлено: Поступило сообщение о насилии",
        "Получение уведомления подтверждено",
        "Взято в работу: Рассмотреть и зарегистрировать сообщение",
    ]
    done = lines[1]
    assert (done.who, done.organisation, done.agency) == ("Ахметова Г. С.", "Школа-гимназия № 12",
                                                          "Организация образования")
    assert lines[2].agency == "Организация образования"                    # the sender's lane
    delivered = lines[3]
    assert delivered.who is None and delivered.agency == "Органы внутренних дел (ОВД)"
    assert delivered.detail == "отправитель: Организация образования"
    assert lines[4].who == "inspector" and lines[4].kind == "acknowledged"
    told = " ".join(f"{line.text} {line.detail or ''}" for line in lines)
    for internal in ("late_signs_merge", "emergency_check", "ЧП", "Незамедлительно", "notify_police", "ack_notice"):
        assert internal not in told


def test_missed_deadlines_and_escalations_stand_out_and_new_ordinary_tasks_are_left_to_the_duties():
    events = [ev("i4", "task_ready", 0, "ack_notice", task_id="t2"),
              ev("i4", "timer_fired", 61, "deadline_ack_notice"),
              ev("i4", "overdue", 61, "ack_notice", task_id="t2", data={"timer": "deadline_ack_notice"}),
              ev("i4", "task_ready", 61, "escalate_ack_notice", task_id="t9"),
              ev("i4", "task_cancelled", 90, "escalate_ack_notice", "inspector", task_id="t9")]
    lines = _story(events)
    assert [(line.text, line.tone) for line in lines] == [
        ("Пропущен срок: Подтвердить получение уведомления", "late"),
        ("Передано руководителю: Контроль руководителя: не подтверждено уведомление", "warn"),
        ("Больше не требуется: Контроль руководителя: не подтверждено уведомление", None)]


def test_documents_handovers_and_links_are_told_and_a_change_written_in_every_chapter_is_told_once():
    events = [ev("i1", "document_attached", 1, actor="pedagogue", data={"document_id": "d1", "sha256": "ab"}),
              ev("i1", "residence_changed", 2, actor="chief", data={"from": "196200000", "to": "195200000"}),
              ev("i4", "residence_changed", 2, actor="chief", data={"from": "196200000", "to": "195200000"}),
              ev("i4", "case_transferred", 2, "review_report", "chief", task_id="t3",
                 data={"from": "talgar.police", "to": "karasay.police", "reason": "переехали"}),
              ev("i1", "case_linked", 3, actor="chief", data={"case": "2026-000007"})]
    units = {"talgar.police": "ОП Талгарского района", "karasay.police": "ОП Карасайского района"}
    lines = _story(events, documents={"d1": "акт обследования.pdf"}, units=units)
    assert [line.text for line in lines] == [
        "Приложен документ: акт обследования.pdf",
        "Изменено место проживания ребёнка",
        "Работа по делу передана другой организации: Рассмотреть и зарегистрировать сообщение",
        "Связано с другим делом ребёнка: 2026-000007"]
    assert lines[0].document_id == "d1"
    assert (lines[2].organisation, lines[2].detail) == ("ОП Талгарского района", "кому: ОП Карасайского района")
    # a reader who may not see file names (people name files after the child) reads only that one came
    assert _story(events[:1])[0].text == "Приложен документ"


def test_the_story_is_worded_in_the_readers_language_and_an_unnamed_step_is_never_shown_by_its_id():
    events = [ev("i1", "task_completed", 1, "register", "pedagogue", task_id="t1"),
              ev("i1", "task_completed", 2, "unnamed_task", "pedagogue", task_id="t5")]
    assert [line.text for line in _story(events, lang="kk")] == ["Орындалды: Зарегистрировать обращение",
                                                                 "Қадам орындалды"]
    assert [line.text for line in _story(events, lang="en")] == ["Done: Зарегистрировать обращение", "A step was done"]
    assert "unnamed_task" not in " ".join(line.text for line in _story(events))


def _task(**kw):
    base = dict(id="t", instance_id="i4", bpmn_id="review_report", name="Рассмотреть", agency="police",
                organisation=None, form=None, required_role=None, due_at=None, overdue_since=None, state="ready",
                completed_at=None, claimed_by=None)
    return SimpleNamespace(**{**base, **kw})


def test_duties_say_who_must_act_by_when_the_late_first():
    now = T0 + timedelta(hours=2)
    review = _task(id="a", due_at=None)
    mio = _task(id="b", instance_id="i1", bpmn_id="register", agency="local_executive", organisation="talgar.mio",
                due_at=T0 + timedelta(days=2))
    ack = _task(id="c", bpmn_id="ack_notice", agency="kdnzp", form="ack.schema.json", due_at=T0 + timedelta(hours=1))
    escalation = _task(id="d", bpmn_id="escalate_ack_notice", required_role="supervisor", overdue_since=None)
    rows = duties([review, mio, ack, escalation], now=now, names=_names(), units={"talgar.mio": "Акимат Талгара"})
    assert [d.task.id for d in rows] == ["c", "b", "a", "d"]
    first = rows[0]
    assert (first.late, first.kind, first.agency) == (True, "notice", "Комиссия по делам несовершеннолетних и защите их прав (КДНЗП)")
    assert (rows[1].late, rows[1].organisation, rows[1].step) == (False, "Акимат Талгара", "Зарегистрировать обращение")
    assert rows[3].kind == "escalation" and rows[2].kind == "task" and not rows[2].late
    unnamed = _task(id="e", instance_id="i1", bpmn_id="unnamed_task", name=None)
    assert duties([unnamed], now=now, names=_names(), units={})[0].step is None      # never its id


def test_what_was_reported_is_masked_for_a_reader_who_may_not_see_the_child():
    data = {"received_at": "2026-12-01T09:00:00+05:00", "case_summary": "Синяки  на руках", "event_place": "Школа",
            "reporter": {"anonymous": False, "full_name": "Классный руководитель", "relation_to_child": "учитель"}}
    shown = reported(data, visible=True)
    assert (shown.summary, shown.place, shown.reporter, shown.reporter_relation, shown.masked) == (
        "Синяки на руках", "Школа", "Классный руководитель", "учитель", False)
    hidden = reported(data, visible=False)
    assert hidden.masked and hidden.received_at == "2026-12-01T09:00:00+05:00"
    assert (hidden.summary, hidden.place, hidden.reporter) == (None, None, None)
    anonymous = reported({**data, "reporter": {"anonymous": True, "full_name": "Не скажу"}}, visible=True)
    assert anonymous.anonymous and anonymous.reporter is None
