"""Hostile event data: accepted where it is only text, shown escaped in every output, or rejected."""

import csv
import io
import json
import textwrap

import feedparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from app.ingest import IngestFailed, ingest
from tests.conftest import FIXTURES, write

HOSTILE = FIXTURES / "hostile.yaml"
PAYLOAD_MARK = "__pwned"
HTML_PATHS = [
    "/",
    "/?q=talks",
    "/events/2021-01-01-hostile-script",
    "/events/2021-01-02-hostile-formulas",
    "/embed",
    "/events/2021-01-01-hostile-script/embed",
    "/print",
    "/?country=IN&from=2021",
]


@pytest.fixture
def hostile_client(client, seeded_engine):
    ingest(seeded_engine, [HOSTILE])
    return client


def injected_elements(html: str) -> list[str]:
    """Elements or attributes that only a payload could have put there."""
    page = BeautifulSoup(html, "html.parser")
    # The navigator's chart is the app's own SVG (its text is escaped like the rest, checked below).
    charts = page.select("section.navigator > svg.navigator-axis")
    own = {id(tag) for chart in charts for tag in [chart, *chart.find_all("svg")]}
    found = [str(tag)[:80] for tag in page.find_all(["img", "svg"]) if id(tag) not in own]
    found += [str(tag)[:80] for tag in page.find_all("script") if not tag.get("src")]
    found += [str(tag)[:80] for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    found += [a["href"] for a in page.find_all("a", href=True) if a["href"].lower().startswith("javascript:")]
    return found


@pytest.mark.parametrize("path", HTML_PATHS)
def test_pages_show_payloads_as_text(hostile_client, path):
    html = hostile_client.get(path).text
    assert injected_elements(html) == []


@pytest.mark.parametrize("path", ["/", "/?q=talks"])
def test_htmx_fragments_show_payloads_as_text(hostile_client, path):
    html = hostile_client.get(path, headers={"HX-Request": "true"}).text
    assert injected_elements(html) == []


def test_the_payload_is_shown_to_the_reader_as_written(hostile_client):
    page = BeautifulSoup(hostile_client.get("/events/2021-01-01-hostile-script").text, "html.parser")
    assert page.find("h1").get_text() == "<script>window.__pwned = 'title'</script> Talks"
    assert page.select_one("meta[property='og:title']")["content"] == "<script>window.__pwned = 'title'</script> Talks"


def test_source_links_keep_their_url_inside_the_attribute(hostile_client):
    page = BeautifulSoup(hostile_client.get("/events/2021-01-01-hostile-script").text, "html.parser")
    link = page.select_one("ol.sources a")
    assert link["href"] == "https://example.org/a?x=\"><script>window.__pwned='href'</script>"
    assert link["rel"] == ["noopener", "noreferrer"]


def test_json_is_served_as_json_and_not_sniffed(hostile_client):
    response = hostile_client.get("/api/events/2021-01-01-hostile-script")
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.json()["title"].startswith("<script>")


def test_csv_cells_cannot_run_as_formulas(hostile_client):
    rows = list(csv.DictReader(io.StringIO(hostile_client.get("/events.csv?q=spreadsheets").text)))
    (row,) = rows
    for column in ("title", "summary", "location", "source_titles", "source_publishers"):
        assert not row[column].startswith(("=", "+", "-", "@")), column
    assert row["title"] == '\'=HYPERLINK("https://evil.example","click")'


def test_timelinejs_text_is_escaped_html(hostile_client):
    slides = json.loads(hostile_client.get("/timelinejs.json?from=2021-01-01&to=2021-01-01").text)["events"]
    (slide,) = slides
    assert injected_elements(slide["text"]["headline"] + slide["text"]["text"]) == []


def test_atom_entries_carry_payloads_as_text(hostile_client):
    feed = feedparser.parse(hostile_client.get("/feed.atom?from=2021").content)
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert "<script>window.__pwned = 'title'</script> Talks" in titles


def test_icalendar_keeps_each_payload_inside_its_property(hostile_client):
    calendar = Calendar.from_ical(hostile_client.get("/events.ics?from=2021-01-01&to=2021-01-01").text)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "<script>window.__pwned = 'title'</script> Talks"
    assert str(event["location"]) == "\"><script>window.__pwned='location'</script>"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "https://",
        "https://exa mple.org/",
    ],
)
def test_sources_other_than_http_or_https_are_rejected(seeded_engine, tmp_path, url):
    path = write(
        tmp_path,
        "bad-url.yaml",
        textwrap.dedent(
            f"""\
            events:
              - slug: 2021-bad-url
                title: Bad URL
                summary: A source that is not a web page.
                start_date: "2021"
                countries: [IN]
                topics: [border]
                sources: [{{url: {json.dumps(url)}, title: Bad}}]
            """
        ),
    )
    with pytest.raises(IngestFailed) as failure:
        ingest(seeded_engine, [path])
    assert failure.value.errors[0].endswith("is not an http or https URL")


def test_very_long_strings_are_rejected_with_the_field_named(seeded_engine, tmp_path):
    path = write(
        tmp_path,
        "long.yaml",
        f"""events:
  - slug: 2021-long
    title: "{"x" * 301}"
    summary: "{"y" * 5001}"
    start_date: "2021"
    countries: [IN]
    topics: [border]
    sources: [{{url: "https://example.org/{"z" * 2000}", title: Long}}]
""",
    )
    with pytest.raises(IngestFailed) as failure:
        ingest(seeded_engine, [path])
    fields = [error.split(": ")[2] for error in failure.value.errors]
    assert fields == ["title", "summary", "sources.1.url"]


@pytest.mark.parametrize(
    ("slug", "title"),
    [
        ("2021-01-01-hostile-script", "<script>window.__pwned = 'title'</script> Talks"),
        ("2021-01-02-hostile-formulas", '=HYPERLINK("https://evil.example","click")'),
    ],
)
def test_the_embed_code_of_an_event_pastes_as_one_iframe_titled_as_written(hostile_client, slug, title):
    page = BeautifulSoup(hostile_client.get(f"/events/{slug}").text, "html.parser")
    snippet = BeautifulSoup(page.select_one(".event-embed textarea").get_text(), "html.parser")
    (iframe,) = snippet.find_all(True)
    assert iframe.name == "iframe"
    assert iframe["title"] == f"{title} · Relations Timeline"
    assert iframe["src"] == f"http://testserver/events/{slug}/embed"
