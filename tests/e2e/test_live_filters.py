"""With JavaScript, the filters update the results in place and the address bar follows."""

import re

from playwright.sync_api import expect

from .helpers import (
    ALL_EVENTS,
    INDIA,
    INDIA_BORDER,
    checkbox,
    heading,
    same_document,
    shown_events,
    wait_until,
)


def test_ticking_a_country_and_a_topic_updates_results_in_place_and_the_address(page, app_url):
    page.goto("/")
    expect(heading(page)).to_have_text("11 events")

    with same_document(page):
        checkbox(page, "India").check()
        expect(heading(page)).to_have_text("9 events match")
        checkbox(page, "Border").check()
        expect(heading(page)).to_have_text("5 events match")

    expect(page).to_have_url(f"{app_url}/?country=IN&topic=border")
    expect(page).to_have_title("Filtered timeline · Relations Timeline")
    assert shown_events(page) == INDIA_BORDER[:3]
    expect(page.get_by_role("link", name="2 later events")).to_be_visible()


def test_reloading_a_filtered_address_shows_the_same_view(page):
    page.goto("/")
    checkbox(page, "India").check()
    checkbox(page, "Border").check()
    expect(heading(page)).to_have_text("5 events match")
    before = shown_events(page)

    page.reload()

    expect(heading(page)).to_have_text("5 events match")
    assert shown_events(page) == before
    expect(checkbox(page, "India")).to_be_checked()
    expect(checkbox(page, "Border")).to_be_checked()
    expect(checkbox(page, "China")).not_to_be_checked()


def test_facet_counts_follow_the_other_filters(page):
    page.goto("/")
    count = page.locator("#count-topic-trade")
    expect(count).to_have_text("4 events")

    checkbox(page, "United States").check()

    expect(heading(page)).to_have_text("2 events match")
    expect(count).to_have_text("2 events")


def test_back_and_forward_restore_filters_and_results(page, app_url):
    page.goto("/")
    checkbox(page, "India").check()
    expect(heading(page)).to_have_text("9 events match")
    checkbox(page, "Border").check()
    expect(heading(page)).to_have_text("5 events match")

    page.go_back()
    expect(page).to_have_url(f"{app_url}/?country=IN")
    expect(heading(page)).to_have_text("9 events match")
    assert shown_events(page) == INDIA[:3]
    expect(checkbox(page, "India")).to_be_checked()
    expect(checkbox(page, "Border")).not_to_be_checked()

    page.go_back()
    expect(page).to_have_url(f"{app_url}/")
    expect(page).to_have_title("Relations Timeline")
    expect(heading(page)).to_have_text("11 events")
    assert shown_events(page) == ALL_EVENTS[:3]
    expect(checkbox(page, "India")).not_to_be_checked()

    page.go_forward()
    expect(heading(page)).to_have_text("9 events match")
    page.go_forward()
    expect(page).to_have_url(f"{app_url}/?country=IN&topic=border")
    expect(heading(page)).to_have_text("5 events match")
    expect(checkbox(page, "India")).to_be_checked()
    expect(checkbox(page, "Border")).to_be_checked()


def test_filters_still_update_in_place_after_going_back(page):
    page.goto("/")
    checkbox(page, "India").check()
    expect(heading(page)).to_have_text("9 events match")
    page.go_back()
    expect(heading(page)).to_have_text("11 events")

    with same_document(page):
        checkbox(page, "Trade").check()
        expect(heading(page)).to_have_text("4 events match")


def test_words_narrow_results_as_the_user_types_with_one_request_per_pause(page, app_url):
    page.goto("/")
    fragment_requests = []
    page.on("request", lambda r: r.headers.get("hx-request") and fragment_requests.append(r.url))

    with same_document(page):
        page.get_by_label("Words").press_sequentially("border", delay=40)
        expect(heading(page)).to_have_text("3 events match")

    assert shown_events(page) == ["1962-war", "1988-visit", "2025-border-talks"]
    # The word being typed is searched as a prefix, and the address says so.
    expect(page).to_have_url(f"{app_url}/?q=border*")
    # Debounced: typing six letters in a row asked the server far fewer times.
    assert 1 <= len(fragment_requests) < 3, fragment_requests


def test_a_word_being_typed_is_searched_as_a_prefix(page, app_url):
    page.goto("/")
    with same_document(page):
        page.get_by_label("Words").press_sequentially("Wash", delay=40)
        expect(heading(page)).to_have_text("1 event matches")
    assert shown_events(page) == ["2020-tariff-talks"]
    expect(page).to_have_url(f"{app_url}/?q=Wash*")


def test_typing_slowly_never_flashes_no_results(page):
    page.goto("/")
    fragments = []
    page.on("response", lambda r: r.request.headers.get("hx-request") and fragments.append(r))

    with same_document(page):
        # Pauses longer than the search waits for, so each letter from the third on asks the server.
        page.get_by_label("Words").press_sequentially("talks", delay=500)
        expect(heading(page)).to_have_text("4 events match")

    shown = [re.search(r"(\d+) events? match", response.text()).group(1) for response in fragments]
    assert len(shown) >= 2
    assert "0" not in shown


def test_clearing_the_words_restores_the_results(page, app_url):
    page.goto("/?q=border")
    expect(heading(page)).to_have_text("3 events match")

    with same_document(page):
        page.get_by_label("Words").fill("")
        expect(heading(page)).to_have_text("11 events")

    assert shown_events(page) == ALL_EVENTS[:3]
    expect(page).to_have_url(f"{app_url}/")


def test_a_loading_indicator_shows_while_results_load(page):
    page.goto("/")
    held = []
    page.route(re.compile(r".*/\?.*country=CN.*"), lambda route: held.append(route))
    loading = page.locator("#results .loading")
    expect(loading).to_be_hidden()

    checkbox(page, "China").check()

    expect(loading).to_be_visible()
    expect(page.locator("#results")).to_have_attribute("aria-busy", "true")
    wait_until(page, lambda: held)
    held[0].continue_()
    expect(heading(page)).to_have_text("10 events match")
    expect(loading).to_be_hidden()
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")


def test_screen_readers_hear_the_new_number_of_results(page):
    page.goto("/")
    status = page.get_by_role("status")
    expect(status).to_have_text("11 events")

    checkbox(page, "Russia").check()

    expect(status).to_have_text("1 event matches")


def test_when_nothing_matches_the_page_says_so_and_offers_to_clear_the_filters(page, app_url):
    page.goto("/")
    checkbox(page, "Pakistan").check()
    checkbox(page, "United States").check()
    expect(heading(page)).to_have_text("0 events match")
    expect(page.locator("#results")).to_contain_text("No events match these filters.")
    expect(page.locator("#results")).to_contain_text("Try fewer countries")

    page.locator("#results").get_by_role("link", name="Clear all filters").click()

    expect(page).to_have_url(f"{app_url}/")
    expect(heading(page)).to_have_text("11 events")
    expect(checkbox(page, "Pakistan")).not_to_be_checked()


def test_an_invalid_date_is_explained_beside_its_field(page):
    page.goto("/")
    page.get_by_text("Dates, importance and order").click()

    page.get_by_label("From").fill("2020-13")
    page.get_by_label("From").press("Enter")

    expect(heading(page)).to_have_text("Check the filters")
    expect(page.locator("#error-from")).to_have_text("from: '2020-13' is not a valid date")


def test_a_form_change_keeps_the_parameters_in_the_order_the_reader_gave(page, app_url):
    # The form lists China before India; the address names India first.
    page.goto("/?country=IN&country=CN&q=border")

    with same_document(page):
        checkbox(page, "Border").check()
        expect(page).to_have_url(f"{app_url}/?country=IN&country=CN&q=border&topic=border")
        page.locator("#q").fill("talks")
        page.locator("#q").press("Enter")

    expect(page).to_have_url(f"{app_url}/?country=IN&country=CN&q=talks&topic=border")
