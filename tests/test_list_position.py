"""The timeline list's position: `at` starts it anywhere, it grows both ways with counts of what is
left, its address names what it shows, and `span` rides along in every link it makes."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from app.config import Settings
from app.elapsed import elapsed_marks, months_between
from app.main import create_app
from app.models import Precision
from tests.test_filters import ALL

PAGE = 3


@pytest.fixture(scope="module")
def small_pages(shared_database_url):
    with TestClient(create_app(Settings(database_url=shared_database_url, page_size=PAGE))) as client:
        yield client


def html_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def listed(html: BeautifulSoup) -> list[str]:
    return [item["id"] for item in html.select("li.event")]


def control(html: BeautifulSoup, name: str):
    return html.select_one(f"#{name} a.button")


def grow(client, html: BeautifulSoup, way: str):
    """What htmx asks for when the "earlier" or "later" control is pressed."""
    response = client.get(control(html, way)["hx-get"], headers={"HX-Request": "true", "HX-Target": way})
    assert response.status_code == 200
    return response


def test_at_starts_the_list_at_the_first_event_on_or_after_it(small_pages):
    html = html_of(small_pages.get("/?at=2020"))

    assert listed(html) == ["2020-clash", "2020-tariff-talks", "2020-app-ban"]
    assert control(html, "earlier").get_text() == "4 earlier events"
    assert control(html, "later").get_text() == "4 later events"


def test_at_newest_first_starts_at_the_last_event_on_or_before_its_end(small_pages):
    html = html_of(small_pages.get("/?order=desc&at=2020"))

    assert listed(html) == ["2020-app-ban", "2020-tariff-talks", "2020-clash"]
    # Newest first, the events above are the later ones.
    assert control(html, "earlier").get_text() == "4 later events"
    assert control(html, "later").get_text() == "4 earlier events"


def test_at_past_the_end_shows_the_newest_events_in_one_step(small_pages):
    first = html_of(small_pages.get("/"))
    newest = html_of(small_pages.get(first.find("a", string="Newest events")["href"]))

    assert listed(newest) == ALL[-PAGE:]
    assert control(newest, "earlier").get_text() == "8 earlier events"
    assert "End of the timeline" in newest.select_one("#later").get_text()


def test_at_is_a_position_not_a_narrowing(small_pages):
    whole, placed = html_of(small_pages.get("/?country=IN")), html_of(small_pages.get("/?country=IN&at=2020"))

    assert placed.select_one("#results-heading").get_text() == whole.select_one("#results-heading").get_text()
    assert [count.get_text() for count in placed.select(".facet-count")] == [
        count.get_text() for count in whole.select(".facet-count")
    ]


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("at=2020-13", "at"),
        ("at=soon", "at"),
        ("span=2021..2020", "span"),
        ("span=2020", "span"),
        ("span=2020-01-01..2020-02-01", "span"),
        ("at=2020&after=737591_4", "at"),
        ("until=tomorrow", "until"),
    ],
)
def test_a_bad_position_is_refused_naming_its_parameter(small_pages, query, param):
    response = small_pages.get(f"/?{query}")

    assert response.status_code == 422
    assert [name.get_text() for name in html_of(response).select(".notice-error li strong")] == [param]


def test_span_is_carried_in_every_link_the_list_makes(small_pages):
    html = html_of(small_pages.get("/?at=2020&span=2015..2025"))
    later = html_of(grow(small_pages, html, "later"))
    earlier = html_of(grow(small_pages, html, "earlier"))

    links = [
        link.get(attribute)
        for page in (html, later, earlier)
        for link in page.select("#earlier a, #later a")
        for attribute in ("href", "hx-get")
        if link.get(attribute)
    ]
    assert len(links) >= 10
    assert all("span=2015..2025" in link for link in links)


def test_every_event_carries_its_start_day(shared_client):
    html = html_of(shared_client.get("/"))
    days = {item["id"]: item["data-date"] for item in html.select("li.event")}

    assert days["1988-visit"] == "1988-12-01"
    assert days["2020-clash"] == "2020-06-15"
    assert len(days) == len(ALL)


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("at", ["1900", "1988-12", "2020-06-15", "2020-06-16", "2025-05", "9999"])
def test_the_counts_either_way_are_the_events_beyond_each_end(small_pages, order, at):
    html = html_of(small_pages.get(f"/?order={order}&at={at}"))
    in_order = ALL if order == "asc" else ALL[::-1]
    shown = listed(html)
    first = in_order.index(shown[0])

    earlier = control(html, "earlier")
    later = control(html, "later")
    assert (int(earlier.get_text().split()[0]) if earlier else 0) == first
    assert (int(later.get_text().split()[0]) if later else 0) == len(ALL) - first - len(shown)
    assert shown == in_order[first : first + len(shown)]


def test_the_address_after_loading_later_shows_the_same_events(small_pages):
    html = html_of(small_pages.get("/?at=2020"))
    response = grow(small_pages, html, "later")

    assert listed(html_of(response)) == ["2024-summit", "2025-export-controls", "2025-border-talks"]
    reloaded = html_of(small_pages.get(response.headers["HX-Replace-Url"]))
    assert listed(reloaded) == ALL[4:10]
    assert control(reloaded, "earlier").get_text() == "4 earlier events"
    assert control(reloaded, "later").get_text() == "1 later event"


def test_the_address_after_loading_earlier_shows_the_same_events(small_pages):
    html = html_of(small_pages.get("/?at=2020"))
    response = grow(small_pages, html, "earlier")
    fragment = html_of(response)

    assert [item["id"] for item in fragment.select("[hx-swap-oob='afterbegin:#timeline'] li.event")] == ALL[1:4]
    reloaded = html_of(small_pages.get(response.headers["HX-Replace-Url"]))
    assert listed(reloaded) == ALL[1:7]
    assert control(reloaded, "earlier").get_text() == "1 earlier event"
    # Both controls are redrawn with the list's new address.
    assert fragment.select_one("#later[hx-swap-oob]") is not None


def test_earlier_events_of_the_year_on_screen_join_its_section(small_pages):
    html = html_of(small_pages.get("/?at=2020-06-29"))
    fragment = html_of(grow(small_pages, html, "earlier"))

    joined = fragment.select_one("[hx-swap-oob='afterbegin:#events-2020']")
    assert [item["id"] for item in joined.select("li.event")] == ["2020-clash", "2020-tariff-talks"]
    new_years = fragment.select_one("[hx-swap-oob='afterbegin:#timeline']")
    assert [heading.get_text() for heading in new_years.select("h2")] == ["2017"]
    assert new_years.select_one(".gap-mark").get_text() == "2 years later"


def test_walking_earlier_without_javascript_reaches_the_first_event(small_pages):
    seen, url = [], "/?at=9999"
    while url:
        html = html_of(small_pages.get(url))
        seen = listed(html) + seen
        earlier = control(html, "earlier")
        url = earlier["href"] if earlier else None
    assert seen == ALL


def test_a_long_gap_between_two_events_shown_is_marked(shared_client):
    html = html_of(shared_client.get("/"))

    marks = [mark.get_text() for mark in html.select("#timeline > .gap-mark")]
    assert marks == ["26 years later", "10 years later", "18 years later", "2 years later", "4 years later"]
    # Each stands just above the year it leads to.
    assert html.find("p", string="26 years later").find_next_sibling("section").h2.get_text() == "1988"


def test_newest_first_a_long_gap_is_time_earlier(shared_client):
    html = html_of(shared_client.get("/?order=desc"))

    marks = [mark.get_text() for mark in html.select("#timeline > .gap-mark")]
    assert marks == ["4 years earlier", "2 years earlier", "18 years earlier", "10 years earlier", "26 years earlier"]


def test_no_gap_is_marked_above_the_first_event_shown(small_pages):
    html = html_of(small_pages.get("/?at=2017"))

    assert html.select_one("#timeline").find(True)["class"] == ["year"]


def _event(event_id: int, day: date, precision: Precision = Precision.day):
    class Shown:
        pass

    shown = Shown()
    shown.id, shown.start_date, shown.date_precision = event_id, day, precision
    return shown


def test_a_dense_year_gets_a_heading_for_each_month_it_holds():
    items = [_event(1, date(2020, 1, 5)), _event(2, date(2020, 1, 9)), _event(3, date(2020, 3, 1))]

    marks = elapsed_marks(items, None, None, dense_years={2020})

    assert marks.months == {1: ("month-2020-01", "January 2020"), 3: ("month-2020-03", "March 2020")}


def test_a_sparse_year_gets_no_month_headings():
    items = [_event(1, date(2019, 1, 5)), _event(2, date(2019, 6, 9))]

    assert elapsed_marks(items, None, None, dense_years={2020}).months == {}


def test_an_event_dated_to_its_year_stands_under_no_month():
    items = [_event(1, date(2020, 1, 1), Precision.year), _event(2, date(2020, 1, 9))]

    assert elapsed_marks(items, None, None, dense_years={2020}).months == {2: ("month-2020-01", "January 2020")}


def test_a_page_that_continues_a_month_on_screen_repeats_no_heading():
    items = [_event(5, date(2020, 1, 20)), _event(6, date(2020, 2, 2))]

    marks = elapsed_marks(items, date(2020, 1, 9), None, dense_years={2020})

    assert marks.months == {6: ("month-2020-02", "February 2020")}


def test_earlier_events_that_run_into_a_month_on_screen_take_its_heading_up():
    items = [_event(1, date(2020, 2, 20)), _event(2, date(2020, 3, 2))]

    marks = elapsed_marks(items, None, date(2020, 3, 9), dense_years={2020})

    assert marks.moved_month == "month-2020-03"


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        (date(2020, 1, 31), date(2020, 2, 29), 0),
        (date(2020, 1, 15), date(2020, 2, 15), 1),
        (date(1962, 10, 20), date(1988, 12, 1), 313),
    ],
)
def test_months_between_counts_whole_months(earlier, later, months):
    assert months_between(earlier, later) == months


def test_back_to_the_timeline_opens_a_view_that_holds_each_shipped_event(shipped_data_client):
    slugs, url = [], "/api/events?limit=200"
    while url:
        body = shipped_data_client.get(url).json()
        slugs += [item["slug"] for item in body["items"]]
        url = body["next"]

    missing = []
    for slug in slugs:
        back = html_of(shipped_data_client.get(f"/events/{slug}")).select_one("a.back-to-timeline")["href"]
        path, _, fragment = back.partition("#")
        if fragment != slug or html_of(shipped_data_client.get(path)).find("li", id=slug) is None:
            missing.append(slug)
    assert len(slugs) > 100 and missing == []


def test_the_address_after_loading_later_from_the_first_event_shows_the_same_events(small_pages):
    html = html_of(small_pages.get("/"))
    response = grow(small_pages, html, "later")

    assert listed(html_of(small_pages.get(response.headers["HX-Replace-Url"]))) == ALL[:6]


def test_the_embed_starts_where_at_says(small_pages):
    html = html_of(small_pages.get("/embed?country=IN&at=2020"))

    assert [link.get_text() for link in html.select("li.event h2 a")][0].startswith("Deadly clash in the valley")
    assert "at=2020" in html.select_one(".embed-title a")["href"]


def test_the_embed_refuses_a_bad_at_naming_it(small_pages):
    response = small_pages.get("/embed?at=2020-13")

    assert response.status_code == 422
    assert "at" in response.text


@pytest.mark.parametrize("way", ["earlier", "later"])
def test_newest_first_the_address_after_loading_either_way_shows_the_same_events(small_pages, way):
    html = html_of(small_pages.get("/?order=desc&at=2020"))
    response = grow(small_pages, html, way)
    added = listed(html_of(response))

    expected = added + listed(html) if way == "earlier" else listed(html) + added
    assert listed(html_of(small_pages.get(response.headers["HX-Replace-Url"]))) == expected
    assert expected == (ALL[::-1][1:7] if way == "earlier" else ALL[::-1][4:10])
