"""Eras: ingested like events (errors with file, item and field; upserts by slug), marked in the
timeline where they begin and end, and written out by `timeline export-db`."""

import textwrap

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from app import queries
from app.config import Settings
from app.db import make_engine
from app.filters import TimelineFilter
from app.formats.seed import database_document
from app.ingest import IngestFailed, ingest
from app.main import create_app
from app.models import DataVersion, EraCountry
from tests.conftest import FIXTURES, write

ERAS = FIXTURES / "eras.yaml"
COUNTRIES = """
countries:
  - {code: IN, name: India}
  - {code: CN, name: China}
"""


def eras_file(tmp_path, *eras: str, name: str = "eras.yaml"):
    return write(tmp_path, name, COUNTRIES + "eras:" + "".join(textwrap.dedent(era) for era in eras))


def era_with(**fields) -> str:
    """A valid era with fields replaced (None removes the field)."""
    lines = {
        "slug": "ladakh-standoff",
        "name": "Eastern Ladakh standoff",
        "description": "Troops face each other along the Line of Actual Control.",
        "start_date": '"2020-05-05"',
        "end_date": '"2024-10-30"',
        "countries": "[IN, CN]",
    }
    lines.update(fields)
    body = "".join(f"    {key}: {value}\n" for key, value in lines.items() if value is not None)
    return "\n  - " + body.lstrip()


def stored_eras(engine) -> list[queries.EraView]:
    with Session(engine) as session:
        return queries.eras(session, TimelineFilter())


def test_eras_are_loaded_with_their_dates_precisions_and_countries(seeded_engine):
    report = ingest(seeded_engine, [ERAS])
    assert str(report.eras) == "3 created, 0 updated, 0 unchanged"
    assert "eras: 3 created, 0 updated, 0 unchanged" in report.lines()
    plateau = stored_eras(seeded_engine)[1]
    assert (plateau.slug, plateau.name, plateau.countries) == (
        "plateau-standoff",
        "Standoff on the plateau",
        ("CN", "IN"),
    )
    assert (str(plateau.start_date), plateau.date_precision, str(plateau.end_date), plateau.end_precision) == (
        "2017-06-01",
        "month",
        "2017-08-01",
        "month",
    )
    assert str(plateau.last_date) == "2017-08-31"


def test_ingesting_eras_again_changes_nothing_and_keeps_the_data_version(seeded_engine):
    ingest(seeded_engine, [ERAS])
    version = data_version(seeded_engine)
    report = ingest(seeded_engine, [ERAS])
    assert str(report.eras) == "0 created, 0 updated, 3 unchanged"
    assert data_version(seeded_engine) == version


def test_an_edited_era_is_updated_in_place_and_bumps_the_data_version(seeded_engine, tmp_path):
    ingest(seeded_engine, [eras_file(tmp_path, era_with())])
    version = data_version(seeded_engine)
    report = ingest(seeded_engine, [eras_file(tmp_path, era_with(end_date='"2024"', countries="[IN]"))])
    assert str(report.eras) == "0 created, 1 updated, 0 unchanged"
    assert data_version(seeded_engine) == version + 1
    (era,) = stored_eras(seeded_engine)
    assert (str(era.last_date), era.end_precision, era.countries) == ("2024-12-31", "year", ("IN",))
    with seeded_engine.connect() as connection:
        assert connection.execute(select(EraCountry.country_code)).scalars().all() == ["IN"]


def test_a_dry_run_reports_eras_and_writes_nothing(seeded_engine):
    report = ingest(seeded_engine, [ERAS], dry_run=True)
    assert report.eras.created == 3
    assert stored_eras(seeded_engine) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"countries": "[IN, XX]"}, "era #1 'ladakh-standoff': countries.2: unknown country code 'XX'"),
        ({"end_date": '"2019"'}, "era #1 'ladakh-standoff': end_date: '2019' is before start_date '2020-05-05'"),
        ({"start_date": '"2020-13"'}, "era #1 'ladakh-standoff': start_date: '2020-13' is not a valid date"),
        ({"end_date": None}, "era #1 'ladakh-standoff': end_date: is required"),
        ({"description": None}, "era #1 'ladakh-standoff': description: is required"),
        ({"date_precision": "month"}, "era #1 'ladakh-standoff': date_precision: 'month' does not match start_date"),
        ({"name": '"Two\\nlines"'}, "era #1 'ladakh-standoff': name: 'Two\\nlines' must be one line of text"),
        ({"colour": "red"}, "era #1 'ladakh-standoff': colour: is not a known field"),
        ({"slug": "Bad Slug"}, "era #1 'Bad Slug': slug: 'Bad Slug'"),
    ],
)
def test_invalid_eras_are_reported_with_file_item_and_field_and_nothing_is_written(
    seeded_engine, tmp_path, fields, message
):
    path = eras_file(tmp_path, era_with(**fields))
    with pytest.raises(IngestFailed) as failure:
        ingest(seeded_engine, [path])
    assert [error for error in failure.value.errors if error.startswith(f"{path}: {message}")], failure.value.errors
    assert stored_eras(seeded_engine) == []


def test_an_era_slug_used_twice_in_a_run_is_an_error(seeded_engine, tmp_path):
    first = eras_file(tmp_path, era_with(), name="a.yaml")
    second = write(tmp_path, "b.yaml", "eras:" + era_with(name="Another name"))
    with pytest.raises(IngestFailed) as failure:
        ingest(seeded_engine, [first, second])
    assert failure.value.errors == [
        f"{second}: era #1 'ladakh-standoff': slug: 'ladakh-standoff' is already used by era #1 in {first}"
    ]


def test_export_db_writes_the_eras_and_ingesting_the_export_restores_them(seeded_engine, new_database, tmp_path):
    ingest(seeded_engine, [ERAS])
    exported = tmp_path / "timeline.json"
    with Session(seeded_engine) as session:
        exported.write_text("".join(database_document(session)), encoding="utf-8")
    copy = make_engine(new_database("copy", migrated=True))
    try:
        report = ingest(copy, [exported])
        assert str(report.eras) == "3 created, 0 updated, 0 unchanged"
        assert stored_eras(copy) == stored_eras(seeded_engine)
    finally:
        copy.dispose()


def data_version(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(DataVersion.version)).scalar_one()


# The timeline marks where eras begin and end.


def timeline_items(response) -> list[str]:
    """The timeline's list items in order: event slugs, and marks as '+era' (begins) or '-era' (ends)."""
    html = BeautifulSoup(response.text, "html.parser")
    items = []
    for li in html.select("ol.events > li"):
        if "era-mark" in li["class"]:
            sign = "+" if "era-mark-begins" in li["class"] else "-"
            items.append(sign + li.select_one(".era-mark-name a")["href"].split("from=")[1].split("&")[0])
        else:
            items.append(li["id"])
    return items


@pytest.fixture
def client_with_eras(client, seeded_engine):
    ingest(seeded_engine, [ERAS])
    return client


def test_marks_stand_where_eras_begin_and_end_among_the_events(client_with_eras):
    assert timeline_items(client_with_eras.get("/")) == [
        "+1962-10-20",  # on the first event's day: shown, before it
        "1962-war",
        "-1962-10-20",
        "1988-visit",
        "1999-year-event",
        "+2017-06",
        "2017-standoff",
        "-2017-06",
        "2020-clash",
        "2020-tariff-talks",
        "2020-app-ban",
        "+2024",
        "2024-summit",
        "2025-export-controls",
        "2025-border-talks",
        "2025-pakistan-visit",
        # Renewed talks end with 2025, after the last event: outside the events shown.
    ]


def test_a_mark_is_shown_under_the_heading_of_its_own_year(client_with_eras):
    html = BeautifulSoup(client_with_eras.get("/").text, "html.parser")
    ends = html.select_one("li.era-mark-ends")
    assert ends.find_parent("section")["aria-labelledby"] == "year-1962"
    assert ends.select_one("time")["datetime"] == "1962-11-21"
    assert " ".join(ends.get_text().split()) == "Era ends 21 November 1962 War on the frontier"
    begins = html.select_one("#events-2017 > li.era-mark-begins")
    assert " ".join(begins.get_text().split()) == (
        "Era begins June 2017 Standoff on the plateau: Troops face each other for weeks on a disputed plateau."
    )


def test_newest_first_the_marks_are_mirrored(client_with_eras):
    # The plateau standoff ends after the newest event shown: outside the events, so not marked.
    assert timeline_items(client_with_eras.get("/?order=desc&to=2017")) == [
        "2017-standoff",
        "+2017-06",
        "1999-year-event",
        "1988-visit",
        "-1962-10-20",
        "1962-war",
        "+1962-10-20",
    ]


def test_across_pages_each_mark_is_shown_once_in_its_place(client_with_eras, database_url):
    shown, url = [], "/"
    with TestClient(create_app(Settings(database_url=database_url, page_size=3))) as small_pages:
        while url:
            response = small_pages.get(url)
            shown += timeline_items(response)
            more = BeautifulSoup(response.text, "html.parser").select_one("#later a")
            url = more["href"] if more else None
    assert len(shown) == 16 and shown == timeline_items(client_with_eras.get("/"))


def test_marks_follow_the_filters_countries(client_with_eras):
    assert [item for item in timeline_items(client_with_eras.get("/?country=US")) if item[0] in "+-"] == []
