"""Finding a case again in a real browser (issue 13 Done-when: "search by surname/ИИН/partial number"): a police
officer types a surname in another case and with ё as е, a surname with one wrong letter, an ИИН, the last digits
of a number into the Cases page's field, at desktop and phone width, and opens the case from the result; a case of
another police unit is never listed."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pagetools import PASSWORD, assert_fits, screenshot, sign_in
from tests.cases.test_case_search import world  # noqa: F401  (the fixture: two units' cases of one child)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 360, "height": 740}],
                         ids=["desktop", "phone"])
def test_a_case_is_found_by_surname_iin_and_part_of_its_number(app, world, make_user, new_page, viewport):  # noqa: F811
    from app.extensions import db
    from app.users.models import User
    make_user("officer", "police", "staff", password=PASSWORD)
    with app.app_context():
        db.session.query(User).filter_by(username="officer").update({"organisation": "police.a"})
        db.session.commit()
        db.session.remove()
    mine, number = world["mine"]["case_id"], world["mine"]["registration_number"]
    page = new_page()
    page.set_viewport_size(viewport)
    sign_in(page, "officer")
    page.goto("/cases")
    field = page.get_by_label("Номер, ИИН или ФИО")
    for query in ("елкина", "Ёлкена", "150312600123", number[-3:]):
        field.fill(query)
        field.press("Enter")
        results = page.locator(f'a[href="/cases/{mine}"]')
        expect(results).to_have_count(1)
        expect(page.locator("main")).to_contain_text("Найдено дел: 1")
        assert_fits(page, f"search {query}")
        field = page.get_by_label("Номер, ИИН или ФИО")
    screenshot(page, f"cases-search-by-number-{'phone' if viewport['width'] < 400 else 'desktop'}")
    page.locator(f'a[href="/cases/{mine}"]').first.click()
    expect(page.locator("h1")).to_contain_text(number)
