"""Large runs read and validate in a second process while the first writes: the same data, the same errors.

`second_process=True` forces what a large file gets by its size, so that small files can show it.
"""

import multiprocessing

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.db import make_engine
from app.formats.seed import database_document
from app.ingest import IngestFailed, ingest, validation
from app.ingest.reader_process import ReaderProcessFailed
from app.models import Event
from tests.conftest import REFERENCE, write

CSV_HEADER = "slug,title,summary,start_date,end_date,countries,topics,tone,source_urls\n"
BAD_CSV = (
    CSV_HEADER
    + "2021-good,Good,Fine.,2021-03,,IN;CN,border,1,https://example.org/a\n"
    + "2021-bad-date,Bad,Fine.,2021-13,,IN,border,,https://example.org/c\n"
    + "2020-clash,Twice,Fine.,2021,,IN,border,,https://example.org/d\n"
    + "2021-bad-country,Bad,Fine.,2021,,IN;XX,border,,https://example.org/e\n"
)


@pytest.fixture
def empty_engine(new_database):
    """A second database at the current schema, with nothing in it."""
    engine = make_engine(new_database("empty", migrated=True))
    yield engine
    engine.dispose()


def dump(engine) -> str:
    with Session(engine) as session:
        return "".join(database_document(session))


def event_count(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Event)).scalar_one()


def errors_of(engine, paths, second_process: bool) -> list[str]:
    with pytest.raises(IngestFailed) as failure:
        ingest(engine, paths, second_process=second_process)
    return failure.value.errors


def test_the_seed_data_read_in_a_second_process_is_stored_as_in_one(shared_engine, empty_engine):
    ingest(empty_engine, [REFERENCE], second_process=True)
    assert dump(empty_engine) == dump(shared_engine)


def test_a_csv_export_read_in_a_second_process_updates_nothing_on_a_second_run(client, seeded_engine, tmp_path):
    path = write(tmp_path, "events.csv", client.get("/events.csv").text)
    report = ingest(seeded_engine, [path], second_process=True)
    assert str(report.events) == f"0 created, 0 updated, {event_count(seeded_engine)} unchanged"


def test_an_edited_csv_read_in_a_second_process_updates_the_event(client, seeded_engine, tmp_path):
    text = client.get("/events.csv?q=clash").text.replace("Deadly clash in the valley", "Clash in the valley")
    report = ingest(seeded_engine, [write(tmp_path, "edited.csv", text)], second_process=True)
    assert str(report.events) == "0 created, 1 updated, 0 unchanged"
    assert client.get("/api/events/2020-clash").json()["title"] == "Clash in the valley"


def test_errors_found_in_a_second_process_are_those_found_in_one(seeded_engine, tmp_path):
    path = write(tmp_path, "bad.csv", BAD_CSV)
    in_one = errors_of(seeded_engine, [path], second_process=False)
    assert errors_of(seeded_engine, [path], second_process=True) == in_one
    assert in_one == [
        f"{path}: line 3 '2021-bad-date': column start_date: '2021-13' is not a valid date",
        f"{path}: line 5 '2021-bad-country': column countries.2: unknown country code 'XX'",
    ]


def test_a_slug_used_in_two_files_is_reported_from_the_second_process(empty_engine, tmp_path):
    path = write(tmp_path, "again.csv", CSV_HEADER + "2020-clash,Twice,Fine.,2021,,IN,border,,https://example.org/d\n")
    errors = errors_of(empty_engine, [REFERENCE, path], second_process=True)
    assert errors == [f"{path}: line 2 '2020-clash': slug: '2020-clash' is already used by event #5 in {REFERENCE}"]
    assert event_count(empty_engine) == 0


def test_a_failing_reader_process_stops_the_run_and_writes_nothing(seeded_engine, tmp_path, monkeypatch):
    def broken(record):
        raise RuntimeError("the reader broke")

    before = dump(seeded_engine)
    monkeypatch.setattr(validation, "prepare", broken)
    path = write(tmp_path, "one.csv", CSV_HEADER + "2021-new,New,Fine.,2021,,IN,border,,https://example.org/n\n")
    with pytest.raises(ReaderProcessFailed, match="the reader broke"):
        ingest(seeded_engine, [path], second_process=True)
    assert dump(seeded_engine) == before


def test_a_writer_that_fails_stops_the_reader_process_at_once(seeded_engine, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the writer broke")

    monkeypatch.setattr("app.ingest.pipeline.upsert_events", broken)
    path = write(tmp_path, "one.csv", CSV_HEADER + "2021-new,New,Fine.,2021,,IN,border,,https://example.org/n\n")
    with pytest.raises(RuntimeError, match="the writer broke"):
        ingest(seeded_engine, [path], second_process=True)
    assert multiprocessing.active_children() == []
