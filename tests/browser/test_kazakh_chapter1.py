"""Chapter 1 in Kazakh, in a real browser (issue 14, "Done when"): a school social pedagogue switches the header to
Қаз, registers a report and completes the registration and the primary information on the real chapter 1 forms,
reading and clicking only Kazakh words — the catalog's (buttons, headings, flashes), the diagram's (task names)
and the forms' (x-i18n field and option labels). Signs of an offence are ticked, so the police are told at once
(P4.c): the inspector, also in Kazakh, finds chapter 4's notice among the notifications, and the primary
information hands the case to the local executive body's task. The task pages show no Russian text of the catalog.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from pagetools import deploy_guide, screenshot, sign_in
from playwright.sync_api import expect

from tests.pages.test_pages_language_walk import russian_ui_texts, texts

VALID_IIN = "150312600124"       # a girl born 12.03.2015, check digit 4
COMPLETE = "Тапсырманы аяқтау"   # "Complete the task"


def _to_kazakh(page):
    page.get_by_role("button", name="Қаз").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("button", name="Қаз")).to_have_attribute("aria-pressed", "true")
    page.wait_for_load_state("load")


def _fill_name(group, last, first, patronymic):
    group.get_by_label("Тегі").fill(last)
    group.get_by_label(re.compile("^Аты")).fill(first)         # not «Әкесінің аты»
    group.get_by_label("Әкесінің аты (бар болса)").fill(patronymic)


def _russian_ui_text(page) -> set[str]:
    """The Russian strings of the catalog (those with a Kazakh one) that show on the page; the child's and the
    places' names typed here are data and are not in the catalog."""
    russian = russian_ui_texts()
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])" for t in sorted(russian, key=len, reverse=True)))
    return {m.group(0) for piece in texts(page.content()) for m in pattern.finditer(piece)}


def _no_russian_ui_text(page):
    found = _russian_ui_text(page)
    assert not found, f"Russian UI text on the Kazakh page {page.url}: {sorted(found)}"


def test_chapter_1_registered_and_handed_on_in_kazakh(app, new_page, person, run_due):
    deploy_guide(app, "ch1-identification.bpmn", "ch4-police.bpmn")
    person("pedagogue", "education_org", "staff")
    person("inspector", "police", "staff")

    # -- the school switches to Kazakh and registers a report -------------------------------------------------------
    school = new_page()
    sign_in(school, "pedagogue")
    expect(school.get_by_role("heading", name="Входящие задачи")).to_be_visible()
    assert {"Входящие задачи", "Зарегистрировать сообщение"} <= _russian_ui_text(school)     # the check is not blind
    _to_kazakh(school)
    expect(school.get_by_role("heading", name="Кіріс тапсырмалар")).to_be_visible()
    school.get_by_role("button", name="Хабарламаны тіркеу").click()
    expect(school.get_by_role("heading", name="Жаңа хабарламаны тіркеу керек пе?")).to_be_visible()
    school.get_by_role("button", name="Иә, тіркеу").click()
    expect(school.get_by_role("heading", name="Өтінішті тіркеу")).to_be_visible()        # the diagram's kk name
    expect(school.locator(".flash")).to_contain_text("Хабарлама тіркелді:")
    number = re.search(r"\d{4}-\d{6}", school.locator(".flash").inner_text()).group(0)
    expect(school.locator(".flash")).to_have_text(f"Хабарлама тіркелді: {number} іс.")
    form = school.get_by_role("form", name="Балаға қатысты зорлық-зомбылық туралы өтінішті тіркеу")
    expect(form.get_by_label("Ақпараттың түскен күні мен уақыты")).not_to_have_value("")
    expect(form.locator(".field--readonly")).to_contain_text(number)
    _no_russian_ui_text(school)
    screenshot(school, "kk-ch1-registration")

    form.get_by_label("Фактіні кім анықтады").select_option(label="Білім беру ұйымының қызметкері")
    form.get_by_label("Бару (отбасына, ұйымға)").check()
    form.get_by_label("Ауызша немесе байланыстың кез келген түрі арқылы, оның ішінде интернет арқылы").check()
    reporter = form.get_by_role("group", name="Кім хабарлады")
    reporter.get_by_label("Т.А.Ә. немесе ұйымның атауы").fill("3 «А» сыныбының сынып жетекшісі")
    child = form.get_by_role("group", name="Бала", exact=True)
    _fill_name(child, "Иванова", "Айгерим", "Сериковна")
    child.get_by_label("ЖСН", exact=True).fill(VALID_IIN)
    child.get_by_label("Туған күні").fill("2015-03-12")
    child.get_by_label("Жынысы").select_option(label="Әйел")
    form.get_by_label("Қай жерде болды (елді мекен, ұйым)").fill("Астана қ., № 12 мектеп-гимназия")
    form.get_by_label("Хабарламаның қысқаша мазмұны").fill("Қолында көгерген іздер бар, бала үйге барудан қорқады.")
    form.get_by_label("Қылмыстық немесе әкімшілік құқық бұзушылық белгілері бар").check()
    school.get_by_role("button", name=COMPLETE).click()
    expect(school.get_by_role("heading", name="Әрі қарай не болады")).to_be_visible()
    expect(school.locator(".flash")).to_have_text("Тапсырма орындалды.")
    screenshot(school, "kk-ch1-registered")

    # -- the worker's round delivers the notice: the police, in Kazakh, are told at once (P4.c) ---------------------
    run_due(datetime.now(timezone.utc))
    police = new_page()
    sign_in(police, "inspector")
    _to_kazakh(police)
    police.get_by_role("link", name="Хабарландырулар", exact=True).click()
    police.wait_for_load_state("load")
    note = police.locator(".note").filter(has_text=number)
    expect(note).to_contain_text("4-тарау. Зорлық-зомбылық және қатыгездікпен қарау фактісі бойынша ІІО әрекеттері")
    expect(note).to_contain_text("дейін растаңыз")
    expect(note).to_contain_text("Хабарламаның алынғанын растау")
    _no_russian_ui_text(police)
    screenshot(police, "kk-ch1-police-notified")

    # -- the primary information, in Kazakh: the child as registered, a family member added --------------------------
    school.get_by_role("link", name="Бала (отбасы) туралы бастапқы ақпаратты қалыптастыру").click()
    expect(school.get_by_role("heading", name="Бала (отбасы) туралы бастапқы ақпаратты қалыптастыру")).to_be_visible()
    form = school.get_by_role("form", name="Бала (отбасы) туралы бастапқы ақпарат")
    child = form.get_by_role("group", name="Бала", exact=True)
    expect(child.get_by_label("ЖСН", exact=True)).to_have_value(VALID_IIN)
    expect(child.get_by_label("Тегі")).to_have_value("Иванова")
    _no_russian_ui_text(school)
    form.get_by_role("button", name="+ Отбасы мүшесін қосу").click()
    member = form.get_by_role("group", name="Отбасы мүшесі 1")
    _fill_name(member, "Иванова", "Сауле", "Маратовна")
    member.get_by_label("Балаға кім болып келеді").select_option(label="Анасы")
    member.get_by_label("Баламен бірге тұрады").check()
    address = form.get_by_role("group", name="Баланың тұрғылықты жері")
    address.get_by_label("Облыс немесе республикалық маңызы бар қала").fill("Астана қ.")
    address.get_by_label("Елді мекен").fill("Астана")
    form.get_by_label("Бала мен отбасының жалпы сипаттамасы").fill("Толық отбасы, анасы жұмыс істемейді.")
    form.get_by_label("Одан әрі жұмыс үшін басым орган").select_option(label="Ішкі істер органдары (ІІО)")
    form.get_by_label("Бұл орган неге таңдалды").fill("Қылмыстық құқық бұзушылық белгілері бар.")
    screenshot(school, "kk-ch1-primary-info")
    school.get_by_role("button", name=COMPLETE).click()
    expect(school.get_by_role("heading", name="Әрі қарай не болады")).to_be_visible()
    expect(school.locator(".flash")).to_have_text("Тапсырма орындалды.")
    # the local executive body's specialist is next (P4), named in Kazakh
    expect(school.locator("table.tasks tbody")).to_contain_text("Ақпаратты қабылдау және жұмысты басым органға тапсыру")
    _no_russian_ui_text(school)
    screenshot(school, "kk-ch1-handed-on")
