"""The Guide's first hours in a real browser: a school reports, the police acknowledge and check.

A school social pedagogue registers a report, mistypes the child's ИИН and sees the error beside
the field with everything else kept, corrects it and completes the primary information; the
police inspector sees the notification, acknowledges it, takes the next task and completes it;
a doctor (another agency) gets the 403 page for that task.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from pagetools import screenshot, sign_in
from playwright.sync_api import expect

VALID_IIN = "150312600124"       # a girl born 12.03.2015, check digit 4
TYPO_IIN = "150312600121"        # the same with the last digit mistyped


def test_school_reports_police_acknowledge_and_check_other_agency_refused(
        new_page, person, deploy_browser_fixtures, report_process, run_due):
    deploy_browser_fixtures("b_report", "b_police")
    report_process("b_report")
    person("pedagogue", "education_org", "staff")
    person("inspector", "police", "staff")
    person("doctor", "health", "staff")

    # -- the school: one click from the inbox to the form ------------------------------------------
    school = new_page()
    sign_in(school, "pedagogue")
    expect(school.get_by_role("heading", name="Входящие задачи")).to_be_visible()
    school.get_by_role("button", name="Зарегистрировать сообщение").click()
    expect(school.get_by_role("heading", name="Первичная информация")).to_be_visible()
    expect(school.locator(".flash")).to_contain_text("Сообщение зарегистрировано: дело")
    expect(school.locator(".instructions strong")).to_have_text("первичную информацию")

    school.get_by_label("ФИО ребёнка").fill("Иванова Айгерим Сериковна")
    school.get_by_label("ИИН", exact=True).fill(TYPO_IIN)
    school.get_by_label("Дата рождения").fill("2015-03-12")
    school.get_by_label("женский").check()
    school.get_by_label("по телефону").check()
    school.get_by_label("физическое").check()
    school.get_by_label("Что произошло").fill("Синяки на руках, ребёнок боится идти домой.")
    school.get_by_role("button", name="+ Добавить: Член семьи").click()
    school.get_by_role("textbox", name="ФИО", exact=True).fill("Иванова Сауле Маратовна")
    school.get_by_label("Кем приходится").select_option(label="мать")
    school.get_by_role("button", name="Завершить задачу").click()

    iin_field = school.get_by_label("ИИН", exact=True)
    expect(iin_field).to_have_attribute("aria-invalid", "true")
    error = school.locator("#f-child__iin-error")
    expect(error).to_contain_text("Контрольная цифра ИИН не совпадает")
    assert error.get_attribute("data-field") == "child.iin"
    expect(school.locator("#error-summary")).to_be_focused()
    # what was typed is all still there
    expect(iin_field).to_have_value(TYPO_IIN)
    expect(school.get_by_label("ФИО ребёнка")).to_have_value("Иванова Айгерим Сериковна")
    expect(school.get_by_label("женский")).to_be_checked()
    expect(school.get_by_label("физическое")).to_be_checked()
    expect(school.get_by_role("textbox", name="ФИО", exact=True)).to_have_value("Иванова Сауле Маратовна")
    screenshot(school, "form-with-errors")

    iin_field.fill(VALID_IIN)
    school.get_by_role("button", name="Завершить задачу").click()
    expect(school.get_by_role("heading", name="Что дальше")).to_be_visible()
    expect(school.locator(".flash")).to_have_text("Задача выполнена.")
    number = re.search(r"\d{4}-\d{6}", school.locator(".lead").inner_text()).group(0)

    # the worker routes the school's message to the police
    routed = run_due(datetime.now(timezone.utc))
    assert routed[1] == 1

    # -- the police: notification, acknowledgement, the check ------------------------------------------
    police = new_page()
    sign_in(police, "inspector")
    police.get_by_role("link", name="Уведомления").click()
    note = police.locator(".note").filter(has_text=number)
    expect(note).to_contain_text("Гл. 4 (тест): ОВД")
    expect(note).to_contain_text("Подтвердить до")
    note.get_by_role("link", name=re.compile("Подтвердить: Подтвердить получение")).click()
    police.get_by_role("button", name="Завершить задачу").click()
    expect(police.get_by_role("heading", name="Что дальше")).to_be_visible()
    police.get_by_role("link", name="К входящим задачам").click()

    row = police.locator("tr", has_text="Проверить сообщение")
    expect(row).to_contain_text(number)
    expect(row).to_contain_text("Иванова Айгерим Сериковна")      # the police work this case: full name
    police.get_by_role("button", name=re.compile("Взять: Проверить сообщение")).click()
    expect(police.locator(".flash")).to_have_text("Задача взята вами в работу.")
    expect(row.locator("td").nth(6)).to_have_text("inspector")
    screenshot(police, "inbox")
    task_url = police.get_by_role("link", name="Проверить сообщение").get_attribute("href")

    # -- another agency: not allowed ------------------------------------------------------------------------
    clinic = new_page()
    sign_in(clinic, "doctor")
    response = clinic.goto(task_url)
    assert response.status == 403
    expect(clinic.get_by_role("heading", name="Вам нельзя открыть эту страницу")).to_be_visible()
    expect(clinic.get_by_text("Проверить сообщение")).to_have_count(0)

    # -- the case page, as the school sees it, while the police check is open ----------------------------------
    case_url = row.locator("td").first.get_by_role("link").get_attribute("href")
    school.goto(case_url)
    expect(school.get_by_role("heading", name=f"Дело {number}")).to_be_visible()
    expect(school.locator(".pairs").first).to_contain_text("Иванова Айгерим Сериковна")
    expect(school.locator(".pairs").first).to_contain_text("12.03.2015")          # Russian date format
    expect(school.locator("table.tasks tbody")).to_contain_text("Проверить сообщение")
    expect(school.locator(".timeline")).to_contain_text("Задачу взяли в работу")
    diagrams = school.locator(".diagram")
    expect(diagrams).to_have_count(2)
    for i in range(2):
        expect(diagrams.nth(i)).to_have_attribute("data-ready", "true")
    expect(school.locator('.diagram g.djs-element.is-current[data-element-id="check"]')).to_have_count(1)
    screenshot(school, "case")
    school.get_by_role("button", name="Eng").click()
    expect(school.get_by_role("heading", name=f"Case {number}")).to_be_visible()
    expect(school.get_by_role("heading", name="What is waiting on whom")).to_be_visible()
    school.get_by_role("button", name="Рус").click()
    expect(school.get_by_role("heading", name=f"Дело {number}")).to_be_visible()

    # -- the police complete the check -------------------------------------------------------------------------
    police.goto(task_url)
    police.get_by_label("Результаты проверки").fill("Факты подтвердились, материал зарегистрирован в ЕРДР.")
    police.get_by_label("Признаки уголовного правонарушения").check()
    police.get_by_role("button", name="Завершить задачу").click()
    expect(police.get_by_role("heading", name="Что дальше")).to_be_visible()
    expect(police.locator("table.tasks tbody")).to_contain_text("Здесь пусто.")
    school.reload()
    expect(school.locator(".timeline")).to_contain_text("Процесс завершён")
    expect(school.locator('.diagram g.djs-element.is-current')).to_have_count(0)
