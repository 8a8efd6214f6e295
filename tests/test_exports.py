"""Every export of a view holds exactly the view's events, in a valid file of its format."""

import csv
import io
import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

VIEW = "country=IN&country=CN&topic=border"
VIEW_SLUGS = ["1962-war", "1988-visit", "2017-standoff", "2020-clash", "2025-border-talks"]


def csv_rows(client, query=VIEW) -> list[dict]:
    response = client.get(f"/events.csv?{query}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.text)))


def calendar_of(client, query=VIEW) -> Calendar:
    return Calendar.from_ical(client.get(f"/events.ics?{query}").text)


def test_timeline_shows_the_view_that_the_exports_are_compared_with(shared_client):
    html = BeautifulSoup(shared_client.get(f"/?{VIEW}").text, "html.parser")
    assert [li["id"] for li in html.select("li.event")] == VIEW_SLUGS


def test_csv_has_one_row_per_event_of_the_view(shared_client):
    assert [row["slug"] for row in csv_rows(shared_client)] == VIEW_SLUGS


def test_csv_row_carries_every_field(shared_client):
    row = next(r for r in csv_rows(shared_client) if r["slug"] == "2020-clash")
    assert row == {
        "slug": "2020-clash",
        "title": "Deadly clash in the valley",
        "summary": "Soldiers died in hand-to-hand fighting at the Line of Actual Control.",
        "start_date": "2020-06-15",
        "date_precision": "day",
        "end_date": "",
        "location": "Galwan Valley",
        "countries": "CN;IN",
        "concerns": "",
        "topics": "border",
        "tone": "-2",
        "importance": "1",
        "source_urls": "https://example.org/2020-a\nhttps://example.org/2020-b",
        "source_titles": "Clash\nSecond account",
        "source_headlines": "\n",
        "source_publishers": "Example News\n",
        "source_published": "2020-06-16\n",
        "links": "",
        "url": "http://testserver/events/2020-clash",
    }


def test_csv_is_a_utf8_download(shared_client):
    response = shared_client.get(f"/events.csv?{VIEW}")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="events.csv"'


def test_icalendar_has_one_all_day_event_per_event_of_the_view(shared_client):
    events = calendar_of(shared_client).walk("VEVENT")
    assert [str(e["uid"]).split("@")[0] for e in events] == VIEW_SLUGS
    assert all(e["dtstart"].params.get("VALUE") == "DATE" or not hasattr(e["dtstart"].dt, "hour") for e in events)


def test_icalendar_span_covers_every_day_and_links_the_page(shared_client):
    standoff = next(e for e in calendar_of(shared_client).walk("VEVENT") if str(e["uid"]).startswith("2017-standoff@"))
    assert standoff.decoded("dtstart").isoformat() == "2017-06-16"
    assert standoff.decoded("dtend").isoformat() == "2017-08-29"
    assert str(standoff["url"]) == "http://testserver/events/2017-standoff"


def test_icalendar_uids_are_stable_between_downloads(shared_client):
    first = [str(e["uid"]) for e in calendar_of(shared_client).walk("VEVENT")]
    assert first == [str(e["uid"]) for e in calendar_of(shared_client).walk("VEVENT")]


def test_month_precision_event_says_so_in_its_calendar_description(shared_client):
    (visit,) = [e for e in calendar_of(shared_client).walk("VEVENT") if str(e["uid"]).startswith("1988-visit@")]
    assert str(visit["description"]).startswith("December 1988 (known to the month)")


def test_single_event_calendar_file(shared_client):
    (event,) = Calendar.from_ical(shared_client.get("/events/2020-clash.ics").text).walk("VEVENT")
    assert str(event["summary"]) == "Deadly clash in the valley"
    assert shared_client.get("/events/no-such-event.ics").status_code == 404


def test_atom_feed_parses_and_lists_the_newest_events_of_the_view(shared_client):
    feed = feedparser.parse(shared_client.get(f"/feed.atom?{VIEW}").content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.link for entry in feed.entries] == [f"http://testserver/events/{s}" for s in reversed(VIEW_SLUGS)]
    assert feed.feed.title == "Relations Timeline: India and China · Border"


def test_timeline_advertises_its_feed(shared_client):
    link = BeautifulSoup(shared_client.get(f"/?{VIEW}").text, "html.parser").select_one("link[rel=alternate]")
    assert link["type"] == "application/atom+xml"
    assert link["href"] == f"/feed.atom?{VIEW}"


def test_timelinejs_document_has_the_required_structure(shared_client):
    document = shared_client.get(f"/timelinejs.json?{VIEW}").json()
    assert set(document) == {"title", "eras", "events"}
    assert [slide["unique_id"] for slide in document["events"]] == VIEW_SLUGS
    for slide in document["events"]:
        assert {"start_date", "text", "unique_id", "display_date"} <= set(slide)
        assert {"headline", "text"} <= set(slide["text"])
        assert isinstance(slide["start_date"]["year"], int)


@pytest.mark.parametrize(
    ("slug", "start", "end"),
    [
        ("1962-war", {"year": 1962, "month": 10, "day": 20}, {"year": 1962, "month": 11, "day": 21}),
        ("1988-visit", {"year": 1988, "month": 12}, None),
        ("1999-year-event", {"year": 1999}, None),
    ],
)
def test_timelinejs_dates_honour_precision(shared_client, slug, start, end):
    slide = next(s for s in shared_client.get("/timelinejs.json").json()["events"] if s["unique_id"] == slug)
    assert slide["start_date"] == start
    assert slide.get("end_date") == end


def test_embed_shows_the_view_and_opens_links_in_a_new_tab(shared_client):
    html = BeautifulSoup(shared_client.get(f"/embed?{VIEW}").text, "html.parser")
    links = [a["href"] for a in html.select("ol.events h2 a")]
    assert links == [f"http://testserver/events/{slug}" for slug in VIEW_SLUGS]
    assert html.select_one("base")["target"] == "_blank"


def test_timeline_links_to_every_export_of_its_view(shared_client):
    html = BeautifulSoup(shared_client.get(f"/?{VIEW}").text, "html.parser")
    hrefs = {a["href"] for a in html.select(".exports a")}
    for path in ["/events.csv", "/events.ics", "/feed.atom", "/timelinejs.json", "/api/events"]:
        assert f"{path}?{VIEW}" in hrefs
    snippet = html.select_one(".exports textarea").get_text()
    assert f'src="http://testserver/embed?{VIEW}"' in snippet


def test_event_page_links_to_its_calendar_file_and_json(shared_client):
    html = BeautifulSoup(shared_client.get("/events/2020-clash").text, "html.parser")
    assert html.select_one("a[href='/events/2020-clash.ics']")
    assert html.select_one("a[href='/api/events/2020-clash']")


@pytest.mark.parametrize("path", ["/events.csv", "/events.ics", "/feed.atom", "/timelinejs.json", "/embed"])
def test_exports_reject_invalid_filters_naming_the_parameter(shared_client, path):
    response = shared_client.get(f"{path}?from=2020-13")
    assert response.status_code == 422
    assert "from" in response.text


def test_api_list_has_a_link_header_to_the_next_page(shared_client):
    response = shared_client.get("/api/events?limit=2")
    assert response.headers["link"] == f'<{response.json()["next"]}>; rel="next"'


def test_timelinejs_text_is_html_escaped(client, seeded_engine, tmp_path):
    from app.ingest import ingest
    from tests.conftest import write

    write(
        tmp_path,
        "x.yaml",
        """events:
  - slug: 2021-angle-brackets
    title: "<b>Bold</b> & co"
    summary: "A <script>alert(1)</script> test"
    start_date: "2021"
    countries: [IN]
    topics: [trade]
    sources: [{url: "https://example.org/x", title: X}]
""",
    )
    ingest(seeded_engine, [tmp_path / "x.yaml"])
    slide = json.loads(client.get("/timelinejs.json?q=test").text)["events"][0]
    assert slide["text"]["headline"] == "&lt;b&gt;Bold&lt;/b&gt; &amp; co"
    assert "<script>" not in slide["text"]["text"]
