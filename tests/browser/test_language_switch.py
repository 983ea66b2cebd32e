"""In a browser: the header's Қаз turns the pages Kazakh, the button shows pressed, and the choice is the user's —
a fresh browser that signs in as them opens in Kazakh; the sign-in page itself can be switched before signing in."""
from playwright.sync_api import expect

from pagetools import PASSWORD, sign_in


def test_kazakh_chosen_in_the_header_follows_the_user_to_a_new_browser(new_page, person):
    person("aigerim", "police", "staff")
    page = new_page()
    sign_in(page, "aigerim")
    expect(page.get_by_role("link", name="Входящие задачи")).to_be_visible()
    page.get_by_role("button", name="Қаз").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("link", name="Кіріс тапсырмалар")).to_be_visible()
    expect(page.get_by_role("button", name="Қаз")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".who__agency")).to_have_text("Ішкі істер органдары (ІІО)")

    other = new_page()                                  # another browser, Russian by its Accept-Language
    other.goto("/login")
    expect(other.get_by_role("button", name="Войти")).to_be_visible()
    sign_in(other, "aigerim")
    expect(other.get_by_role("link", name="Кіріс тапсырмалар")).to_be_visible()


def test_the_sign_in_page_switches_and_the_choice_becomes_the_user_s(new_page, person):
    person("nurlan", "police", "staff")
    page = new_page()
    page.goto("/login")
    page.get_by_role("button", name="Қаз").click()
    page.get_by_label("Пайдаланушы аты").fill("nurlan")
    page.get_by_label("Құпиясөз").fill(PASSWORD)
    page.get_by_role("button", name="Кіру").click()
    expect(page.get_by_role("link", name="Кіріс тапсырмалар")).to_be_visible()
    page.get_by_role("button", name="Eng").click()
    expect(page.get_by_role("link", name="Inbox")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()       # the browser keeps the last choice
