"""Told of new work, end to end in a real browser (issue 13 Done-when: "an e-mail received by the test's SMTP
server with no personal data"): a school's pedagogue registers a report on the pages; the worker's round sends
the police officer's mail through an SMTP server this test runs (aiosmtpd); it holds the case number and a link,
not the child's name or ИИН; the officer follows the link from the mail, signs in and lands on the notice to
acknowledge."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from playwright.sync_api import expect

from pagetools import PASSWORD, deploy_guide, sign_in
from tests.browser.test_accessibility import REGISTRATION, _complete
from tests.notify.test_mail import _send, _set_mail, smtp  # noqa: F401  (the SMTP server fixture)


def test_a_report_registered_on_the_pages_reaches_the_police_by_mail_and_its_link_opens_the_task(
        app, new_page, make_user, run_due, server, smtp):  # noqa: F811
    deploy_guide(app, "ch1-identification.bpmn", "ch4-police.bpmn")
    school = make_user("pedagogue", "education_org", "staff", password=PASSWORD)
    make_user("inspector", "police", "staff", password=PASSWORD)
    _set_mail(app, "inspector", "inspector@example.kz")

    page = new_page()
    sign_in(page, "pedagogue")
    page.get_by_role("button", name="Зарегистрировать сообщение").click()
    page.get_by_role("button", name="Да, зарегистрировать").click()
    number = re.search(r"\d{4}-\d{6}", page.locator(".flash").inner_text()).group(0)
    task_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    case_id = school.get(f"/tasks/{task_id}").json()["case_id"]
    _complete(school, case_id, "register_education_org", REGISTRATION)          # offence signs: the police hear

    run_due(datetime.now(timezone.utc))                                          # the notice reaches the police
    assert _send(app, smtp.url, base=server) >= 1
    mails = [m for m in smtp.mails if m["to"] == ["inspector@example.kz"]]
    assert mails and all(number in m["subject"] for m in mails), [m["subject"] for m in smtp.mails]
    child = REGISTRATION["child"]
    for m in smtp.mails:
        for text in (child["last_name"], child["first_name"], child["iin"], REGISTRATION["case_summary"]):
            assert text not in m["body"] and text not in m["subject"], (text, m["subject"])
    link = re.search(re.escape(server) + r"/tasks/[0-9a-f-]+", mails[0]["body"]).group(0)

    officer = new_page()
    officer.goto(link)                                                           # signed out: the sign-in first
    sign_in_form = officer.get_by_label("Имя пользователя")
    expect(sign_in_form).to_be_visible()
    sign_in_form.fill("inspector")
    officer.get_by_label("Пароль").fill(PASSWORD)
    officer.get_by_role("button", name="Войти").click()
    expect(officer).to_have_url(link)
    expect(officer.locator("h1")).to_contain_text("Подтвердить получение уведомления")
    expect(officer.locator(".facts")).to_contain_text(number)
