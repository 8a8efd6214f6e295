"""TimelineJS files as TimelineJS's own tools write them: empty groups, quotes in place of media,
and errors that say which option gives what a slide lacks."""

import pytest
from fastapi.testclient import TestClient

from app import cli
from app.config import Settings
from app.formats.timelinejs import record_data
from app.ingest import ingest
from app.main import create_app
from tests.conftest import FIXTURES, SEEDS

# Shaped as TimelineJS's sheet converter writes its `women_in_computing` example: every slide has
# `"group": ""`, and Edith Clarke's slide has a <blockquote> where the others have media.
WOMEN_IN_COMPUTING = FIXTURES / "women_in_computing.json"
SLIDES = 10
SOURCE = "https://example.org/women-in-computing"
QUOTE_SLIDE = "1948-03-14-edith-clarke-bucking-the-trend"


@pytest.fixture
def shipped_definitions(engine, database_url, monkeypatch):
    """A database with the shipped countries and topics (United States, technology) and no events."""
    ingest(engine, [SEEDS / "countries.yaml", SEEDS / "topics.yaml"])
    monkeypatch.setattr(cli.settings, "database_url", database_url)
    return database_url


def timeline_ingest(*options: str) -> int:
    return cli.main(["ingest", str(WOMEN_IN_COMPUTING), *options])


def error_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith(str(WOMEN_IN_COMPUTING))]


def test_with_country_topic_and_source_every_slide_is_created(shipped_definitions, capsys):
    assert timeline_ingest("--country", "US", "--topic", "technology", "--source", SOURCE) == 0
    assert f"events: {SLIDES} created, 0 updated, 0 unchanged" in capsys.readouterr().out
    with TestClient(create_app(Settings(database_url=shipped_definitions))) as client:
        events = client.get("/api/events?country=US&topic=technology").json()["items"]
    assert len(events) == SLIDES
    assert {source["url"] for event in events for source in event["sources"]} == {SOURCE}


def test_without_topic_the_error_of_every_slide_names_the_topic_option(shipped_definitions, capsys):
    assert timeline_ingest("--country", "US", "--source", SOURCE) == 1
    errors = error_lines(capsys)
    assert len(errors) == SLIDES
    assert all(": group: none given: " in error and "--topic SLUG" in error for error in errors)


def test_without_source_the_slide_that_has_only_a_quote_is_refused_naming_the_source_option(
    shipped_definitions, capsys
):
    assert timeline_ingest("--country", "US", "--topic", "technology") == 1
    (error,) = error_lines(capsys)
    assert f"event #2 '{QUOTE_SLIDE}': sources: none given: " in error
    assert "--source URL" in error


def test_without_country_the_file_is_refused_naming_the_country_option(shipped_definitions, capsys):
    assert timeline_ingest("--topic", "technology", "--source", SOURCE) == 1
    (error,) = error_lines(capsys)
    assert "give them with --country" in error


def test_a_quote_in_place_of_media_is_read_into_the_summary_with_whose_words_they_are(shipped_definitions):
    assert timeline_ingest("--country", "US", "--topic", "technology", "--source", SOURCE) == 0
    with TestClient(create_app(Settings(database_url=shipped_definitions))) as client:
        event = client.get(f"/api/events/{QUOTE_SLIDE}").json()
    assert event["summary"].startswith("“There is no demand for women engineers")
    assert event["summary"].endswith(
        "a good piece of work.” — Edith Clarke, the first woman professor of "
        "electrical engineering in the United States"
    )


def slide_with_media(media: dict, text: str = "") -> dict:
    return {"start_date": {"year": "1948"}, "text": {"headline": "A slide", "text": text}, "group": "", "media": media}


def read(slide: dict, sources: tuple[str, ...] = ()) -> dict:
    return record_data(slide, countries=["US"], sources=list(sources), topic="technology", topics_by_name={})


def test_an_empty_group_takes_the_topic_given_on_the_command_line():
    assert read(slide_with_media({}))["topics"] == ["technology"]


def test_plain_quoted_words_in_place_of_media_are_the_summary_and_not_a_source():
    data = read(slide_with_media({"url": '"Anyone who can do a good piece of work." Edith Clarke', "credit": ""}))
    assert data["summary"] == '"Anyone who can do a good piece of work." Edith Clarke'
    assert data["sources"] == []


def test_a_quote_without_a_cite_is_attributed_to_the_media_credit():
    data = read(slide_with_media({"url": "<blockquote>Do good work.</blockquote>", "credit": "<b>Edith Clarke</b>"}))
    assert data["summary"] == "“Do good work.” — Edith Clarke"


def test_a_quote_follows_the_slides_own_text():
    data = read(slide_with_media({"url": "<blockquote>Do good work.</blockquote>"}, text="<p>She said:</p>"))
    assert data["summary"] == "She said:\n\n“Do good work.”"


def test_links_inside_a_quote_are_not_sources():
    quote = '<blockquote>See <a href="https://example.org/inside">this</a>.</blockquote>'
    assert read(slide_with_media({"url": quote}))["sources"] == []


@pytest.mark.parametrize("media_url", ["images/portrait.jpg", "<iframe src='https://example.org/map'></iframe>"])
def test_media_that_is_neither_an_address_nor_a_quote_is_left_out(media_url):
    data = read(slide_with_media({"url": media_url}, text="<p>Text.</p>"))
    assert (data["summary"], data["sources"]) == ("Text.", [])


def test_a_media_address_is_still_a_source_titled_by_its_caption_as_text():
    media = {"url": "https://example.org/portrait.jpg", "caption": '<a href="https://example.org/p">A portrait</a>'}
    assert read(slide_with_media(media))["sources"] == [
        {"url": "https://example.org/portrait.jpg", "title": "A portrait"}
    ]
