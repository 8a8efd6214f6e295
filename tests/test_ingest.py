"""Ingestion: validation with file, item and field; all or nothing; idempotent upserts."""

import textwrap

import pytest
from sqlalchemy import func, select

from app.ingest import IngestFailed, ingest
from app.models import Event, EventCountry, Source
from tests.conftest import REFERENCE, write

COUNTRIES_AND_TOPICS = """
countries:
  - {code: IN, name: India}
  - {code: CN, name: China}
topics:
  - {slug: border, name: Border}
"""

GOOD_EVENT = """
  - slug: 2020-06-15-galwan-valley-clash
    title: Clash in the Galwan Valley
    summary: Troops fought at a patrol point.
    start_date: "2020-06-15"
    countries: [IN, CN]
    topics: [border]
    sources:
      - url: https://example.org/galwan
        title: Clash
"""


def events_file(tmp_path, *events: str, name="events.yaml"):
    return write(tmp_path, name, COUNTRIES_AND_TOPICS + "events:" + "".join(textwrap.dedent(e) for e in events))


def event_with(**fields) -> str:
    """GOOD_EVENT with fields replaced (None removes the field)."""
    lines = {
        "slug": "2020-06-15-galwan-valley-clash",
        "title": "Clash in the Galwan Valley",
        "summary": "Troops fought at a patrol point.",
        "start_date": '"2020-06-15"',
        "countries": "[IN, CN]",
        "topics": "[border]",
        "sources": "[{url: 'https://example.org/galwan', title: Clash}]",
    }
    lines.update(fields)
    body = "".join(f"    {key}: {value}\n" for key, value in lines.items() if value is not None)
    return "\n  - " + body.lstrip()


def count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def errors_of(engine, *paths) -> list[str]:
    with pytest.raises(IngestFailed) as failure:
        ingest(engine, list(paths))
    return failure.value.errors


def test_valid_files_are_loaded_with_their_relations(engine):
    report = ingest(engine, [REFERENCE])
    assert str(report.events) == "11 created, 0 updated, 0 unchanged"
    assert count(engine, Event) == 11
    assert count(engine, EventCountry) == 23
    assert count(engine, Source) == 12


def test_second_run_on_the_same_files_changes_nothing(engine):
    ingest(engine, [REFERENCE])
    report = ingest(engine, [REFERENCE])
    assert str(report.events) == "0 created, 0 updated, 11 unchanged"
    assert str(report.countries) == "0 created, 0 updated, 5 unchanged"


def test_edited_event_is_updated_in_place(engine, tmp_path):
    ingest(engine, [events_file(tmp_path, GOOD_EVENT)])
    with engine.connect() as connection:
        first_id = connection.execute(select(Event.id)).scalar_one()
    edited = event_with(title="Deadly clash in the Galwan Valley", countries="[IN]")
    report = ingest(engine, [events_file(tmp_path, edited)])
    assert str(report.events) == "0 created, 1 updated, 0 unchanged"
    with engine.connect() as connection:
        row = connection.execute(select(Event.id, Event.title)).one()
        codes = connection.execute(select(EventCountry.country_code)).scalars().all()
    assert row == (first_id, "Deadly clash in the Galwan Valley")
    assert codes == ["IN"]


def test_dry_run_validates_and_writes_nothing(engine):
    report = ingest(engine, [REFERENCE], dry_run=True)
    assert str(report.events) == "11 created, 0 updated, 0 unchanged"
    assert count(engine, Event) == 0


def test_events_alone_can_be_ingested_into_a_seeded_database(seeded_engine, tmp_path):
    path = write(tmp_path, "more.yaml", "events:" + event_with(slug="2021-new-event"))
    report = ingest(seeded_engine, [path])
    assert str(report.events) == "1 created, 0 updated, 0 unchanged"


def test_a_folder_is_read_file_by_file(engine, tmp_path):
    write(tmp_path, "a-countries.yaml", COUNTRIES_AND_TOPICS)
    write(tmp_path, "b-events.yaml", "events:" + GOOD_EVENT)
    write(tmp_path, "notes.txt", "not a seed file")
    report = ingest(engine, [tmp_path])
    assert len(report.files) == 2
    assert report.events.created == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start_date": '"2020-13-15"'}, "start_date: '2020-13-15' is not a valid date"),
        (
            {"start_date": '"15 June 2020"'},
            "start_date: '15 June 2020' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        ({"end_date": '"2020-06-01"'}, "end_date: '2020-06-01' is before start_date '2020-06-15'"),
        ({"title": None}, "title: is required"),
        ({"sources": "[]"}, "sources: List should have at least 1 item after validation, not 0"),
        ({"sources": None}, "sources: is required"),
        (
            {"sources": "[{url: 'ftp://example.org/x', title: X}]"},
            "sources.1.url: 'ftp://example.org/x' is not an http or https URL",
        ),
        (
            {"sources": "[{url: 'javascript:alert(1)', title: X}]"},
            "sources.1.url: 'javascript:alert(1)' is not an http or https URL",
        ),
        ({"countries": "[IN, XX]"}, "countries.2: unknown country code 'XX'"),
        ({"topics": "[border, weather]"}, "topics.2: unknown topic 'weather'"),
        ({"tone": "5"}, "tone: '5': Input should be less than or equal to 2"),
        ({"importance": '"high"'}, "importance: 'high': Input should be a valid integer"),
        ({"summery": "typo"}, "summery: is not a known field"),
        ({"slug": '"Galwan Clash"'}, "slug: 'Galwan Clash': String should match pattern"),
    ],
)
def test_each_invalid_field_is_reported_with_file_event_and_field(engine, tmp_path, fields, message):
    path = events_file(tmp_path, event_with(**fields))
    errors = errors_of(engine, path)
    slug = fields.get("slug", "'2020-06-15-galwan-valley-clash'").strip('"')
    slug = slug if slug.startswith("'") else f"'{slug}'"
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}: event #1 {slug}: {message}")


def test_duplicate_slugs_are_reported_with_both_positions(engine, tmp_path):
    path = events_file(tmp_path, GOOD_EVENT, GOOD_EVENT)
    assert errors_of(engine, path) == [
        f"{path}: event #2 '2020-06-15-galwan-valley-clash': slug: '2020-06-15-galwan-valley-clash' "
        f"is already used by event #1 in {path}"
    ]


def test_all_problems_of_a_run_are_reported_and_nothing_is_written(engine, tmp_path):
    path = events_file(
        tmp_path,
        GOOD_EVENT,
        event_with(slug="2020-bad-date", start_date='"2020-13-15"'),
        event_with(slug="2020-bad-country", countries="[ZZ]"),
    )
    errors = errors_of(engine, path)
    assert [e.split(": ")[1] for e in errors] == ["event #2 '2020-bad-date'", "event #3 '2020-bad-country'"]
    assert count(engine, Event) == 0


def test_broken_yaml_is_reported_with_its_line(engine, tmp_path):
    path = write(tmp_path, "broken.yaml", "events:\n  - slug: a\n    title: [unclosed\n")
    (error,) = errors_of(engine, path)
    assert error.startswith(f"{path}:4:")
    assert "not valid YAML" in error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"events:\n  - title: caf\xe9\n", "2: the file is not UTF-8 text (byte 0xe9)"),
        (b"- just\n- a list\n", "expected a mapping with 'countries', 'topics', 'events' or 'eras' at the top"),
        (b"event: []\n", "unknown top-level key 'event'"),
        (b"events: 3\n", "'events' must be a list"),
    ],
)
def test_unreadable_files_get_a_clear_error(engine, tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    (error,) = errors_of(engine, path)
    assert error.startswith(f"{path}")
    assert message in error


def test_a_byte_order_mark_is_accepted(engine, tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (COUNTRIES_AND_TOPICS + "events:" + GOOD_EVENT).encode())
    assert ingest(engine, [path]).events.created == 1


def test_an_event_that_is_not_a_mapping_is_reported(engine, tmp_path):
    path = write(tmp_path, "list.yaml", COUNTRIES_AND_TOPICS + "events:\n  - just a string\n")
    assert errors_of(engine, path) == [f"{path}: event #1: expected a mapping of fields, got str"]


def test_unquoted_yaml_dates_and_years_are_read_as_partial_dates(engine, tmp_path):
    path = events_file(tmp_path, event_with(start_date="2020-06-15", end_date="2021"))
    ingest(engine, [path])
    with engine.connect() as connection:
        row = connection.execute(select(Event.date_precision, Event.end_precision, Event.last_date)).one()
    assert (row.date_precision, row.end_precision, row.last_date.isoformat()) == ("day", "year", "2021-12-31")


def test_missing_path_is_an_error(engine, tmp_path):
    assert errors_of(engine, tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}: no such file or folder"]


def test_control_characters_in_text_are_rejected(engine, tmp_path):
    path = events_file(tmp_path, event_with(title='"Escape \\x1b here"'))
    (error,) = errors_of(engine, path)
    assert error.endswith("title: 'Escape \\x1b here' must be one line of text, without control characters")


def test_a_huge_yaml_file_is_refused_with_advice(engine, tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as file:
        file.truncate(300 * 2**20)  # sparse: no real disk used
    (error,) = errors_of(engine, path)
    assert error.startswith(f"{path}: the file is 300 MB; YAML files are read whole, up to 16 MB")
