"""Moving through the list: from any date, both ways, and back to the same place.

Playwright starts Chromium with --disable-back-forward-cache, so Back loads the page again; the
tests that go Back also check that it did (a mark left on the page is gone).
"""

from playwright.sync_api import expect

from .helpers import ALL_EVENTS, heading, same_document, shown_events


def later(page):
    return page.locator("#later a.button")


def earlier(page):
    return page.locator("#earlier a.button")


def top_of(page, slug: str) -> float:
    return page.locator(f"[id='{slug}']").evaluate("card => card.getBoundingClientRect().top")


def test_after_loading_later_twice_back_from_an_event_shows_the_same_events_with_its_card_in_view(page):
    page.goto("/")
    for shown in (6, 9):
        later(page).click()
        expect(page.locator("#results li.event")).to_have_count(shown)
    listed = shown_events(page)
    page.evaluate("window.e2eStillHere = true")
    page.locator("[id='2024-summit'] h3 a").click()
    expect(page).to_have_url("/events/2024-summit")

    page.go_back()

    expect(page.locator("#results li.event")).to_have_count(9)
    assert shown_events(page) == listed
    assert page.evaluate("window.e2eStillHere") is None  # a new document: no back/forward cache
    expect(page.locator("[id='2024-summit']")).to_be_in_viewport()


def test_reloading_after_loading_later_keeps_the_events_and_the_card_in_view(page):
    page.goto("/")
    later(page).click()
    expect(page.locator("#results li.event")).to_have_count(6)
    page.locator("[id='2020-clash']").scroll_into_view_if_needed()
    top = top_of(page, "2020-clash")

    page.reload()

    assert shown_events(page) == ALL_EVENTS[:6]
    assert abs(top_of(page, "2020-clash") - top) < 2


def test_at_2020_lists_the_galwan_events_and_says_how_many_come_before(page):
    page.goto("/?at=2020")

    assert shown_events(page) == ["2020-clash", "2020-tariff-talks", "2020-app-ban"]
    expect(earlier(page)).to_have_text("4 earlier events")
    expect(later(page)).to_have_text("4 later events")
    expect(heading(page)).to_have_text("11 events")


def test_loading_earlier_keeps_the_card_being_read_where_it_was(page, app_url):
    page.goto("/?at=2020")
    top = top_of(page, "2020-clash")

    with same_document(page):
        earlier(page).click()
        expect(page.locator("#results li.event")).to_have_count(6)

    assert shown_events(page) == ALL_EVENTS[1:7]
    assert abs(top_of(page, "2020-clash") - top) < 120  # at most the step to the focused new event
    expect(page.locator("[id='2020-clash']")).to_be_in_viewport()
    expect(page.get_by_role("link", name="Plateau standoff")).to_be_focused()
    expect(earlier(page)).to_have_text("1 earlier event")
    page.reload()
    assert shown_events(page) == ALL_EVENTS[1:7]


def test_the_newest_event_is_one_step_from_the_first_visit(page):
    page.goto("/")

    page.get_by_role("link", name="Newest events").click()

    expect(page.locator("[id='2025-pakistan-visit']")).to_be_visible()
    expect(earlier(page)).to_have_text("8 earlier events")


def test_back_to_the_timeline_returns_to_the_view_the_reader_came_from(page):
    page.goto("/?at=2020")
    later(page).click()
    expect(page.locator("#results li.event")).to_have_count(6)
    listed = shown_events(page)
    page.locator("[id='2025-export-controls'] h3 a").click()

    page.get_by_role("link", name="← Back to the timeline").click()

    expect(page.locator("#results li.event")).to_have_count(6)
    assert shown_events(page) == listed
    expect(page.locator("[id='2025-export-controls']")).to_be_in_viewport()


def test_back_to_the_timeline_arrived_from_elsewhere_shows_a_view_holding_the_event(page):
    page.goto("/events/2025-border-talks")

    page.get_by_role("link", name="← Back to the timeline").click()

    expect(page.locator("[id='2025-border-talks']")).to_be_in_viewport()


def test_j_then_enter_opens_the_second_event(page):
    page.goto("/")

    page.keyboard.press("j")
    page.keyboard.press("Enter")

    expect(page).to_have_url("/events/1988-visit")


def test_j_k_and_the_arrow_keys_move_focus_between_events(page):
    page.goto("/")

    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator("[id='1999-year-event'] h3 a")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator("[id='1988-visit'] h3 a")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("[id='1999-year-event'] h3 a")).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator("[id='1988-visit'] h3 a")).to_be_focused()


def test_j_types_a_letter_in_a_field_rather_than_moving(page):
    page.goto("/")
    words = page.get_by_label("Words")
    words.focus()

    page.keyboard.press("j")

    expect(words).to_have_value("j")
    expect(words).to_be_focused()


def test_skip_to_results_is_the_first_tab_stop(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to results")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")

    expect(heading(page)).to_be_focused()


def test_applying_a_filter_far_down_the_list_moves_focus_and_view_to_the_results_heading(page):
    page.goto("/")
    for shown in (6, 9, 11):
        later(page).click()
        expect(page.locator("#results li.event")).to_have_count(shown)
    page.locator("#later").scroll_into_view_if_needed()
    expect(heading(page)).not_to_be_in_viewport()

    page.get_by_label("Words").fill("talks")
    page.get_by_label("Words").press("Enter")

    expect(heading(page)).to_have_text("4 events match")
    expect(heading(page)).to_be_focused()
    expect(heading(page)).to_be_in_viewport()
    expect(page.locator("#results-status")).to_have_text("4 events match")


def test_ticking_a_filter_far_down_the_list_brings_the_results_heading_into_view(page):
    page.goto("/")
    for shown in (6, 9, 11):
        later(page).click()
        expect(page.locator("#results li.event")).to_have_count(shown)
    page.locator("#later").scroll_into_view_if_needed()

    page.locator("#filters label.facet-option", has_text="Border").get_by_role("checkbox").check()

    expect(heading(page)).to_have_text("5 events match")
    expect(heading(page)).to_be_in_viewport()
