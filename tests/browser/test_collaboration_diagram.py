"""The case page draws a chapter with everyone it talks to (issue 12): chapter 4 of a real case shows, above and below the
police's own pool, the collapsed pools of the agencies that notify the police and of those the police notify, joined
by message flows; «Вся схема» keeps them all in view at the page's width (1280 px), and a Kazakh reader reads the
pools' names in Kazakh; chapter 1 likewise keeps its pools, above and below its pool, in view. The screenshots
(tests/artifacts/case-collaboration*.png) are for a person to look at."""
from __future__ import annotations

from pagetools import ARTIFACTS, MEASURE, case_told_to_the_police, inside, screenshot, sign_in
from playwright.sync_api import expect

POOLS = """el => [...el.querySelectorAll('g.djs-element[data-element-id^="Participant_partner_"]')].map(g => {
  const r = g.getBoundingClientRect();
  return {id: g.getAttribute('data-element-id'), text: g.textContent.trim(),
          x: r.x, y: r.y, width: r.width, height: r.height};
})"""


def test_chapter_4_shows_whom_the_police_hear_from_and_notify(app, new_page, make_user, run_due):
    _school, case = case_told_to_the_police(app, make_user, run_due)

    page = new_page()
    sign_in(page, "pedagogue")
    page.goto(f"/cases/{case['case_id']}")
    chapter4 = page.locator(".diagram").nth(1)
    expect(chapter4).to_have_attribute("data-ready", "true")
    for partner in ("education_org", "kdnzp", "education_authority", "center", "health"):
        expect(chapter4.locator(f'g.djs-element[data-element-id="Participant_partner_{partner}"]')).to_have_count(1)
    expect(chapter4.locator('g.djs-element[data-element-id="Flow_msg_notify_kdnzp"]')).to_have_count(1)
    expect(chapter4.locator('g.djs-element[data-element-id="Flow_msg_education_org_to_notice_received"]')) \
        .to_have_count(1)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".diagram-card").nth(1).screenshot(path=str(ARTIFACTS / "case-collaboration-ch4-step.png"))
    page.locator(".diagram-card").nth(1).get_by_role("button", name="Вся схема").click()
    whole = chapter4.evaluate(MEASURE)
    pools = chapter4.evaluate(POOLS)
    assert {p["text"] for p in pools} >= {"Организация образования", "Органы занятости и социальной защиты населения"}
    assert all(inside(p, whole["box"], slack=4) for p in pools), (pools, whole["box"])
    screenshot(page, "case-collaboration")
    page.locator(".diagram-card").nth(1).screenshot(path=str(ARTIFACTS / "case-collaboration-ch4.png"))
    # chapter 1, the crowded one (five lanes, 31 flows): its partners stand above and below its pool, all in view
    chapter1 = page.locator(".diagram").nth(0)
    page.locator(".diagram-card").nth(0).get_by_role("button", name="Вся схема").click()
    whole = chapter1.evaluate(MEASURE)
    pools = chapter1.evaluate(POOLS)
    assert len(pools) == 7 and all(inside(p, whole["box"], slack=4) for p in pools), (pools, whole["box"])
    page.locator(".diagram-card").nth(0).screenshot(path=str(ARTIFACTS / "case-collaboration-ch1.png"))

    page.get_by_role("button", name="Қаз").click()
    page.goto(f"/cases/{case['case_id']}")
    chapter4 = page.locator(".diagram").nth(1)
    expect(chapter4).to_have_attribute("data-ready", "true")
    expect(chapter4.locator('g.djs-element[data-element-id="Participant_partner_kdnzp"]')) \
        .to_contain_text("Кәмелетке толмағандардың")
