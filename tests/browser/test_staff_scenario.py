"""The Guide's first hours in a real browser, on the real chapters 1 and 4 and their real forms.

A school social pedagogue registers a report (chapter 1, form ch1-registration), mistypes the
child's ИИН and sees the error beside the field with everything else kept, corrects it, ticks
"signs of an offence" so the police are told at once (P4.c), and completes the primary
information (ch1-primary-info, with a family member). The police inspector sees the notification
(chapter 4's `ack_notice`), acknowledges it, takes `review_report` from the inbox and completes
it; a doctor (another agency) gets the 403 page for that task.

The scenario runs twice: at desktop size and on a phone 360 px wide (issue 13 §4), where after every step the
page must not scroll sideways, nothing may stick out of the screen, and each button pressed must be a 44 px
tap target. The phone run saves a screenshot of each step to tests/artifacts/phone-scenario-*.png.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from pagetools import DESKTOP, PHONE, assert_fits, assert_reachable, deploy_guide, screenshot, sign_in
from playwright.sync_api import expect

VALID_IIN = "150312600124"       # a girl born 12.03.2015, check digit 4
TYPO_IIN = "150312600121"        # the same with the last digit mistyped
CHILD = "Иванова Айгерим Сериковна"


def _fill_name(group, last, first, patronymic=None):
    group.get_by_label("Фамилия").fill(last)
    group.get_by_label("Имя").fill(first)              # "Имя *": required
    if patronymic:
        group.get_by_label("Отчество (при наличии)").fill(patronymic)


class _Steps:
    """The pages at one viewport. On a phone every step is measured (no sideways scrolling, buttons within
    reach and 44 px high) and photographed; at desktop size the step's screenshot keeps its old name."""

    def __init__(self, new_page, viewport):
        self.new_page, self.viewport, self.count = new_page, viewport, 0
        self.phone = viewport["width"] < DESKTOP["width"]

    def page(self, username):
        page = self.new_page()
        page.set_viewport_size(self.viewport)
        sign_in(page, username)
        self.step(page, f"{username}-inbox")
        return page

    def step(self, page, name, desktop_name=None):
        assert_fits(page, name)
        if self.phone:
            self.count += 1
            screenshot(page, f"phone-scenario-{self.count:02d}-{name}")
        elif desktop_name:
            screenshot(page, desktop_name)

    def desktop_screenshot(self, page, name):
        """The desktop run's picture of a step already measured and photographed on the phone."""
        if not self.phone:
            screenshot(page, name)

    def press(self, page, button, name):
        """Press a button (a tap target on the phone), then check the page it leads to."""
        if self.phone:
            assert_reachable(page, button)
        button.click()
        page.wait_for_load_state("load")
        self.step(page, name)


    def tick(self, page, box):
        """Tick a box or choose a radio button; on the phone its label (the tap target) is 44 px high."""
        if self.phone:
            assert_reachable(page, page.locator(f'label[for="{box.get_attribute("id")}"]'))
        box.check()


def _complete(steps, page, name):
    steps.press(page, page.get_by_role("button", name="Завершить задачу"), name)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_school_reports_police_acknowledge_and_review_other_agency_refused(app, new_page, person, run_due,
                                                                           viewport):
    deploy_guide(app, "ch1-identification.bpmn", "ch4-police.bpmn")
    person("pedagogue", "education_org", "staff")
    person("inspector", "police", "staff")
    person("doctor", "health", "staff")

    # -- the school: one click from the inbox to the registration form -------------------------------------
    steps = _Steps(new_page, viewport)
    school = steps.page("pedagogue")
    expect(school.get_by_role("heading", name="Входящие задачи")).to_be_visible()
    steps.press(school, school.get_by_role("button", name="Зарегистрировать сообщение"), "registration-question")
    expect(school.get_by_role("heading", name="Зарегистрировать новое сообщение?")).to_be_visible()
    steps.press(school, school.get_by_role("button", name="Да, зарегистрировать"), "report-form")
    expect(school.get_by_role("heading", name="Зарегистрировать обращение")).to_be_visible()
    expect(school.locator(".flash")).to_contain_text("Сообщение зарегистрировано: дело")
    number = re.search(r"\d{4}-\d{6}", school.locator(".flash").inner_text()).group(0)
    form = school.get_by_role("form", name="Регистрация обращения о насилии в отношении ребёнка")
    # the service filled in the time of receipt (Almaty time) and the case number
    expect(form.get_by_label("Дата и время поступления информации")).not_to_have_value("")
    expect(form.locator(".field--readonly")).to_contain_text(number)

    form.get_by_label("Кем выявлен факт насилия").select_option(label="Сотрудник организации образования")
    steps.tick(school, form.get_by_label("Посещение (семьи, организации)"))
    steps.tick(school, form.get_by_label("Устно или посредством любых видов связи, в том числе интернета"))
    reporter = form.get_by_role("group", name="Заявитель")
    reporter.get_by_label("ФИО или наименование организации").fill("Классный руководитель 3 «А» класса")
    child = form.get_by_role("group", name="Ребёнок")
    _fill_name(child, "Иванова", "Айгерим", "Сериковна")
    child.get_by_label("ИИН", exact=True).fill(TYPO_IIN)
    child.get_by_label("Дата рождения").fill("2015-03-12")
    child.get_by_label("Пол").select_option(label="Женский")       # optional here: a list that can be cleared
    form.get_by_label("Место происшествия (населённый пункт, организация)").fill("г. Астана, школа-гимназия № 12")
    form.get_by_label("Краткое содержание сообщения").fill("Синяки на руках, ребёнок боится идти домой.")
    steps.tick(school, form.get_by_label("Имеются признаки уголовного или административного правонарушения"))
    _complete(steps, school, "report-form-with-errors")

    iin_field = child.get_by_label("ИИН", exact=True)
    expect(iin_field).to_have_attribute("aria-invalid", "true")
    error = school.locator("#f-child__iin-error")
    expect(error).to_contain_text("Контрольная цифра ИИН не совпадает")
    assert error.get_attribute("data-field") == "child.iin"
    expect(school.locator("#error-summary")).to_be_focused()
    # what was typed is all still there
    expect(iin_field).to_have_value(TYPO_IIN)
    expect(child.get_by_label("Фамилия")).to_have_value("Иванова")
    expect(child.get_by_label("Пол")).to_have_value("female")
    expect(form.get_by_label("Посещение (семьи, организации)")).to_be_checked()
    expect(form.get_by_label("Кем выявлен факт насилия")).to_have_value("education")
    expect(form.get_by_label("Краткое содержание сообщения")).to_have_value("Синяки на руках, ребёнок боится идти домой.")
    expect(form.get_by_label("Имеются признаки уголовного или административного правонарушения")).to_be_checked()
    steps.desktop_screenshot(school, "form-with-errors")

    iin_field.fill(VALID_IIN)
    _complete(steps, school, "report-done")
    expect(school.get_by_role("heading", name="Что дальше")).to_be_visible()
    expect(school.locator(".flash")).to_have_text("Задача выполнена.")

    # the worker's round delivers the school's notice: the police hear of it now (P4.c), while the
    # school's primary information (due within a working day) is still open
    run_due(datetime.now(timezone.utc))
    police = steps.page("inspector")
    police.get_by_role("link", name="Уведомления", exact=True).click()
    steps.step(police, "inspector-notifications")
    note = police.locator(".note").filter(has_text=number)
    expect(note).to_contain_text("Глава 4. Действия ОВД")
    expect(note).to_contain_text("Подтвердить до")

    # -- the primary information: the child as registered, a family member added ---------------------------
    school.get_by_role("link", name="Сформировать первичную информацию о ребёнке (семье)").click()
    steps.step(school, "primary-info-form")
    form = school.get_by_role("form", name="Первичная информация о ребёнке (семье)")
    child = form.get_by_role("group", name="Ребёнок")
    expect(child.get_by_label("ИИН", exact=True)).to_have_value(VALID_IIN)         # carried over from registration
    expect(child.get_by_label("Фамилия")).to_have_value("Иванова")
    steps.press(school, form.get_by_role("button", name="+ Добавить члена семьи"), "primary-info-family-member")
    member = form.get_by_role("group", name="Член семьи 1")
    _fill_name(member, "Иванова", "Сауле", "Маратовна")
    member.get_by_label("Кем приходится ребёнку").select_option(label="Мать")
    steps.tick(school, member.get_by_label("Проживает совместно с ребёнком"))
    address = form.get_by_role("group", name="Место проживания ребёнка")
    address.get_by_label("Область или город республиканского значения").fill("г. Астана")
    address.get_by_label("Населённый пункт").fill("Астана")
    form.get_by_label("Общая характеристика ребёнка и семьи").fill("Полная семья, мать не работает.")
    form.get_by_label("Приоритетный орган для дальнейшей работы").select_option(label="Органы внутренних дел (ОВД)")
    form.get_by_label("Обоснование выбора органа").fill("Есть признаки уголовного правонарушения.")
    _complete(steps, school, "primary-info-done")
    expect(school.get_by_role("heading", name="Что дальше")).to_be_visible()
    expect(school.locator("table.tasks tbody")).to_contain_text("Принять информацию и поручить работу")

    # -- the police: acknowledgement, the review ---------------------------------------------------------
    note.get_by_role("link", name=re.compile("^Подтвердить получение уведомления")).click()
    steps.step(police, "acknowledge-form")
    # the instructions name the case, the sender and the child from the notice's payload
    expect(police.locator(".instructions")).to_contain_text(re.compile(rf"по (делу|случаю) № {number} от организации образования"))
    expect(police.locator(".instructions")).to_contain_text("Ребёнок: Иванова Айгерим")
    expect(police.locator(".field--readonly").first).to_contain_text(number)
    steps.tick(police, police.get_by_label("Уведомление получено, с содержанием ознакомлен(а)"))
    # who acknowledged is the signed-in officer: shown, not asked (app/forms/known.py)
    expect(police.locator(".field--readonly", has_text="Кто подтвердил")).to_contain_text("inspector")
    _complete(steps, police, "acknowledge-done")
    expect(police.get_by_role("heading", name="Что дальше")).to_be_visible()
    police.get_by_role("link", name="К входящим задачам").click()
    steps.step(police, "inspector-inbox-review")

    row = police.locator("tr", has_text="Рассмотреть и зарегистрировать сообщение")
    expect(row).to_contain_text(number)
    expect(row).to_contain_text(CHILD)                            # the police work this case: full name
    steps.press(police, police.get_by_role("button", name=re.compile("Взять: Рассмотреть и зарегистрировать сообщение")),
                "inspector-inbox-claimed")
    expect(police.locator(".flash")).to_have_text("Задача взята вами в работу.")
    expect(row.locator("td").nth(6)).to_have_text("inspector")
    steps.desktop_screenshot(police, "inbox")
    task_url = row.get_by_role("link", name="Рассмотреть и зарегистрировать сообщение").get_attribute("href")

    # -- another agency: not allowed ----------------------------------------------------------------------------
    clinic = steps.page("doctor")
    response = clinic.goto(task_url)
    assert response.status == 403
    steps.step(clinic, "doctor-refused")
    expect(clinic.get_by_role("heading", name="Вам нельзя открыть эту страницу")).to_be_visible()
    expect(clinic.get_by_text("Рассмотреть и зарегистрировать сообщение")).to_have_count(0)

    # -- the case page, as the school sees it, while the police review is open -----------------------------------
    case_url = row.locator("td").first.get_by_role("link").get_attribute("href")
    school.goto(case_url)
    expect(school.get_by_role("heading", name=f"Дело {number}")).to_be_visible()
    steps.step(school, "case")
    child_card = school.locator("section[aria-labelledby=child-title] .pairs").first
    expect(child_card).to_contain_text("Иванова")
    expect(child_card).to_contain_text("12.03.2015")                               # Russian date format
    # what was reported, as the school registered it
    expect(school.locator(".report__summary")).to_have_text("Синяки на руках, ребёнок боится идти домой.")
    expect(school.locator(".report__place")).to_have_text("г. Астана, школа-гимназия № 12")
    expect(school.locator("table.tasks tbody")).to_contain_text("Рассмотреть и зарегистрировать сообщение")
    # the agencies with work in the case, not every intake lane of chapter 1
    expect(school.locator("ul.agencies li")).to_have_text([
        "Организация образования", "Местный исполнительный орган (МИО) ожидаются действия",
        "Органы внутренних дел (ОВД) ожидаются действия"])
    expect(school.locator(".timeline")).to_contain_text("Взято в работу: Рассмотреть и зарегистрировать сообщение")
    expect(school.locator(".timeline")).not_to_contain_text("Признаки правонарушения выявлены позже?")   # a gateway
    diagrams = school.locator(".diagram")
    expect(diagrams).to_have_count(2)
    for i in range(2):
        expect(diagrams.nth(i)).to_have_attribute("data-ready", "true")
    expect(school.locator('.diagram g.djs-element.is-current[data-element-id="review_report"]')).to_have_count(1)
    expect(school.locator('.diagram g.djs-element.is-current[data-element-id="mio_assign"]')).to_have_count(1)
    steps.step(school, "case-diagrams", desktop_name="case")
    steps.press(school, school.get_by_role("button", name="Eng"), "case-in-english")
    expect(school.get_by_role("heading", name=f"Case {number}")).to_be_visible()
    expect(school.get_by_role("heading", name="What is waiting on whom")).to_be_visible()
    steps.press(school, school.get_by_role("button", name="Рус"), "case-in-russian")
    expect(school.get_by_role("heading", name=f"Дело {number}")).to_be_visible()

    # -- the police complete the review: a criminal offence, so the investigation is next --------------------------
    police.goto(task_url)
    steps.step(police, "review-form")
    police.get_by_label("Номер регистрации в КУИ").fill("КУИ-2026-1234")
    police.get_by_label("Результат рассмотрения").fill("Факты подтвердились, материал зарегистрирован в ЕРДР.")
    steps.tick(police, police.get_by_label("Уголовное правонарушение", exact=True))
    steps.tick(police, police.get_by_label("Ребёнок в безопасности по месту жительства"))
    _complete(steps, police, "review-done")
    expect(police.get_by_role("heading", name="Что дальше")).to_be_visible()
    expect(police.locator("table.tasks tbody")).to_contain_text("Провести неотложные следственные действия")
    school.reload()
    steps.step(school, "case-after-review")
    expect(school.locator(".timeline")).to_contain_text("Выполнено: Рассмотреть и зарегистрировать сообщение")
    expect(school.locator('.diagram g.djs-element.is-current[data-element-id="review_report"]')).to_have_count(0)
