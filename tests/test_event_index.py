"""The event index as a structure: built once per data version however many threads ask, sound on a
database without events, stored by the ingest that made its version and loaded as it was built."""

import threading
import time

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, text, update
from sqlmodel import Session

from app import cache, queries
from app.config import Settings
from app.filters import PageRequest, TimelineFilter
from app.ingest import ingest
from app.main import create_app
from app.models import DataVersion
from app.queries import common_words
from app.queries.event_index import EventIndex, build, event_index
from app.queries.tables import event_index_snapshot
from bench.generate import generate, write
from tests.conftest import SEEDS

data_version = DataVersion.__table__


def test_threads_asking_for_a_value_being_built_wait_for_that_one_build():
    versioned = cache.VersionedCache(2, one_build=True)
    builds = []

    def build():
        builds.append(1)
        time.sleep(0.05)
        return object()

    values = []
    threads = [threading.Thread(target=lambda: values.append(versioned.get("db", 1, (), build))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1 and len({id(value) for value in values}) == 1


def test_a_database_without_events_has_an_empty_index_and_empty_views(engine):
    everything = TimelineFilter()
    with Session(engine) as session:
        assert event_index(session).size == 0
        assert queries.count_events(session, everything) == 0
        assert queries.month_counts(session, everything) == ()
        assert queries.list_events(session, TimelineFilter(countries=("IN",)), PageRequest(None, 10)).items == []


def test_an_ingest_stores_the_index_of_its_version_and_the_stored_index_is_the_built_one(seeded_engine):
    with Session(seeded_engine) as session:
        version = queries.data_version(session)
        stored = session.execute(select(event_index_snapshot.c.version)).scalars().all()
        loaded = EventIndex.from_bytes(session.execute(select(event_index_snapshot.c.data)).scalar_one())
        built = build(session)
    assert stored == [version]
    assert np.array_equal(loaded.keys, built.keys) and np.array_equal(loaded.month_starts, built.month_starts)
    assert loaded.countries == built.countries and loaded.topics == built.topics
    assert loaded.kinds == built.kinds and loaded.importance_at_most == built.importance_at_most
    assert loaded.first_month == built.first_month


def test_without_a_stored_index_the_index_is_built_from_the_data(seeded_engine):
    with Session(seeded_engine) as session:
        expected = queries.count_events(session, TimelineFilter(countries=("IN",)))
    with seeded_engine.begin() as connection:
        connection.execute(delete(event_index_snapshot))
        connection.execute(update(data_version).values(version=data_version.c.version + 1))
    with Session(seeded_engine) as session:
        assert queries.count_events(session, TimelineFilter(countries=("IN",))) == expected > 0


def test_a_server_loads_the_event_index_before_it_serves_its_first_request(seeded_engine, database_url):
    with Session(seeded_engine) as session:
        events = session.execute(text("SELECT COUNT(*) FROM event")).scalar_one()
    cache.event_index.entries.clear()
    with TestClient(create_app(Settings(database_url=database_url))):
        loaded = list(cache.event_index.entries.values())
    assert len(loaded) == 1 and loaded[0].size == events > 0


def test_a_server_on_a_database_not_yet_migrated_starts_without_the_event_index(database_url):
    cache.event_index.entries.clear()
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        assert client.get("/healthz").status_code == 503
    assert len(cache.event_index.entries) == 0


def test_an_ingest_updates_the_common_words_it_kept_from_the_events_it_wrote_and_keeps_them_exact(
    engine, tmp_path, monkeypatch
):
    if engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL keeps common words (app/queries/common_words.py)")
    monkeypatch.setattr(common_words, "MIN_EVENTS", 50)
    reads = []
    read_words = common_words._events_of_words
    monkeypatch.setattr(
        common_words,
        "_events_of_words",
        lambda connection, words, written_ids=None: (
            reads.append((set(words), written_ids is None)) or read_words(connection, words, written_ids)
        ),
    )
    events = list(generate(600, seed=3))
    write(events, tmp_path / "first.yaml")
    ingest(engine, [SEEDS / "countries.yaml", SEEDS / "topics.yaml", tmp_path / "first.yaml"])
    with Session(engine) as session:
        kept_first = set(event_index(session).common_words)
    # Most events lose the words of their title and summary, and gain "visas"; new ones come.
    renamed = {"title": "Renamed event", "summary": "Officials discuss visas."}
    rewritten = [{**e, **renamed, "title": f"Renamed event {n}"} for n, e in enumerate(events[:560])]
    added = [{**e, **renamed, "title": f"Added event {n}"} for n, e in enumerate(list(generate(700, seed=4))[600:])]
    write(rewritten + events[560:] + added, tmp_path / "second.yaml")
    reads.clear()
    ingest(engine, [tmp_path / "second.yaml"])
    with Session(engine) as session:
        kept = event_index(session).common_words
        assert {"visa", "renam"} <= set(kept) and kept_first - set(kept)
        for word, ids in kept.items():
            statement = text("SELECT e.id FROM event e WHERE :word = ANY(tsvector_to_array(e.search_vector))")
            assert set(ids) == set(session.execute(statement, {"word": word}).scalars()), word
    # The words kept before were read only for the events written; only new ones were read whole.
    assert [(words, whole) for words, whole in reads if not whole] == [(kept_first, False)]
    assert all(not words & kept_first for words, whole in reads if whole)
