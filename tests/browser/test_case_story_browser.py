"""The case page in a real browser (issue 13 §2): each chapter's diagram fills its box (fitted to the diagram's
content, not a thumbnail in a blank area), the steps waiting now are highlighted inside the view, «Текущий шаг»
brings one to the centre at a readable scale, and the page tells what was reported and who must act."""
from __future__ import annotations

from datetime import datetime, timezone

from pagetools import PASSWORD, deploy_guide, screenshot, sign_in
from playwright.sync_api import expect

RECEIVED = "2026-12-01T09:00:00+05:00"
REGISTRATION = {
    "received_at": RECEIVED, "detected_by": "education", "detection_context": "visit", "channel": "oral_or_remote",
    "reporter": {"anonymous": False, "full_name": "Классный руководитель"},
    "child": {"last_name": "Иванова", "first_name": "Айгерим", "iin": "150312600124", "birth_date": "2015-03-12",
              "sex": "female"},
    "event_place": "г. Талгар, школа № 12", "case_summary": "Синяки на руках.", "offence_signs": True}
PRIMARY = {"child": REGISTRATION["child"],
           "family_members": [{"last_name": "Иванова", "first_name": "Сауле", "relation": "mother",
                               "lives_with_child": True}],
           "address": {"region": "Алматинская область", "locality": "Талгар"}, "general_description": "Семья.",
           "priority_agency": "police", "priority_reason": "Признаки правонарушения.", "education_emergency": False,
           "offence_signs_found": False}

# Where the diagram's drawing lies inside its box, and where each current step is (client pixels).
MEASURE = """el => {
  const box = el.getBoundingClientRect();
  const drawing = el.querySelector('svg g.viewport').getBoundingClientRect();
  const current = [...el.querySelectorAll('g.djs-element.is-current')].map(g => {
    const r = g.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height};
  });
  return {box: {x: box.x, y: box.y, width: box.width, height: box.height},
          drawing: {x: drawing.x, y: drawing.y, width: drawing.width, height: drawing.height}, current};
}"""


def _complete(api, case_id, bpmn_id, data):
    task = next(t for t in api.get("/tasks", params={"case": case_id}).json()["items"] if t["bpmn_id"] == bpmn_id)
    assert api.post(f"/tasks/{task['id']}/complete", json={"data": data}).status_code == 200


def _inside(inner, outer, slack=2):
    return (inner["x"] >= outer["x"] - slack and inner["y"] >= outer["y"] - slack
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack)


def test_each_chapter_fills_its_box_and_the_current_step_is_highlighted_and_centred(app, new_page, make_user,
                                                                                  run_due):
    deploy_guide(app, "ch1-identification.bpmn", "ch4-police.bpmn")
    school = make_user("pedagogue", "education_org", "staff", password=PASSWORD)
    police = make_user("inspector", "police", "staff", password=PASSWORD)
    case = school.post("/process-instances", json={"process_id": "ch1_identification",
                                                   "data": {"received_at": RECEIVED}}).json()
    _complete(school, case["case_id"], "register_education_org", REGISTRATION)
    _complete(school, case["case_id"], "primary_info_education_org", PRIMARY)
    run_due(datetime.now(timezone.utc))
    _complete(police, case["case_id"], "ack_notice", {"acknowledged": True, "acknowledged_by": "Сапаров Е.",
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
        box, drawing = seen["box"], seen["drawing"]
        # fitted: the whole drawing is in the box, and it spans the box one way or the other (no large blank)
        assert _inside(drawing, box, slack=4), seen
        assert drawing["width"] >= 0.8 * box["width"] or drawing["height"] >= 0.8 * box["height"], seen
        # the box takes the drawing's proportions (within its bounds), so the other way is not mostly blank either
        assert drawing["width"] * drawing["height"] >= 0.45 * box["width"] * box["height"] or box["height"] <= 222, seen
        assert seen["current"] and all(_inside(r, box) for r in seen["current"]), seen
    screenshot(page, "case-story")

    # «Текущий шаг»: the police's step in the middle of its box, drawn at least at natural size
    chapter4 = page.locator(".diagram-card").nth(1)
    before = diagrams.nth(1).evaluate(MEASURE)["current"][0]
    chapter4.get_by_role("button", name="Текущий шаг").click()
    after = diagrams.nth(1).evaluate(MEASURE)
    step, box = after["current"][0], after["box"]
    assert abs(step["x"] + step["width"] / 2 - (box["x"] + box["width"] / 2)) < 0.1 * box["width"], after
    assert abs(step["y"] + step["height"] / 2 - (box["y"] + box["height"] / 2)) < 0.15 * box["height"], after
    assert step["width"] > before["width"] * 1.2, (before, step)
    chapter4.get_by_role("button", name="Вся схема").click()
    whole = diagrams.nth(1).evaluate(MEASURE)
    assert _inside(whole["drawing"], whole["box"], slack=4), whole
    chapter4.get_by_role("button", name="Увеличить").click()
    zoomed = diagrams.nth(1).evaluate(MEASURE)
    assert zoomed["drawing"]["width"] > whole["drawing"]["width"] * 1.1, (whole, zoomed)
