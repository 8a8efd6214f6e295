"""The print view of a timeline view: every event (within a bound), the filters in words, no controls."""

import pytest
from bs4 import BeautifulSoup

from app.routes import pages

VIEW = "country=IN&country=CN"
VIEW_SLUGS = [
    "1962-war",
    "1988-visit",
    "1999-year-event",
    "2017-standoff",
    "2020-clash",
    "2020-app-ban",
    "2024-summit",
    "2025-border-talks",
]


def printed(client, query: str) -> BeautifulSoup:
    response = client.get(f"/print?{query}")
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser")


def test_the_print_view_holds_every_event_of_the_view_in_order(shared_client):
    html = printed(shared_client, VIEW)
    assert [li["id"] for li in html.select("li.print-event")] == VIEW_SLUGS


def test_the_print_view_names_its_filters_in_words(shared_client):
    html = printed(shared_client, f"{VIEW}&from=2020-04&to=2020-07&order=desc")
    assert html.h1.get_text() == "India and China · April–July 2020"
    assert " ".join(html.select_one(".print-summary").get_text().split()) == (
        "2 events, newest first. Filters: India and China · April–July 2020."
    )


def test_the_print_view_has_no_form_buttons_or_download_links(shared_client):
    html = printed(shared_client, VIEW)
    assert html.select("form, button, input, select, textarea, .exports, .overview") == []
    assert not [a for a in html.select("a[href]") if a["href"].startswith(("/events.", "/feed", "/timelinejs", "/api"))]


def test_a_view_larger_than_the_bound_prints_its_first_events_and_says_so(shared_client, monkeypatch):
    monkeypatch.setattr(pages, "MAX_PRINTED_EVENTS", 3)
    html = printed(shared_client, f"{VIEW}&importance=")  # a query of its own, not a cached answer
    assert [li["id"] for li in html.select("li.print-event")] == VIEW_SLUGS[:3]
    assert html.select_one(".print-summary").get_text().startswith("The first 3 of 8 events")


@pytest.mark.parametrize(("query", "parameter"), [("from=2020-13", "from"), ("country=ZZ", "country")])
def test_the_print_view_refuses_an_invalid_filter_naming_the_parameter(shared_client, query, parameter):
    response = shared_client.get(f"/print?{query}")
    assert response.status_code == 422
    assert f"{parameter}: " in BeautifulSoup(response.text, "html.parser").select_one(".error-page").get_text()


def test_the_timeline_links_to_the_print_view_of_its_view(shared_client):
    html = BeautifulSoup(shared_client.get(f"/?{VIEW}").text, "html.parser")
    link = html.find("a", string="Print this view (every event)")
    assert link["href"] == f"/print?{VIEW}"


def test_a_timeline_showing_only_some_events_notes_for_print_where_all_of_them_are(shared_client):
    html = BeautifulSoup(shared_client.get(f"/?{VIEW}&limit=3").text, "html.parser")
    note = html.select_one(".print-note").get_text()
    assert note.startswith("India and China: 8 events")
    assert note.endswith(f"every event of this view, to print: http://testserver/print?{VIEW}")


def test_a_timeline_showing_all_its_events_prints_them_without_pointing_elsewhere(shared_client):
    note = BeautifulSoup(shared_client.get(f"/?{VIEW}").text, "html.parser").select_one(".print-note").get_text()
    assert note == f"India and China: 8 events, from http://testserver/?{VIEW}."
