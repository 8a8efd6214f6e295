"""CSV and TimelineJS files in: readers, their errors, and lossless round trips with the exports."""

import json

import pytest
import yaml
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import make_engine
from app.ingest import IngestFailed, ingest
from app.ingest.readers import ReaderOptions
from app.main import create_app
from tests.conftest import REFERENCE, write

BOTH = ReaderOptions(countries=("IN", "CN"))


@pytest.fixture
def definitions(tmp_path):
    """The reference dataset's countries and topics, without its events."""
    document = yaml.safe_load(REFERENCE.read_text())
    path = tmp_path / "definitions.yaml"
    path.write_text(yaml.safe_dump({"countries": document["countries"], "topics": document["topics"]}))
    return path


@pytest.fixture
def empty_client(definitions, new_database):
    """A second, empty database with only the countries and topics, and a client for it."""
    url = new_database("second", migrated=True)
    engine = make_engine(url)
    ingest(engine, [definitions])
    with TestClient(create_app(Settings(database_url=url))) as client:
        yield client, engine
    engine.dispose()


def test_csv_export_imports_into_an_empty_database_and_exports_identically(shared_client, empty_client, tmp_path):
    first = shared_client.get("/events.csv").content
    path = tmp_path / "events.csv"
    path.write_bytes(first)
    second_client, engine = empty_client
    assert ingest(engine, [path]).events.created == 11
    assert second_client.get("/events.csv").content == first


def test_timelinejs_export_imports_into_an_empty_database_and_exports_identically(
    shared_client, empty_client, tmp_path
):
    # Grouped by topic, each slide names its first topic, which the import reads back.
    first = shared_client.get("/timelinejs.json?country=IN&country=CN&group=topic").content
    path = tmp_path / "timeline.json"
    path.write_bytes(first)
    second_client, engine = empty_client
    assert ingest(engine, [path], options=BOTH).events.created == 8
    assert second_client.get("/timelinejs.json?country=IN&country=CN&group=topic").content == first


def test_edited_csv_updates_the_event_in_place(seeded_engine, client, tmp_path):
    text = client.get("/events.csv?q=clash").text.replace("Deadly clash in the valley", "Clash in the valley")
    path = tmp_path / "edited.csv"
    path.write_text(text, encoding="utf-8")
    report = ingest(seeded_engine, [path])
    assert str(report.events) == "0 created, 1 updated, 0 unchanged"
    assert client.get("/api/events/2020-clash").json()["title"] == "Clash in the valley"


HEADER = "slug,title,summary,start_date,end_date,countries,topics,tone,source_urls\n"


def test_csv_errors_name_file_line_and_column(seeded_engine, tmp_path):
    path = write(
        tmp_path,
        "bad.csv",
        HEADER
        + "2021-good,Good,Fine.,2021-03,,IN;CN,border,1,https://example.org/a\n"
        + '2021-multi-line,"Two\nlines",Fine.,2021,,IN,border,,https://example.org/b\n'
        + "2021-bad-date,Bad,Fine.,2021-13,,IN,border,,https://example.org/c\n"
        + "2021-bad-url,Bad,Fine.,2021,,IN,border,,ftp://example.org/d\n"
        + "2021-bad-country,Bad,Fine.,2021,,IN;XX,border,,https://example.org/e\n",
    )
    with pytest.raises(IngestFailed) as failure:
        ingest(seeded_engine, [path])
    assert failure.value.errors == [
        f"{path}: line 3 '2021-multi-line': column title: 'Two\\nlines' "
        "must be one line of text, without control characters",
        f"{path}: line 5 '2021-bad-date': column start_date: '2021-13' is not a valid date",
        f"{path}: line 6 '2021-bad-url': column source_urls.1.url: 'ftp://example.org/d' is not an http or https URL",
        f"{path}: line 7 '2021-bad-country': column countries.2: unknown country code 'XX'",
    ]


def test_blank_lines_in_a_csv_are_skipped(seeded_engine, tmp_path):
    path = write(
        tmp_path,
        "blank.csv",
        HEADER
        + "2021-first,First,Fine.,2021,,IN,border,,https://example.org/a\n"
        + "\n"
        + "2021-second,Second,Fine.,2021,,IN,border,,https://example.org/b\n"
        + "\n",
    )
    assert str(ingest(seeded_engine, [path]).events) == "2 created, 0 updated, 0 unchanged"


def test_a_csv_cell_of_spaces_counts_as_empty(seeded_engine, client, tmp_path):
    path = write(
        tmp_path, "spaces.csv", HEADER + "2021-spaces,Spaces,Fine.,2021,  ,IN,border, ,https://example.org/s\n"
    )
    ingest(seeded_engine, [path])
    event = client.get("/api/events/2021-spaces").json()
    assert (event["end_date"], event["tone"]) == (None, None)


def test_csv_with_unknown_or_missing_columns_is_rejected(seeded_engine, tmp_path):
    path = write(tmp_path, "cols.csv", "slug,headline,start_date\n")
    with pytest.raises(IngestFailed) as failure:
        ingest(seeded_engine, [path])
    (error,) = failure.value.errors
    assert error.startswith(f"{path}:1: unknown column 'headline'; missing column 'title'")


def test_csv_formula_protection_is_undone_on_import(seeded_engine, client, tmp_path):
    path = write(
        tmp_path,
        "formula.csv",
        HEADER + "2021-formula,'=SUM(A1),'-5 degrees at the pass.,2021,,IN,border,,https://example.org/f\n",
    )
    ingest(seeded_engine, [path])
    event = client.get("/api/events/2021-formula").json()
    assert (event["title"], event["summary"]) == ("=SUM(A1)", "-5 degrees at the pass.")
    row = client.get("/events.csv?q=degrees").text.splitlines()[1]
    assert row.startswith("2021-formula,'=SUM(A1),'-5 degrees")


HANDWRITTEN_TIMELINEJS = {
    "title": {"text": {"headline": "Our timeline", "text": "<p>Made by hand</p>"}},
    "events": [
        {
            "start_date": {"year": "2019", "month": "10", "day": "11"},
            "end_date": {"year": "2019", "month": "10", "day": "12"},
            "text": {
                "headline": "Informal <i>summit</i>",
                "text": "<p>Leaders met by the sea.</p><p>Second  line.</p>",
            },
            "group": "Diplomacy",
            "media": {"url": "https://example.org/photo.jpg", "caption": "A photo"},
        },
        {
            "start_date": {"year": 2021, "month": "", "day": ""},
            "text": {
                "headline": "A year-only event",
                "text": "See <a href='https://example.org/report'>the report</a>.",
            },
            "unique_id": "2021-report",
        },
    ],
}


def import_handwritten(engine, tmp_path, options):
    path = write(tmp_path, "handwritten.json", json.dumps(HANDWRITTEN_TIMELINEJS))
    return ingest(engine, [path], options=options)


def test_handwritten_timelinejs_imports_with_strings_empty_parts_html_and_media(seeded_engine, client, tmp_path):
    import_handwritten(seeded_engine, tmp_path, ReaderOptions(countries=("IN", "CN"), topic="border"))
    summit = client.get("/api/events/2019-10-11-informal-summit").json()
    assert summit["title"] == "Informal summit"
    assert summit["summary"] == "Leaders met by the sea.\n\nSecond line."
    assert (summit["start_date"], summit["end_date"], summit["date_precision"]) == ("2019-10-11", "2019-10-12", "day")
    assert summit["topics"] == ["diplomacy"]
    assert summit["countries"] == ["CN", "IN"]
    assert [s["url"] for s in summit["sources"]] == ["https://example.org/photo.jpg"]
    report = client.get("/api/events/2021-report").json()
    assert (report["date_precision"], report["topics"]) == ("year", ["border"])
    assert [(s["url"], s["title"]) for s in report["sources"]] == [("https://example.org/report", "the report")]


def test_source_given_on_the_command_line_is_used_for_every_event(seeded_engine, client, tmp_path):
    options = ReaderOptions(countries=("IN",), sources=("https://example.org/archive",), topic="border")
    import_handwritten(seeded_engine, tmp_path, options)
    sources = client.get("/api/events/2021-report").json()["sources"]
    assert [s["url"] for s in sources] == ["https://example.org/archive"]


def test_timelinejs_without_countries_is_refused_with_a_hint(seeded_engine, tmp_path):
    with pytest.raises(IngestFailed) as failure:
        import_handwritten(seeded_engine, tmp_path, ReaderOptions())
    assert "give them with --country" in failure.value.errors[0]


def test_timelinejs_event_without_any_source_is_an_error_naming_the_field(seeded_engine, tmp_path):
    document = {"events": [{"start_date": {"year": "2020"}, "text": {"headline": "No source", "text": "Nothing."}}]}
    path = write(tmp_path, "nosource.json", json.dumps(document))
    with pytest.raises(IngestFailed) as failure:
        ingest(seeded_engine, [path], options=ReaderOptions(countries=("IN",), topic="border"))
    (error,) = failure.value.errors
    assert error.startswith(f"{path}: event #1 '2020-no-source': sources: none given: ")
    assert "--source URL" in error


def test_our_seed_format_can_be_written_as_json(engine, tmp_path):
    document = yaml.safe_load(REFERENCE.read_text())
    path = write(tmp_path, "reference.json", json.dumps(document))
    assert ingest(engine, [path]).events.created == 11


def test_csv_that_is_not_utf8_is_reported_with_its_line(seeded_engine, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "2021-cafe,Caf\xe9,Fine.,2021,,IN,border,,https://example.org/a\n").encode("latin-1"))
    with pytest.raises(IngestFailed) as failure:
        ingest(seeded_engine, [path])
    assert failure.value.errors == [f"{path}:2: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_empty_csv_is_reported(seeded_engine, tmp_path):
    path = write(tmp_path, "empty.csv", "")
    with pytest.raises(IngestFailed) as failure:
        ingest(seeded_engine, [path])
    assert failure.value.errors == [f"{path}: the file is empty"]
