"""A supervisor reads the dashboard in the browser: each figure a drawn chart with its table beside it;
a bad territory is shown in place; the CSV download is there."""
from datetime import timedelta

from pagetools import screenshot, sign_in
from support import deploy_fixture

RECEIVED = "2026-12-01T09:00:00+05:00"


def test_the_dashboard_draws_each_figure_with_its_table(owner, make_user, person, new_page, clock):
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    for _ in range(6):
        assert police.post("/process-instances", json={"process_id": "reporter",
                                                       "data": {"received_at": RECEIVED}}).status_code == 201
    clock.shift(timedelta(hours=2))
    person("chief", "police", "supervisor")
    page = new_page()
    sign_in(page, "chief")
    page.get_by_role("link", name="Сводка").click()
    page.wait_for_url("**/dashboard")
    assert page.locator('.top__nav a[aria-current="page"]').inner_text() == "Сводка"
    for key in ("open_cases", "deadlines", "overdue", "notices"):
        assert page.locator(f"#fig-{key} table").count() == 1, key
    chart = page.locator("#fig-open_cases svg[role=img]")
    assert chart.is_visible() and chart.bounding_box()["width"] > 300
    assert page.locator("#fig-overdue td").last.inner_text() == "6"
    assert page.locator("#fig-deadlines svg").count() == 1
    assert "format=csv" in page.locator("#csv").get_attribute("href")
    screenshot(page, "dashboard-supervisor")

    page.get_by_label("Территория (код КАТО)").fill("12")
    page.get_by_role("button", name="Применить").click()
    assert page.locator("#territory").get_attribute("aria-invalid") == "true"
    assert page.locator("#territory-error").inner_text()


def _place(app, n, code):
    """The first ``n`` cases without a territory live in ``code`` (the registration form would set it)."""
    from app.extensions import db
    from app.instances.models import Case
    with app.app_context():
        for case in db.session.query(Case).filter(Case.territory.is_(None)).order_by(Case.id).limit(n):
            case.territory = code
        db.session.commit()
        db.session.remove()


def test_the_committee_opens_on_the_country_and_narrows_to_an_oblast(owner, make_user, person, new_page, clock, app):
    """The ministry's committee (role overseer) signs in straight to the dashboard: counts for the whole country,
    no inbox or cases in the menu; the territory filter narrows to the Almaty oblast."""
    deploy_fixture(owner, "reporter")
    police = make_user("inspector", "police", "staff")
    for _ in range(8):
        assert police.post("/process-instances", json={"process_id": "reporter",
                                                       "data": {"received_at": RECEIVED}}).status_code == 201
    _place(app, 5, "196200000")                      # Talgar district, Almaty oblast
    _place(app, 3, "750000000")                      # the city of Almaty
    clock.shift(timedelta(hours=2))
    person("committee", "mes_committee", "overseer")
    page = new_page()
    sign_in(page, "committee")
    page.wait_for_url("**/dashboard")
    nav = page.locator(".top__nav a").all_inner_texts()
    assert any(t.startswith("Сводка") for t in nav) and not any(t.startswith(("Входящие", "Дела")) for t in nav)
    ranked = page.locator("#fig-territories td").all_inner_texts()
    assert ranked[:4] == ["Алматинская область", "5", "г.Алматы", "3"]
    assert page.locator("#fig-open_cases td").last.inner_text() == "8"
    screenshot(page, "dashboard-committee")

    page.get_by_label("Территория (код КАТО)").fill("190000000")
    page.get_by_role("button", name="Применить").click()
    page.wait_for_load_state("load")
    assert page.locator("#fig-open_cases td").last.inner_text() == "5"
    assert page.locator("#fig-territories td").all_inner_texts() == ["Алматинская область", "5"]
    screenshot(page, "dashboard-committee-oblast")
