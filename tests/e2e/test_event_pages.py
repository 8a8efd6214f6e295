"""From the timeline to an event, along the timeline by its neighbours, and back by its topics."""

from playwright.sync_api import expect

from .helpers import checkbox, heading


def test_clicking_an_event_opens_its_page(page, app_url):
    page.goto("/?topic=border")

    page.get_by_role("link", name="Plateau standoff").click()

    expect(page).to_have_url(f"{app_url}/events/2017-standoff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plateau standoff")
    expect(page.locator(".event-page time")).to_have_text("16 June – 28 August 2017")
    expect(page).to_have_title("Plateau standoff · Relations Timeline")


def test_previous_and_next_links_walk_through_the_timeline(page, app_url):
    page.goto("/events/2017-standoff")
    expect(page.locator("a[rel=prev]")).to_contain_text("A year of quiet trade growth")

    page.locator("a[rel=next]").click()
    expect(page).to_have_url(f"{app_url}/events/2020-clash")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadly clash in the valley")

    page.locator("a[rel=prev]").click()
    expect(page).to_have_url(f"{app_url}/events/2017-standoff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plateau standoff")


def test_the_first_and_last_events_link_only_inwards(page):
    page.goto("/events/1962-war")
    expect(page.locator("a[rel=prev]")).to_have_count(0)
    expect(page.locator("a[rel=next]")).to_contain_text("Prime minister visits Beijing")

    page.goto("/events/2025-pakistan-visit")
    expect(page.locator("a[rel=next]")).to_have_count(0)
    expect(page.locator("a[rel=prev]")).to_contain_text("Border talks in the capital")


def test_a_topic_chip_leads_back_to_the_timeline_filtered_by_it(page, app_url):
    page.goto("/events/2017-standoff")

    page.locator(".event-page .chips").get_by_role("link", name="Border").click()

    expect(page).to_have_url(f"{app_url}/?topic=border")
    expect(heading(page)).to_have_text("5 events match")
    expect(checkbox(page, "Border")).to_be_checked()
    expect(page.get_by_role("link", name="Plateau standoff")).to_be_visible()
