"""The overview above the timeline: clicking a bar narrows the timeline to its period, with and
without JavaScript, and the chart follows the filters."""

import pytest
from playwright.sync_api import Page, expect

from .helpers import checkbox, heading, same_document, shown_events

YEAR_2020 = ["2020-clash", "2020-tariff-talks", "2020-app-ban"]


def bar(page: Page, period: str):
    """The bar of a period, found by its accessible name ('2020: 3 events, …')."""
    return page.locator("svg.overview-chart").get_by_role("link", name=f"{period}:")


def test_clicking_a_bar_narrows_the_timeline_in_place(page, app_url):
    page.goto("/")
    expect(page.locator("#overview-heading")).to_have_text("Events per year and their average tone")

    with same_document(page):
        bar(page, "2020").click()
        expect(heading(page)).to_have_text("3 events match")

    expect(page).to_have_url(f"{app_url}/?from=2020&to=2020")
    assert shown_events(page) == YEAR_2020
    # The form shows the period, so the next filter keeps it.
    expect(page.get_by_label("From")).to_have_value("2020")
    expect(page.get_by_label("To", exact=True)).to_have_value("2020")
    expect(heading(page)).to_be_focused()
    # A year is counted by month: June's bar narrows further.
    expect(page.locator("#overview-heading")).to_have_text("Events per month and their average tone")
    with same_document(page):
        bar(page, "June 2020").click()
        expect(page).to_have_url(f"{app_url}/?from=2020-06&to=2020-06")
    expect(heading(page)).to_have_text("3 events match")

    with same_document(page):
        checkbox(page, "United States").check()
        expect(heading(page)).to_have_text("1 event matches")
    # A new choice goes after the parameters the view already had (the reader's order).
    expect(page).to_have_url(f"{app_url}/?from=2020-06&to=2020-06&country=US")


def test_a_bar_keeps_the_filters_of_the_view(page, app_url):
    page.goto("/?country=IN&country=CN")
    expect(heading(page)).to_have_text("8 events match")

    with same_document(page):
        bar(page, "2025").click()
        expect(heading(page)).to_have_text("1 event matches")

    assert shown_events(page) == ["2025-border-talks"]
    expect(checkbox(page, "India")).to_be_checked()
    expect(checkbox(page, "China")).to_be_checked()


@pytest.fixture
def no_js_page(open_page):
    return open_page(java_script_enabled=False)


def test_without_javascript_a_bar_is_a_link_to_the_narrowed_timeline(no_js_page, app_url):
    page = no_js_page
    page.goto("/")

    bar(page, "2020").click()

    expect(page).to_have_url(f"{app_url}/?from=2020&to=2020")
    expect(heading(page)).to_have_text("3 events match")
    assert shown_events(page) == YEAR_2020
    expect(page.get_by_label("From")).to_have_value("2020")


def test_the_chart_follows_the_filters(page):
    page.goto("/")
    expect(page.locator("svg.overview-chart a.bar-link")).to_have_count(7)

    checkbox(page, "Pakistan").check()

    expect(heading(page)).to_have_text("1 event matches")
    expect(page.locator("svg.overview-chart a.bar-link")).to_have_count(1)
    expect(bar(page, "August 2025")).to_be_visible()


def test_era_bands_and_marks_show_on_the_timeline(page):
    page.goto("/?country=IN&country=CN")
    expect(page.locator("svg.overview-chart rect.era-band")).to_have_count(3)
    expect(page.locator("ol.era-legend li")).to_have_text(
        [
            "War on the frontier 20 October – 21 November 1962",
            "Standoff on the plateau June–August 2017",
            "Renewed talks 2024–2025",
        ]
    )
    expect(page.locator("#events-1962 > li.era-mark-begins")).to_contain_text("War on the frontier")
