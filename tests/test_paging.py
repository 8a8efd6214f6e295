"""Keyset pages: every event exactly once, in order, whatever the page size and direction."""

import pytest
from bs4 import BeautifulSoup

from tests.test_filters import ALL


def walk_api(client, query: str) -> list[str]:
    slugs, url = [], f"/api/events?{query}"
    while url:
        body = client.get(url).json()
        slugs += [item["slug"] for item in body["items"]]
        url = body["next"]
    return slugs


@pytest.mark.parametrize("size", [1, 2, 3, 5, 11, 50])
def test_api_pages_cover_every_event_once_in_order(shared_client, size):
    assert walk_api(shared_client, f"limit={size}") == ALL


@pytest.mark.parametrize("size", [1, 2, 4])
def test_descending_pages_cover_every_event_once(shared_client, size):
    assert walk_api(shared_client, f"limit={size}&order=desc") == list(reversed(ALL))


def test_pages_keep_the_filter(shared_client):
    assert walk_api(shared_client, "limit=2&topic=trade") == [
        "1999-year-event",
        "2020-tariff-talks",
        "2020-app-ban",
        "2025-export-controls",
    ]


def test_events_sharing_a_date_are_not_split_or_repeated(shared_client):
    # 2020-clash and 2020-tariff-talks share 15 June 2020.
    assert walk_api(shared_client, "limit=1&from=2020-06-15&to=2020-06-15") == ["2020-clash", "2020-tariff-talks"]


def test_next_link_keeps_filters_and_page_size(shared_client):
    body = shared_client.get("/api/events?topic=trade&limit=2").json()
    assert body["next"].startswith("http://testserver/api/events?topic=trade&after=")
    assert body["next"].endswith("&limit=2")


def load_more_link(html: BeautifulSoup):
    link = html.select_one("#later a")
    return link["href"] if link else None


def load_later(client, html: BeautifulSoup) -> BeautifulSoup:
    """What htmx asks for when "N later events" is clicked: the list on screen's address, for its end."""
    address = html.select_one("#later a")["hx-get"]
    return BeautifulSoup(client.get(address, headers={"HX-Request": "true", "HX-Target": "later"}).text, "html.parser")


def test_page_load_more_link_walks_every_event_without_javascript(client_small_pages):
    seen, url = [], "/"
    while url:
        html = BeautifulSoup(client_small_pages.get(url).text, "html.parser")
        seen += [li["id"] for li in html.select("li.event")]
        url = load_more_link(html)
    assert seen == ALL


def test_htmx_load_more_appends_to_the_open_year_and_adds_new_years(client_small_pages):
    first = BeautifulSoup(client_small_pages.get("/?from=2020").text, "html.parser")
    assert [li["id"] for li in first.select("li.event")] == [
        "2020-clash",
        "2020-tariff-talks",
        "2020-app-ban",
    ]
    fragment = load_later(client_small_pages, first)
    assert fragment.find("section", id="results") is None
    appended = fragment.select_one("[hx-swap-oob='beforeend:#timeline']")
    assert [h.get_text() for h in appended.select("h2")] == ["2024", "2025"]
    assert fragment.select_one("nav#later")


def test_htmx_load_more_continues_the_year_it_stopped_in(client_small_pages):
    first = BeautifulSoup(client_small_pages.get("/?from=2024").text, "html.parser")
    assert [li["id"] for li in first.select("#events-2025 > li")] == [
        "2025-export-controls",
        "2025-border-talks",
    ]
    fragment = load_later(client_small_pages, first)
    continued = fragment.select_one("[hx-swap-oob='beforeend:#events-2025']")
    assert [li["id"] for li in continued.select("li.event")] == ["2025-pakistan-visit"]
    assert continued.select_one("a[data-focus-after-swap]")
    assert fragment.select_one("[hx-swap-oob='beforeend:#timeline']").select("section") == []
    assert "End of the timeline" in fragment.select_one("nav#later").get_text()


@pytest.fixture
def client_small_pages(shared_database_url):
    from fastapi.testclient import TestClient

    from app.config import Settings
    from app.main import create_app

    with TestClient(create_app(Settings(database_url=shared_database_url, page_size=3))) as client:
        yield client
