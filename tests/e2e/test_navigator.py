"""The time navigator above the timeline, used as a person uses it: a period moves the list there;
buttons, keys, the wheel and a drag zoom and pan, each step in the address and the history; without
JavaScript every step is a link; the axis is one Tab stop with a true-size focus ring."""

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import checkbox, heading, same_document

PHONE = {"width": 390, "height": 844}


def period(page: Page, label: str):
    """A period of the axis, by the start of its accessible name ('2020s: 4 events, …')."""
    return page.locator(f'#navigator a.period[aria-label^="{label}:"]')


def navigator_heading(page: Page):
    return page.locator("#navigator-heading")


def test_a_period_moves_the_list_there_and_keeps_every_filter(page, app_url):
    page.goto("/?country=IN&country=CN")
    with same_document(page):
        period(page, "2020s").focus()
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{app_url}/?country=IN&country=CN&at=2020")
    # A position, not a narrowing: the view still has all its events.
    expect(heading(page)).to_have_text("8 events match")
    expect(page.locator("#results li.event").first).to_have_attribute("data-date", re.compile("^2020"))
    expect(checkbox(page, "India")).to_be_checked()
    # Focus stays on the axis, on the period chosen, so the keys go on working.
    expect(period(page, "2020s")).to_be_focused()


def test_the_zoom_and_pan_buttons_step_the_axis_and_the_address(page, app_url):
    page.goto("/?country=IN&country=CN")
    expect(navigator_heading(page)).to_have_text("Events, 1960–2029, by decade")
    with same_document(page):
        # Zooming in keeps the list's first events (1962) in view.
        page.get_by_role("link", name="Zoom in", exact=True).click()
        expect(page).to_have_url(f"{app_url}/?country=IN&country=CN&span=1960..1994")
        expect(navigator_heading(page)).to_have_text("Events, 1960–1994, by 5 years")
        page.get_by_role("link", name="Later", exact=True).click()
        expect(page).to_have_url(f"{app_url}/?country=IN&country=CN&span=1975..2014")
        page.get_by_role("link", name="Whole range", exact=True).click()
        expect(page).to_have_url(f"{app_url}/?country=IN&country=CN")
    # One history entry per step, back to the page's own first one.
    page.go_back()
    expect(page).to_have_url(f"{app_url}/?country=IN&country=CN&span=1975..2014")
    expect(navigator_heading(page)).to_have_text(re.compile("^Events, 1975–2014"))
    page.go_back()
    page.go_back()
    expect(page).to_have_url(f"{app_url}/?country=IN&country=CN")
    expect(navigator_heading(page)).to_have_text("Events, 1960–2029, by decade")


def test_on_the_axis_the_arrows_move_between_periods_and_plus_and_minus_zoom(page, app_url):
    page.goto("/?country=IN&country=CN")
    period(page, "1960s").focus()
    page.keyboard.press("End")
    expect(period(page, "2020s")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(period(page, "2010s")).to_be_focused()
    page.keyboard.press("+")
    expect(page).to_have_url(re.compile(r"span=1995\.\.2029$"))
    expect(page.locator("#navigator a.period:focus")).to_have_attribute("aria-label", re.compile("^2010–2014:"))
    page.keyboard.press("-")
    expect(page).to_have_url(f"{app_url}/?country=IN&country=CN")


def test_past_the_last_period_the_arrow_pans_and_keeps_the_focus_moving_on(page):
    page.goto("/?country=IN&country=CN&span=1962..1981")
    expect(navigator_heading(page)).to_have_text("Events, 1962–1981, by 2 years")
    page.locator("#navigator a.period").last.focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"span=1972\.\.1991$"))
    expect(page.locator("#navigator a.period:focus")).to_have_attribute("aria-label", re.compile("^1982–1983:"))


def test_the_wheel_over_2020_zooms_to_at_most_five_years_around_it_in_one_history_entry(page, app_url):
    page.goto("/?country=IN&country=CN")
    entries = page.evaluate("history.length")
    box = page.locator("svg.navigator-axis").bounding_box()
    # The middle of 2020 on the axis of 1960 to 2029 (the plot is 95% of the chart's width).
    page.mouse.move(box["x"] + box["width"] * 0.95 * (60.5 / 70), box["y"] + box["height"] / 2)
    for _ in range(8):
        page.mouse.wheel(0, -200)
        page.wait_for_timeout(40)
    expect(page).to_have_url(re.compile(r"span=20[0-9]{2}"))
    found = re.search(r"span=([0-9]{4})[0-9-]*\.\.([0-9]{4})", page.url)
    assert int(found[1]) <= 2020 <= int(found[2]) and int(found[2]) - int(found[1]) + 1 <= 5
    assert page.evaluate("history.length") == entries + 1
    # Zooming out all the way gives the whole range back, without span=.
    page.locator("#navigator a.period").first.focus()
    for _ in range(6):
        page.keyboard.press("-")
        page.wait_for_timeout(150)
    expect(page).to_have_url(f"{app_url}/?country=IN&country=CN")


def test_a_drag_pans_to_earlier_years(page):
    page.goto("/?country=IN&country=CN&span=2000..2019")
    box = page.locator("svg.navigator-axis").bounding_box()
    middle = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 300, middle)
    page.mouse.down()
    page.mouse.move(box["x"] + 600, middle, steps=6)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"span=19[89][0-9]\.\."))
    # The drag is not a click: the list did not move.
    assert "at=" not in page.url


def test_without_javascript_every_step_and_period_is_a_link(no_js_page, app_url):
    page = no_js_page
    page.goto("/?country=IN&country=CN")
    page.get_by_role("link", name="Zoom in", exact=True).click()
    expect(page).to_have_url(f"{app_url}/?country=IN&country=CN&span=1960..1994")
    page.get_by_role("link", name="Later", exact=True).click()
    expect(page).to_have_url(f"{app_url}/?country=IN&country=CN&span=1975..2014")
    period(page, "1985–1989").click()
    expect(page).to_have_url(f"{app_url}/?country=IN&country=CN&at=1985&span=1975..2014")
    expect(heading(page)).to_have_text("8 events match")


def test_the_axis_is_one_tab_stop_with_a_focus_ring_at_its_true_size(page):
    page.goto("/?country=IN&country=CN")
    page.get_by_role("link", name="Zoom in", exact=True).focus()
    # The toolbar is one stop: the next Tab is on the axis.
    page.keyboard.press("Tab")
    expect(period(page, "1960s")).to_be_focused()
    focused_period = page.locator("#navigator a.period:focus")
    assert focused_period.evaluate("a => getComputedStyle(a).outlineWidth") == "3px"
    box, axis = focused_period.bounding_box(), page.locator("svg.navigator-axis").bounding_box()
    # The ring goes round the period: one seventh of the plot and as tall as it, not stretched by
    # the plot's scaling.
    assert box["width"] == pytest.approx(axis["width"] * 0.95 / 7, abs=1)
    assert box["height"] == pytest.approx(120, abs=1)
    # The axis is one stop too: the next Tab leaves it.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('svg') === null")


def test_on_a_phone_every_period_is_a_target_of_at_least_24_pixels(open_page):
    page = open_page(viewport=PHONE)
    page.goto("/?country=IN&country=CN&span=2015..2025")
    boxes = page.locator("#navigator a.period rect").evaluate_all(
        "rects => rects.map(rect => { const box = rect.getBoundingClientRect(); return [box.width, box.height]; })"
    )
    assert len(boxes) == 11 and all(width >= 24 and height >= 24 for width, height in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_band_of_the_events_on_screen_follows_the_list(page):
    page.goto("/")
    here = page.locator("#navigator-here")
    expect(here).to_be_attached()
    first_x = float(here.get_attribute("x").rstrip("%"))
    page.locator("#later a").click()
    expect(page.locator("#results li.event")).to_have_count(6)
    page.locator("#later a").click()
    expect(page.locator("#results li.event")).to_have_count(9)
    page.locator("#results li.event").last.scroll_into_view_if_needed()
    expect(here).not_to_have_attribute("x", f"{first_x:g}%")
    assert float(here.get_attribute("x").rstrip("%")) > first_x


def test_the_axis_follows_the_filters(page):
    page.goto("/")
    expect(page.locator("#navigator a.period")).to_have_count(7)
    checkbox(page, "Pakistan").check()
    expect(heading(page)).to_have_text("1 event matches")
    expect(navigator_heading(page)).to_have_text("Events in August 2025")
    expect(period(page, "August 2025")).to_have_attribute("aria-label", "August 2025: 1 event")


def test_era_bands_and_marks_show_on_the_timeline(page):
    page.goto("/?country=IN&country=CN")
    expect(page.locator("#navigator rect.era-band")).to_have_count(3)
    expect(page.locator("ol.era-legend li")).to_have_text(
        [
            "War on the frontier 20 October – 21 November 1962",
            "Standoff on the plateau June–August 2017",
            "Renewed talks 2024–2025",
        ]
    )
    expect(page.locator("#events-1962 > li.era-mark-begins")).to_contain_text("War on the frontier")


def test_one_click_on_its_mark_brings_the_tianjin_meeting_into_view(browser, shipped_data_url):
    context = browser.new_context(base_url=shipped_data_url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto("/?country=IN&country=CN")
        mark = page.locator("#navigator path[data-at='2025-08-31']").first.bounding_box()
        page.mouse.click(mark["x"] + mark["width"] / 2, mark["y"] + mark["height"] - 4)
        expect(page.locator("[id='2025-08-31-modi-xi-tianjin-meeting']")).to_be_in_viewport()
        expect(page).to_have_url(re.compile(r"country=IN&country=CN&at=2025-08"))
        expect(heading(page)).to_have_text("164 events match")
    finally:
        context.close()


def test_at_most_fifteen_tab_presses_reach_the_first_event(browser, shipped_data_url):
    context = browser.new_context(base_url=shipped_data_url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto("/")
        for _ in range(15):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('li.event h3 a')"):
                break
        assert page.evaluate("document.activeElement.matches('li.event h3 a')"), "15 presses did not reach an event"
        first, second = page.locator("#results li.event").evaluate_all("items => items.map(item => item.id)")[:2]
        assert page.evaluate("document.activeElement.closest('li.event').id") == first
        page.keyboard.press("j")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(f"/events/{second}$"))
    finally:
        context.close()


def test_on_a_phone_a_pinch_zooms_and_a_swipe_pans(open_page):
    page = open_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto("/?country=IN&country=CN")
    touches = page.context.new_cdp_session(page)
    box = page.locator("svg.navigator-axis").bounding_box()
    y = box["y"] + box["height"] / 2
    middle_of_2020 = box["x"] + box["width"] * 0.95 * (60.5 / 70)

    def touch(kind: str, xs: list[float]) -> None:
        points = [{"x": x, "y": y, "id": number} for number, x in enumerate(xs)]
        touches.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    # Two fingers spread around 2020, to four times their distance.
    touch("touchStart", [middle_of_2020 - 20, middle_of_2020 + 20])
    for step in range(1, 11):
        touch("touchMove", [middle_of_2020 - 20 - step * 6, middle_of_2020 + 20 + step * 6])
    touch("touchEnd", [])
    expect(page).to_have_url(re.compile(r"span="))
    found = re.search(r"span=([0-9]{4})[0-9-]*\.\.([0-9]{4})", page.url)
    first, last = int(found[1]), int(found[2])
    assert first <= 2020 <= last and last - first < 35

    # One finger to the right: earlier years.
    touch("touchStart", [box["x"] + 100])
    for step in range(1, 11):
        touch("touchMove", [box["x"] + 100 + step * 15])
    touch("touchEnd", [])
    expect(page).not_to_have_url(re.compile(f"span={first}"))
    assert int(re.search(r"span=([0-9]{4})", page.url)[1]) < first


def test_on_a_phone_tapping_a_period_brings_its_events_into_view(open_page, app_url):
    page = open_page(viewport=PHONE, has_touch=True, is_mobile=True)
    page.goto("/?country=IN&country=CN")
    period(page, "2020s").tap()
    expect(page).to_have_url(f"{app_url}/?country=IN&country=CN&at=2020")
    expect(page.locator("#results li.event").first).to_be_in_viewport()
    expect(page.locator("#results li.event").first).to_have_attribute("data-date", re.compile("^2020"))
