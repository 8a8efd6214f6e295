"""The event index as a structure: built once per data version however many threads ask, and sound
on a database without events."""

import threading
import time

from sqlmodel import Session

from app import cache, queries
from app.filters import PageRequest, TimelineFilter
from app.queries.event_index import event_index


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
