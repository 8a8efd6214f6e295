"""The run: files (see files) → checked rows (validation, perhaps in a second process) → upsert in one
transaction → report."""

import gc
import logging
import time
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine

from app.ingest.definitions import upsert_countries, upsert_eras, upsert_topics
from app.ingest.files import find_files
from app.ingest.links import PendingLinks, unknown_targets
from app.ingest.reader_process import in_second_process, second_process_available
from app.ingest.readers import ReaderOptions
from app.ingest.report import IngestFailed, IngestReport
from app.ingest.upsert import upsert_events
from app.ingest.validation import Checked, Definitions, EventBatch, Known, check_files
from app.models import Country, DataVersion, Event, Topic, utc_now
from app.queries.event_index import store_snapshot

# Below this many bytes of input, a second process costs more than it saves.
SECOND_PROCESS_MIN_BYTES = 1 << 20
log = logging.getLogger("timeline.ingest")

event = Event.__table__
country = Country.__table__
topic = Topic.__table__
data_version = DataVersion.__table__


def ingest(
    engine: Engine,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    options: ReaderOptions | None = None,
    second_process: bool | None = None,
) -> IngestReport:
    """Validate every item and write the valid ones in one transaction, committed only if nothing failed.

    Events stream through in chunks, so a file of a million events never sits in memory whole; the
    transaction is what makes the run all or nothing. Large runs read and validate in a second
    process while this one writes (`second_process`: None decides by the size of the files).
    """
    started = time.perf_counter()
    # A run allocates millions of short-lived objects and leaves no cycles; collections would only
    # rescan the documents held in memory, over and over.
    gc.disable()
    try:
        return _ingest(engine, paths, dry_run, options, second_process, started)
    finally:
        gc.enable()


def _ingest(
    engine: Engine,
    paths: Sequence[Path],
    dry_run: bool,
    options: ReaderOptions | None,
    second_process: bool | None,
    started: float,
) -> IngestReport:
    files = find_files(paths)
    options = replace(options or ReaderOptions(), topics_by_name=_topic_names(engine))
    if second_process is None:
        second_process = sum(f.stat().st_size for f in files) >= SECOND_PROCESS_MIN_BYTES
    report = IngestReport([str(f) for f in files], dry_run=dry_run)
    with engine.connect() as connection, connection.begin() as transaction:
        _begin_writing(connection)
        writer = _Writer(connection, report, _count_events(connection))
        stored = _stored_definitions(connection)
        if second_process and second_process_available():
            checked = in_second_process(check_files, files, options, stored)
        else:
            checked = check_files(files, options, stored)
        # Closed on any error, so that a second process stops reading at once.
        with closing(checked):
            writer.write(checked)
        if writer.errors:
            transaction.rollback()
            log.warning("ingest failed", extra={"files": ",".join(report.files), "errors": len(writer.errors)})
            raise IngestFailed(writer.errors)
        if dry_run:
            transaction.rollback()
        elif report.changed:
            _finish(connection, writer.written_ids, grown=report.events.created > writer.events_before)
    report.seconds = time.perf_counter() - started
    _log(report)
    return report


@dataclass
class _Writer:
    """Writes what validation yields, part by part; after the first error, only collects the rest."""

    connection: Connection
    report: IngestReport
    events_before: int
    errors: list[str] = field(default_factory=list)
    links: PendingLinks = field(default_factory=PendingLinks)
    written_ids: list[int] = field(default_factory=list)

    def write(self, parts: Iterable[Checked]) -> None:
        for part in parts:
            self.errors += part.errors
            if isinstance(part, Definitions):
                self._definitions(part)
            elif isinstance(part, EventBatch):
                self._events(part)
            else:
                self.errors += unknown_targets(self.connection, part.links)
        if not self.errors:
            self.links.write(self.connection)

    def _definitions(self, part: Definitions) -> None:
        upsert_countries(self.connection, part.countries, self.report.countries)
        upsert_topics(self.connection, part.topics, self.report.topics)
        if not self.errors:
            upsert_eras(self.connection, part.eras, self.report.eras)

    def _events(self, part: EventBatch) -> None:
        if not self.errors:
            # Into an empty table every event is new: there is nothing stored to compare with.
            compare = self.events_before > 0
            self.written_ids += upsert_events(
                self.connection, part.events, self.report.events, self.links, compare=compare
            )


def _begin_writing(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        # The sqlite3 module begins a transaction only before an INSERT, UPDATE or DELETE: begin
        # now, so that everything the run does is part of it. IMMEDIATE takes the write lock at
        # once: a second ingest waits for it (up to the busy timeout), or fails before writing
        # anything, instead of half way.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        # An ingest touches every index: give this one connection a large page cache (256 MB).
        connection.exec_driver_sql("PRAGMA cache_size=-262144")


def _count_events(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(event)).scalar_one()


def _stored_definitions(connection: Connection) -> Known:
    return Known(
        countries=frozenset(connection.execute(select(country.c.code)).scalars()),
        topics=frozenset(connection.execute(select(topic.c.slug)).scalars()),
    )


def _finish(connection: Connection, written_ids: list[int], grown: bool) -> None:
    """After a run that changed something: tidy the search index if it grew, bump the data version,
    and store the event index of the new version, so that no worker has to build it."""
    if grown:
        _merge_search_index(connection)
    _bump_data_version(connection)
    store_snapshot(connection, written_ids)


def _merge_search_index(connection: Connection) -> None:
    """Merge SQLite's full-text index into one b-tree, after a run that at least doubled it.

    A bulk load leaves the index in many pieces, and a search for a common word, which tests
    events one by one in date order, then costs ten times more (seen at 100k events).
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("INSERT INTO event_fts(event_fts) VALUES ('optimize')")


def _bump_data_version(connection: Connection) -> None:
    """Tell every cache that the data changed."""
    connection.execute(update(data_version).values(version=data_version.c.version + 1, changed_at=utc_now()))
    if connection.dialect.name == "sqlite":
        # Refresh the statistics SQLite's planner reads, where the data changed enough to matter.
        connection.exec_driver_sql("PRAGMA optimize")
    else:
        # Without fresh statistics PostgreSQL plans a bilateral filter 40 times slower (seen at 100k events).
        connection.exec_driver_sql("ANALYZE event, event_country, event_topic, source")


def _topic_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return {name.casefold(): slug for slug, name in connection.execute(select(topic.c.slug, topic.c.name))}


def _log(report: IngestReport) -> None:
    log.info(
        "ingest",
        extra={
            "files": ",".join(report.files),
            "events": str(report.events),
            "countries": str(report.countries),
            "topics": str(report.topics),
            "eras": str(report.eras),
            "dry_run": report.dry_run,
            "seconds": round(report.seconds, 3),
        },
    )
