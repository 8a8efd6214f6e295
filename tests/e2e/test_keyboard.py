"""Keyboard only: every control is reached with Tab and Shift+Tab, shows where focus is, and works."""

import pytest
from playwright.sync_api import Locator, Page, expect

from .helpers import ALL_EVENTS, checkbox, focused, heading, shown_events

# Tab stops: a composite widget (the navigator's axis, its toolbar) is one, its other items are
# reached with the arrow keys (tabindex="-1").
CONTROLS = "a[href], button, input, select, textarea, summary, [tabindex]"
TAB_STOPS = f":is({CONTROLS}):not([tabindex='-1'])"


def number_the_controls(page: Page) -> int:
    """Numbers the controls a person can see, in document order (which is the page's tab order)."""
    return page.evaluate(
        """selector => {
          const controls = [...document.querySelectorAll(selector)]
            .filter(control => control.checkVisibility() && !control.disabled);
          controls.forEach((control, index) => { control.dataset.e2eIndex = String(index); });
          return controls.length;
        }""",
        TAB_STOPS,
    )


def tab_to(page: Page, control: Locator, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if control.evaluate("control => control === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {control}")


def arrow_to(page: Page, control: Locator, limit: int = 30) -> None:
    """Within a group of choices (one Tab stop), the arrow keys move to the one wanted."""
    for _ in range(limit):
        if control.evaluate("control => control === document.activeElement"):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {control}")


def open_more_filters(page: Page) -> None:
    """Dates, importance and order are folded while unused: Enter on their summary opens them."""
    tab_to(page, page.locator("details.more-filters > summary"))
    page.keyboard.press("Enter")


def assert_focus_shows(page: Page) -> None:
    state = focused(page)
    assert state["ring"], f"no focus ring on {state}"
    assert state["onScreen"] and state["uncovered"], f"focus is off screen or covered: {state}"


@pytest.mark.parametrize("path", ["/?country=IN", "/events/2020-clash"], ids=["timeline", "event page"])
def test_tab_and_shift_tab_reach_every_control_in_order_with_a_visible_focus_ring(open_page, path):
    # A short window, so that focus moving along scrolls the page under the sticky year headings.
    page = open_page(viewport={"width": 1024, "height": 500})
    page.goto(path)
    count = number_the_controls(page)
    assert count > 10

    forwards = []
    for _ in range(count):
        page.keyboard.press("Tab")
        assert_focus_shows(page)
        forwards.append(focused(page)["index"])
    assert forwards == [str(index) for index in range(count)]

    backwards = []
    for _ in range(count - 1):
        page.keyboard.press("Shift+Tab")
        assert_focus_shows(page)
        backwards.append(focused(page)["index"])
    assert backwards == [str(index) for index in reversed(range(count - 1))]


def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(page):
    page.goto("/events/2017-standoff")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="← Back to the timeline")).to_be_focused()


def test_space_ticks_a_filter_and_focus_stays_on_it_while_the_results_change(page):
    page.goto("/")
    india = checkbox(page, "India")
    # The countries are one Tab stop; the arrow keys go from one to the next.
    tab_to(page, page.locator("#filters fieldset.facet").first.get_by_role("checkbox").first)
    arrow_to(page, india)

    page.keyboard.press("Space")

    expect(heading(page)).to_have_text("9 events match")
    expect(india).to_be_checked()
    expect(india).to_be_focused()
    assert_focus_shows(page)


def test_arrow_keys_change_the_order_and_focus_stays_on_the_list(page, app_url):
    page.goto("/")
    order = page.get_by_label("Order", exact=True)
    open_more_filters(page)
    tab_to(page, order)

    page.keyboard.press("ArrowDown")

    expect(page).to_have_url(f"{app_url}/?order=desc")
    expect(page.locator("#results li.event").first).to_have_id(ALL_EVENTS[-1])
    assert shown_events(page) == ALL_EVENTS[::-1][:3]
    expect(order).to_be_focused()


def test_typing_words_keeps_focus_in_the_field_while_the_results_change(page):
    page.goto("/")
    words = page.get_by_label("Words")
    tab_to(page, words)

    page.keyboard.type("clash")

    expect(heading(page)).to_have_text("1 event matches")
    expect(words).to_be_focused()
    expect(words).to_have_value("clash")


def test_enter_on_load_later_moves_focus_to_the_first_new_event(page):
    page.goto("/")
    load_more = page.locator("#later a")

    tab_to(page, load_more)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Plateau standoff")).to_be_focused()
    assert_focus_shows(page)

    # The next page continues 2020, which is already on screen.
    tab_to(page, load_more)
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Apps banned")).to_be_focused()
    assert_focus_shows(page)


def test_a_date_applies_on_leaving_its_field_and_focus_moves_on(page, app_url):
    page.goto("/")
    open_more_filters(page)
    tab_to(page, page.get_by_label("From"))

    page.keyboard.type("2020")
    page.keyboard.press("Tab")

    expect(page).to_have_url(f"{app_url}/?from=2020")
    expect(heading(page)).to_have_text("7 events match")
    expect(page.get_by_label("To", exact=True)).to_be_focused()
