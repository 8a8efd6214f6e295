"""Without JavaScript the same form submits, and the server renders the same results."""

from playwright.sync_api import expect

from .helpers import INDIA_BORDER, checkbox, heading, shown_events


def test_filters_work_by_submitting_the_form(no_js_page, app_url):
    page = no_js_page
    page.goto("/")
    checkbox(page, "India").check()
    checkbox(page, "Border").check()
    expect(heading(page)).to_have_text("11 events")

    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(f"{app_url}/?q=&country=IN&topic=border&from=&to=&importance=&order=asc")
    expect(heading(page)).to_have_text("5 events match")
    assert shown_events(page) == INDIA_BORDER[:3]
    expect(checkbox(page, "India")).to_be_checked()
    expect(checkbox(page, "Border")).to_be_checked()


def test_submitting_the_form_gives_the_results_that_htmx_gives(no_js_page, page):
    no_js_page.goto("/")
    no_js_page.get_by_label("Words").fill("talks")
    no_js_page.get_by_text("Dates, importance and order").click()
    no_js_page.get_by_label("Order", exact=True).select_option(label="Newest first")
    no_js_page.get_by_role("button", name="Apply filters").click()
    expect(heading(no_js_page)).to_have_text("4 events match")

    page.goto("/")
    page.get_by_label("Words").fill("talks")
    page.get_by_text("Dates, importance and order").click()
    page.get_by_label("Order", exact=True).select_option(label="Newest first")
    expect(heading(page)).to_have_text("4 events match")
    assert (
        shown_events(page)
        == shown_events(no_js_page)
        == [
            "2025-pakistan-visit",
            "2025-border-talks",
            "2020-tariff-talks",
        ]
    )


def test_later_and_earlier_are_links_to_the_next_and_previous_pages(no_js_page):
    page = no_js_page
    page.goto("/?country=IN&topic=border")

    page.get_by_role("link", name="2 later events").click()

    expect(heading(page)).to_have_text("5 events match")
    assert shown_events(page) == INDIA_BORDER[3:]
    page.get_by_role("link", name="3 earlier events").click()
    assert shown_events(page) == INDIA_BORDER[:3]
