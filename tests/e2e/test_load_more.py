""" "N later events" appends the next page of the same view."""

from playwright.sync_api import expect

from .helpers import ALL_EVENTS, INDIA_BORDER, heading, same_document, shown_events


def test_load_more_appends_each_next_page_without_repeating_an_event(page):
    page.goto("/")
    assert shown_events(page) == ALL_EVENTS[:3]
    load_later = page.locator("#later a")

    with same_document(page):
        for remaining, shown in ((8, 6), (5, 9), (2, 11)):
            expect(load_later).to_have_text(f"{remaining} later events")
            load_later.click()
            expect(page.locator("#results li.event")).to_have_count(shown)

    assert shown_events(page) == ALL_EVENTS
    expect(page.locator("#later")).to_have_text("End of the timeline.")
    expect(load_later).to_have_count(0)


def test_a_year_split_across_pages_keeps_one_heading(page):
    page.goto("/")
    for shown in (6, 9, 11):
        page.locator("#later a").click()
        expect(page.locator("#results li.event")).to_have_count(shown)

    years = page.locator(".year-heading").all_inner_texts()
    assert years == ["1962", "1988", "1999", "2017", "2020", "2024", "2025"]
    assert page.locator("#events-2020 > li").evaluate_all("items => items.map(i => i.id)") == [
        "2020-clash",
        "2020-tariff-talks",
        "2020-app-ban",
    ]


def test_load_more_keeps_the_filters_of_the_view(page):
    page.goto("/?country=IN&topic=border")
    expect(heading(page)).to_have_text("5 events match")

    page.get_by_role("link", name="2 later events").click()

    expect(page.locator("#results li.event")).to_have_count(5)
    assert shown_events(page) == INDIA_BORDER
    expect(page.locator("#later")).to_have_text("End of the timeline for these filters.")


def test_load_more_right_after_typing_words_keeps_the_page_it_loaded(page):
    page.goto("/")
    page.get_by_label("Words").fill("talks")
    expect(heading(page)).to_have_text("4 events match")

    # Leaving the field for the link must not reload the first page over the one just loaded.
    page.get_by_role("link", name="1 later event").click()

    expect(page.locator("#later")).to_have_text("End of the timeline for these filters.")
    assert shown_events(page) == ["1988-visit", "2020-tariff-talks", "2025-border-talks", "2025-pakistan-visit"]
