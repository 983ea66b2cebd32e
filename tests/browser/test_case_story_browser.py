"""The case page in a real browser (issue 13 §2): each chapter's diagram opens on the steps waiting now, highlighted
and centred at a readable scale (a whole chapter fitted into the box is drawn at about a third of its size);
«Вся схема» fits the whole drawing into the box (not a thumbnail in a blank area), «Текущий шаг» centres the step
again; and the page tells what was reported and who must act."""
from __future__ import annotations

from pagetools import MEASURE, PASSWORD, case_told_to_the_police, complete_task, inside, screenshot, sign_in
from playwright.sync_api import expect

def test_each_chapter_fills_its_box_and_the_current_step_is_highlighted_and_centred(app, new_page, make_user,
                                                                                  run_due):
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    _school, case = case_told_to_the_police(app, make_user, run_due)
    complete_task(police, case["case_id"], "ack_notice", {"acknowledged": True, "acknowledged_by": "Сапаров Е.",
                                                          "already_in_work": False})

    page = new_page()
    sign_in(page, "pedagogue")
    page.goto(f"/cases/{case['case_id']}")
    expect(page.locator(".report__summary")).to_have_text("Синяки на руках.")
    expect(page.locator("table.duties tbody")).to_contain_text("Рассмотреть и зарегистрировать сообщение")
    expect(page.locator(".timeline")).to_contain_text("Получение уведомления подтверждено")

    diagrams = page.locator(".diagram")
    expect(diagrams).to_have_count(2)
    for i, current in enumerate(("mio_assign", "review_report")):
        diagram = diagrams.nth(i)
        expect(diagram).to_have_attribute("data-ready", "true")
        expect(diagram.locator(f'g.djs-element.is-current[data-element-id="{current}"]')).to_have_count(1)
        expect(diagram.locator(".diagram-now")).to_have_text(["сейчас"])     # a badge at its own size beside it
        seen = diagram.evaluate(MEASURE)
        box = seen["box"]
        # opened on the step: readable (the canvas's own scale, as bpmn-js reports it), in view, in the middle
        assert 0.8 <= seen["scale"] <= 1.0, seen
        assert seen["current"] and all(inside(r, box) for r in seen["current"]), seen
        _centred(seen["current"][0], box, seen)
        assert box["height"] >= 300, seen                  # room for the step and its neighbours
    screenshot(page, "case-story")

    # «Вся схема»: the whole chapter fitted — all of the drawing in the box, spanning it one way or the other
    chapter4 = page.locator(".diagram-card").nth(1)
    opened = diagrams.nth(1).evaluate(MEASURE)
    chapter4.get_by_role("button", name="Вся схема").click()
    whole = diagrams.nth(1).evaluate(MEASURE)
    box, drawing = whole["box"], whole["drawing"]
    assert inside(drawing, box, slack=4), whole
    assert drawing["width"] >= 0.8 * box["width"] or drawing["height"] >= 0.8 * box["height"], whole
    assert whole["scale"] < opened["scale"] and all(inside(r, box) for r in whole["current"]), (opened, whole)
    # «Текущий шаг»: back to the step, in the middle, drawn as large as when the page opened
    chapter4.get_by_role("button", name="Текущий шаг").click()
    again = diagrams.nth(1).evaluate(MEASURE)
    step = again["current"][0]
    _centred(step, again["box"], again)
    assert step["width"] > whole["current"][0]["width"] * 1.2 and abs(again["scale"] - opened["scale"]) < 0.01, \
        (whole, again)
    chapter4.get_by_role("button", name="Вся схема").click()
    chapter4.get_by_role("button", name="Увеличить").click()
    zoomed = diagrams.nth(1).evaluate(MEASURE)
    assert zoomed["drawing"]["width"] > whole["drawing"]["width"] * 1.1, (whole, zoomed)


def _centred(step, box, seen):
    assert abs(step["x"] + step["width"] / 2 - (box["x"] + box["width"] / 2)) < 0.1 * box["width"], seen
    assert abs(step["y"] + step["height"] / 2 - (box["y"] + box["height"] / 2)) < 0.15 * box["height"], seen
