"""On a 390×844 phone: nothing scrolls sideways, and the filters fold behind a button."""

import pytest
from playwright.sync_api import expect

from .helpers import checkbox, heading

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(open_page):
    return open_page(**PHONE)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize(
    "path", ["/", "/?from=2020-13", "/?q=nothing-like-this", "/events/2020-clash", "/about", "/no-such-page"]
)
def test_no_page_scrolls_sideways(phone, path):
    phone.goto(path)

    assert page_width(phone) <= 390


def test_the_filters_fold_behind_a_button_that_opens_them(phone):
    phone.goto("/")
    toggle = phone.get_by_role("button", name="Filters", exact=True)
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(phone.get_by_label("Words")).to_be_hidden()

    toggle.tap()

    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_label("Words")).to_be_visible()
    assert page_width(phone) <= 390


def test_open_filters_work_and_the_button_counts_them(phone):
    phone.goto("/")
    toggle = phone.locator(".filters-toggle")
    toggle.tap()

    checkbox(phone, "India").tap()
    checkbox(phone, "Border").tap()

    expect(heading(phone)).to_have_text("5 events match")
    expect(toggle).to_have_text("Filters (2 in use)")


def test_applying_the_filters_folds_them_and_keeps_focus_on_the_button(phone):
    phone.goto("/")
    toggle = phone.locator(".filters-toggle")
    toggle.tap()
    phone.get_by_label("Words").fill("border")

    phone.get_by_role("button", name="Apply filters").tap()

    expect(heading(phone)).to_have_text("3 events match")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(phone.get_by_label("Words")).to_be_hidden()


def test_the_filter_button_opens_with_the_keyboard(phone):
    phone.goto("/")
    toggle = phone.locator(".filters-toggle")
    toggle.focus()

    phone.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    phone.keyboard.press("Tab")

    expect(phone.get_by_label("Words")).to_be_focused()


def test_without_javascript_the_filters_stay_open(open_page):
    phone = open_page(**PHONE, java_script_enabled=False)
    phone.goto("/")

    expect(phone.locator(".filters-toggle")).to_be_hidden()
    expect(phone.get_by_label("Words")).to_be_visible()
    assert page_width(phone) <= 390
