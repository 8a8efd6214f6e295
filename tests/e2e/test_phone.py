"""On a 390×844 phone: nothing scrolls sideways, and the filters fold behind their summary from the
first paint, without moving the results."""

import time

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


def folded(page):
    return page.locator("details.filters-fold")


def test_the_filters_fold_behind_a_summary_that_opens_them(phone):
    phone.goto("/")
    toggle = phone.locator(".filters-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Filters")
    expect(phone.get_by_label("Words")).to_be_hidden()

    toggle.tap()

    expect(folded(phone)).to_have_attribute("open", "")
    expect(phone.get_by_label("Words")).to_be_visible()
    assert page_width(phone) <= 390


def test_the_results_do_not_move_as_the_page_loads(open_page):
    phone = open_page(**PHONE)
    # Layout shifts as Lighthouse counts them (without those that follow the reader's input).
    phone.add_init_script(
        """window.e2eShifts = 0;
        new PerformanceObserver(list => list.getEntries().forEach(entry => {
          if (!entry.hadRecentInput) window.e2eShifts += entry.value;
        })).observe({type: "layout-shift", buffered: true});"""
    )
    # Scripts that arrive late, as on a slow phone network: the page is painted before they run.
    phone.route("**/static/*.js*", lambda route: (time.sleep(0.3), route.continue_()))
    phone.goto("/")
    phone.wait_for_load_state("load")
    phone.wait_for_timeout(300)

    assert phone.evaluate("window.e2eShifts") <= 0.05


def test_open_filters_work_and_the_summary_counts_them(phone):
    phone.goto("/")
    toggle = phone.locator(".filters-toggle")
    toggle.tap()

    checkbox(phone, "India").tap()
    checkbox(phone, "Border").tap()

    expect(heading(phone)).to_have_text("5 events match")
    expect(toggle).to_have_text("Filters (2 in use)")


def test_a_filtered_address_names_its_filters_in_use_from_the_first_paint(open_page):
    phone = open_page(**PHONE, java_script_enabled=False)
    phone.goto("/?country=IN&topic=border")

    expect(phone.locator(".filters-toggle")).to_have_text("Filters (2 in use)")


def test_applying_the_filters_folds_them_and_keeps_focus_on_the_summary(phone):
    phone.goto("/")
    toggle = phone.locator(".filters-toggle")
    toggle.tap()
    phone.get_by_label("Words").fill("border")

    phone.get_by_role("button", name="Apply filters").tap()

    expect(heading(phone)).to_have_text("3 events match")
    expect(folded(phone)).not_to_have_attribute("open", "")
    expect(toggle).to_be_focused()
    expect(phone.get_by_label("Words")).to_be_hidden()


def test_the_filter_summary_opens_with_the_keyboard(phone):
    phone.goto("/")
    toggle = phone.locator(".filters-toggle")
    toggle.focus()

    phone.keyboard.press("Space")
    expect(folded(phone)).to_have_attribute("open", "")
    phone.keyboard.press("Tab")

    expect(phone.get_by_label("Words")).to_be_focused()


def test_without_javascript_the_folded_filters_open_with_a_tap(open_page):
    phone = open_page(**PHONE, java_script_enabled=False)
    phone.goto("/")
    expect(phone.get_by_label("Words")).to_be_hidden()

    phone.locator(".filters-toggle").tap()

    expect(phone.get_by_label("Words")).to_be_visible()
    assert page_width(phone) <= 390


def test_nothing_scrolls_sideways_at_320_pixels(open_page):
    narrow = open_page(viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)
    for path in ("/", "/?at=2020", "/events/2020-clash"):
        narrow.goto(path)
        assert page_width(narrow) <= 320, path
