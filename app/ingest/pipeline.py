"""Checked rows (see validation) → upsert in one transaction → report."""

import gc
import logging
import os
import time
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from app.dates import partial_iso
from app.ingest.readers import READERS, ReaderOptions, size_errors
from app.ingest.records import CountryRecord, EraRecord, TopicRecord
from app.ingest.validation import (
    EVENT_FIELD_NAMES,
    Definitions,
    EventBatch,
    Known,
    LinkCheck,
    PreparedEvent,
    check_files,
    in_second_process,
    second_process_available,
)
from app.models import (
    Country,
    CountryRole,
    DataVersion,
    Era,
    EraCountry,
    Event,
    EventCountry,
    EventLink,
    EventTopic,
    Precision,
    Revision,
    Source,
    Statement,
    Topic,
    utc_now,
)

# Below this many bytes of input, a second process costs more than it saves.
SECOND_PROCESS_MIN_BYTES = 1 << 20
# Slugs per `IN (...)` lookup: far below every backend's limit on parameters.
SLUGS_PER_QUERY = 500
log = logging.getLogger("timeline.ingest")

event = Event.__table__
event_country = EventCountry.__table__
event_topic = EventTopic.__table__
country = Country.__table__
topic = Topic.__table__
source = Source.__table__
data_version = DataVersion.__table__
event_link = EventLink.__table__
statement = Statement.__table__
revision = Revision.__table__
era = Era.__table__
era_country = EraCountry.__table__


class IngestFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class IngestReport:
    files: list[str]
    events: Counts = field(default_factory=Counts)
    countries: Counts = field(default_factory=Counts)
    topics: Counts = field(default_factory=Counts)
    eras: Counts = field(default_factory=Counts)
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(counts.created or counts.updated for counts in (self.events, self.countries, self.topics, self.eras))

    def lines(self) -> list[str]:
        lines = [
            f"events: {self.events}",
            f"countries: {self.countries}",
            f"topics: {self.topics}",
            f"eras: {self.eras}",
            f"{len(self.files)} file(s) in {self.seconds:.2f} s",
        ]
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return lines


def find_files(paths: Sequence[Path]) -> list[Path]:
    """The seed files named, folders expanded to their files in name order, checked before anything
    is read (and before the write lock is taken)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            # Every entry with a seed file's extension, so that a broken link or a FIFO is an error, not skipped.
            files += sorted(p for p in path.iterdir() if p.suffix.lower() in READERS and not p.is_dir())
        elif not path.exists() and not path.is_symlink():
            raise IngestFailed([f"{path}: no such file or folder"])
        elif path.suffix.lower() not in READERS:
            raise IngestFailed([f"{path}: unknown file type; expected one of {', '.join(sorted(READERS))}"])
        else:
            files.append(path)
    if not files:
        raise IngestFailed([f"{', '.join(map(str, paths))}: no seed files found"])
    errors = [problem for problem in map(_not_a_regular_file, files) if problem]
    errors = errors or _named_twice(files) or size_errors(files)
    if errors:
        raise IngestFailed(errors)
    return files


def _not_a_regular_file(path: Path) -> str | None:
    # A device would be read without end, and a FIFO blocks until something writes to it.
    link = f" (a link to {os.readlink(path)})" if path.is_symlink() else ""
    if not path.exists():
        return f"{path}{link}: no such file"
    if not path.is_file():
        return f"{path}{link}: not a regular file (a device, a FIFO or a socket); seed files must be regular files"
    return None


def _named_twice(files: list[Path]) -> list[str]:
    # A file read twice would count its events twice ("188 unchanged" for 94 events).
    first: dict[Path, Path] = {}
    errors = []
    for path in files:
        earlier = first.get(path.resolve())
        if earlier is None:
            first[path.resolve()] = path
        else:
            also = "" if str(earlier) == str(path) else f" (also as {earlier})"
            errors.append(f"{path}: named twice{also}; name each file once")
    return errors


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
    errors: list[str] = []
    links = _PendingLinks()
    with engine.connect() as connection, connection.begin() as transaction:
        if connection.dialect.name == "sqlite":
            # The sqlite3 module begins a transaction only before an INSERT, UPDATE or DELETE: begin
            # now, so that everything the run does is part of it. IMMEDIATE takes the write lock at
            # once: a second ingest waits for it (up to the busy timeout), or fails before writing
            # anything, instead of half way.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            # An ingest touches every index: give this one connection a large page cache (256 MB).
            connection.exec_driver_sql("PRAGMA cache_size=-262144")
        stored = Known(
            countries=frozenset(connection.execute(select(country.c.code)).scalars()),
            topics=frozenset(connection.execute(select(topic.c.slug)).scalars()),
        )
        events_before = connection.execute(select(func.count()).select_from(event)).scalar_one()
        if second_process and second_process_available():
            checked = in_second_process(check_files, files, options, stored)
        else:
            checked = check_files(files, options, stored)
        # Closed on any error, so that a second process stops reading at once.
        with closing(checked):
            for part in checked:
                errors += part.errors
                if isinstance(part, Definitions):
                    _upsert_countries(connection, part.countries, report.countries)
                    _upsert_topics(connection, part.topics, report.topics)
                    if not errors:
                        _upsert_eras(connection, part.eras, report.eras)
                elif isinstance(part, EventBatch):
                    if not errors:
                        # Into an empty table every event is new: there is nothing stored to compare with.
                        _upsert_event_chunk(connection, part.events, report.events, links, compare=events_before > 0)
                else:
                    errors += _unknown_targets(connection, part.links)
        if not errors:
            links.write(connection)
        if errors:
            transaction.rollback()
            log.warning("ingest failed", extra={"files": ",".join(report.files), "errors": len(errors)})
            raise IngestFailed(errors)
        if dry_run:
            transaction.rollback()
        elif report.changed:
            if report.events.created > events_before:
                _merge_search_index(connection)
            _bump_data_version(connection)
    report.seconds = time.perf_counter() - started
    log.info(
        "ingest",
        extra={
            "files": ",".join(report.files),
            "events": str(report.events),
            "countries": str(report.countries),
            "topics": str(report.topics),
            "eras": str(report.eras),
            "dry_run": dry_run,
            "seconds": round(report.seconds, 3),
        },
    )
    return report


def _merge_search_index(connection: Connection) -> None:
    """Merge SQLite's full-text index into one b-tree, after a run that at least doubled it.

    A bulk load leaves the index in many pieces, and a search for a common word, which tests
    events one by one in date order, then costs ten times more (seen at 100k events).
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("INSERT INTO event_fts(event_fts) VALUES ('optimize')")


def _bump_data_version(connection: Connection) -> None:
    """Tell every cache that the data changed, and record the longest event for date filters."""
    if connection.dialect.name == "sqlite":
        span = func.max(func.julianday(event.c.last_date) - func.julianday(event.c.start_date))
    else:
        span = func.max(event.c.last_date - event.c.start_date)
    longest = connection.execute(select(func.coalesce(span, 0))).scalar_one()
    connection.execute(
        update(data_version).values(
            version=data_version.c.version + 1, changed_at=utc_now(), max_span_days=int(longest)
        )
    )
    if connection.dialect.name == "sqlite":
        # Refresh the statistics SQLite's planner reads, where the data changed enough to matter.
        connection.exec_driver_sql("PRAGMA optimize")
    else:
        # Without fresh statistics PostgreSQL plans a bilateral filter 40 times slower (seen at 100k events).
        connection.exec_driver_sql("ANALYZE event, event_country, event_topic, source")


def _topic_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return {name.casefold(): slug for slug, name in connection.execute(select(topic.c.slug, topic.c.name))}


@dataclass
class _PendingLinks:
    """Links are written at the end of the run, because they may point at events that come later in it."""

    to_write: list[tuple[int, tuple[tuple[str, str], ...]]] = field(default_factory=list)

    def write_later(self, event_id: int, links: tuple[tuple[str, str], ...]) -> None:
        if links:
            self.to_write.append((event_id, links))

    def write(self, connection: Connection) -> None:
        ids = _ids_by_slug(connection, {target for _, links in self.to_write for _, target in links})
        rows = [
            (event_id, ids[target], kind, position)
            for event_id, links in self.to_write
            for position, (kind, target) in enumerate(links)
        ]
        _bulk_insert(connection, event_link, ["event_id", "target_id", "type", "position"], rows)


def _unknown_targets(connection: Connection, links: list[LinkCheck]) -> list[str]:
    """Errors for the links whose target is neither in the run nor in the database."""
    stored = _ids_by_slug(connection, {link.target for link in links})
    return [
        f"{link.label}: {link.field_name}.{link.position}.to: unknown event {link.target!r}"
        for link in links
        if link.target not in stored
    ]


def _ids_by_slug(connection: Connection, slugs: set[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    ordered = sorted(slugs)
    for start in range(0, len(ordered), SLUGS_PER_QUERY):
        statement_ = select(event.c.slug, event.c.id).where(event.c.slug.in_(ordered[start : start + SLUGS_PER_QUERY]))
        ids.update({slug: event_id for slug, event_id in connection.execute(statement_)})
    return ids


def _upsert_countries(connection: Connection, records: list[CountryRecord], counts: Counts) -> None:
    existing = {code: {"name": name} for code, name in connection.execute(select(country.c.code, country.c.name))}
    _upsert_simple(connection, country, "code", {r.code: {"name": r.name} for r in records}, existing, counts)


def _upsert_topics(connection: Connection, records: list[TopicRecord], counts: Counts) -> None:
    existing = {
        slug: {"name": name, "description": description}
        for slug, name, description in connection.execute(select(topic.c.slug, topic.c.name, topic.c.description))
    }
    wanted = {r.slug: {"name": r.name, "description": r.description} for r in records}
    _upsert_simple(connection, topic, "slug", wanted, existing, counts)


def _upsert_simple(connection, table, key: str, wanted: dict, existing: dict, counts: Counts) -> None:
    new = [{key: k, **values} for k, values in wanted.items() if k not in existing]
    changed = [(k, values) for k, values in wanted.items() if k in existing and _differs(existing[k], values)]
    if new:
        connection.execute(insert(table), new)
    for k, values in changed:
        connection.execute(update(table).where(table.c[key] == k).values(**values))
    counts.created += len(new)
    counts.updated += len(changed)
    counts.unchanged += len(wanted) - len(new) - len(changed)


def _differs(old: dict, new: dict) -> bool:
    return any(old.get(k) != v for k, v in new.items())


def _fields(
    values: dict,
    countries: Iterable[str],
    concerns: Iterable[str],
    topics: Iterable[str],
    sources: Iterable[tuple],
    links: Iterable[tuple],
    statements: Iterable[tuple],
) -> dict[str, object]:
    """Everything ingest writes about one event, by the seed field it comes from: comparable between
    a file and the database, and what a revision lists."""
    return {
        "title": values["title"],
        "summary": values["summary"],
        "start_date": (values["start_date"], values["date_precision"]),
        "end_date": (values["end_date"], values["end_precision"]),
        "location": values["location"],
        "tone": values["tone"],
        "importance": values["importance"],
        "countries": tuple(sorted(countries)),
        "concerns": tuple(sorted(concerns)),
        "topics": tuple(sorted(topics)),
        "sources": tuple(sources),
        # The order links are declared in says nothing; the order of statements is the page's.
        "links": tuple(sorted(links)),
        "statements": tuple(statements),
    }


def _readable(name: str, value) -> str | None:
    """A field's value as a revision shows it (None: not set)."""
    if name in ("start_date", "end_date"):
        day, precision = value
        return partial_iso(date.fromisoformat(day), Precision(precision)) if day else None
    if name in ("countries", "concerns", "topics"):
        return ", ".join(value) or None
    if name == "sources":
        return "\n".join(_cited(*row) for row in value) or None
    if name == "links":
        return "\n".join(f"{kind} {slug}" for kind, slug in value) or None
    if name == "statements":
        lines = []
        for party, country_code, text, said_on, precision, *cited in value:
            who = f"{party} [{country_code}]" if country_code else party
            when = f", {partial_iso(date.fromisoformat(said_on), Precision(precision))}" if said_on else ""
            lines.append(f"{who}{when}: {text} — {_cited(*cited)}")
        return "\n".join(lines) or None
    return None if value is None else str(value)


def _cited(url: str, title: str, headline: bool | None, publisher: str | None, published: str | None) -> str:
    details = ", ".join(part for part in (publisher, published) if part)
    title = f"“{title}”" if headline else f"[{title}]" if headline is False else title
    return f"{title}{f' ({details})' if details else ''} <{url}>"


def _upsert_event_chunk(
    connection: Connection, events: list[PreparedEvent], counts: Counts, links: _PendingLinks, compare: bool
) -> None:
    if not events:
        return
    stored = _stored_snapshots(connection, [e.slug for e in events]) if compare else {}
    now = _timestamp(connection, utc_now())
    new, changed, revisions = [], [], []
    for prepared in events:
        if prepared.slug not in stored:
            new.append(prepared)
            continue
        event_id, old = stored[prepared.slug]
        wanted = _fields(
            prepared.columns(),
            prepared.countries,
            # A format that cannot carry concerns, links or statements leaves them as they are.
            old["concerns"] if prepared.concerns is None else prepared.concerns,
            prepared.topics,
            prepared.sources,
            old["links"] if prepared.links is None else prepared.links,
            old["statements"] if prepared.statements is None else prepared.statements,
        )
        if wanted != old:
            changed.append((event_id, prepared))
            revisions.append((event_id, [(name, old[name], new) for name, new in wanted.items() if old[name] != new]))
    if new:
        _bulk_insert(
            connection,
            event,
            ["slug", *EVENT_FIELD_NAMES, "statement_text", "created_at", "updated_at"],
            [(e.slug, *e.values, e.statement_text, now, now) for e in new],
        )
        query = select(event.c.slug, event.c.id).where(event.c.slug.in_([e.slug for e in new]))
        new_ids = {slug: event_id for slug, event_id in connection.execute(query)}
        _insert_relations(connection, [(new_ids[e.slug], e) for e in new])
        _index_for_search(connection, list(new_ids.values()))
        for e in new:
            links.write_later(new_ids[e.slug], e.links)
    _bulk_update(
        connection,
        event,
        [*EVENT_FIELD_NAMES, "statement_text", "updated_at"],
        [(*p.values, p.statement_text, now, event_id) for event_id, p in changed if p.statements is not None],
    )
    # A format that cannot carry statements leaves their search text as it is.
    _bulk_update(
        connection,
        event,
        [*EVENT_FIELD_NAMES, "updated_at"],
        [(*p.values, now, event_id) for event_id, p in changed if p.statements is None],
    )
    if changed:
        changed_ids = [event_id for event_id, _ in changed]
        for table in (event_topic, source):
            connection.execute(delete(table).where(table.c.event_id.in_(changed_ids)))
        connection.execute(
            delete(event_country).where(
                event_country.c.event_id.in_(changed_ids), event_country.c.role == CountryRole.party.value
            )
        )
        reconcerned = [event_id for event_id, prepared in changed if prepared.concerns is not None]
        connection.execute(
            delete(event_country).where(
                event_country.c.event_id.in_(reconcerned), event_country.c.role == CountryRole.concerns.value
            )
        )
        restated = [event_id for event_id, prepared in changed if prepared.statements is not None]
        connection.execute(delete(statement).where(statement.c.event_id.in_(restated)))
        relinked = [event_id for event_id, prepared in changed if prepared.links is not None]
        connection.execute(delete(event_link).where(event_link.c.event_id.in_(relinked)))
        for event_id, prepared in changed:
            links.write_later(event_id, prepared.links)
        _insert_relations(connection, changed)
        _record_revisions(connection, revisions, now)
    counts.created += len(new)
    counts.updated += len(changed)
    counts.unchanged += len(events) - len(new) - len(changed)


def _record_revisions(connection: Connection, changes: list[tuple[int, list[tuple]]], now: datetime | str) -> None:
    """One revision per changed event: a row for each field, with its old and new value as text."""
    numbers = dict(
        connection.execute(
            select(revision.c.event_id, func.max(revision.c.number))
            .where(revision.c.event_id.in_([event_id for event_id, _ in changes]))
            .group_by(revision.c.event_id)
        ).all()
    )
    rows = [
        (event_id, numbers.get(event_id, 0) + 1, now, name, _readable(name, old), _readable(name, new))
        for event_id, fields in changes
        for name, old, new in fields
    ]
    _bulk_insert(connection, revision, ["event_id", "number", "changed_at", "field", "old_value", "new_value"], rows)


def _insert_relations(connection: Connection, events: list[tuple[int, PreparedEvent]]) -> None:
    _bulk_insert(
        connection,
        event_country,
        ["event_id", "country_code", "role"],
        [(i, code, CountryRole.party.value) for i, e in events for code in e.countries]
        + [(i, code, CountryRole.concerns.value) for i, e in events for code in e.concerns or ()],
    )
    _bulk_insert(
        connection, event_topic, ["event_id", "topic_slug"], [(i, slug) for i, e in events for slug in e.topics]
    )
    _bulk_insert(
        connection,
        source,
        ["event_id", "position", "url", "title", "headline", "publisher", "published_date"],
        [(i, position, *cited) for i, e in events for position, cited in enumerate(e.sources)],
    )
    _bulk_insert(
        connection,
        statement,
        [
            "event_id",
            "position",
            "party",
            "party_country",
            "text",
            "said_on",
            "said_on_precision",
            "source_url",
            "source_title",
            "source_headline",
            "source_publisher",
            "source_published_date",
        ],
        [(i, position, *row) for i, e in events for position, row in enumerate(e.statements or ())],
    )


def _index_for_search(connection: Connection, event_ids: list[int]) -> None:
    """Add new events to SQLite's full-text index in one statement (see migration 0003)."""
    if connection.dialect.name == "sqlite" and event_ids:
        placeholders = ", ".join("?" * len(event_ids))
        connection.exec_driver_sql(
            "INSERT INTO event_fts(rowid, title, summary, statement_text) "
            f"SELECT id, title, summary, statement_text FROM event WHERE id IN ({placeholders})",
            tuple(event_ids),
        )


def _bulk_insert(connection: Connection, table, columns: list[str], rows: list[tuple]) -> None:
    """executemany straight to the driver: Core's per-row parameter processing costs more than SQLite's insert.

    Dates arrive as ISO text, which both SQLite and PostgreSQL store as the date it names.
    """
    if not rows:
        return
    placeholder = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([placeholder] * len(columns))})"
    connection.exec_driver_sql(statement, rows)


def _bulk_update(connection: Connection, table, columns: list[str], rows: list[tuple]) -> None:
    """UPDATE … WHERE id = the last value of each row, as _bulk_insert does its inserts."""
    if not rows:
        return
    placeholder = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    assignments = ", ".join(f"{name} = {placeholder}" for name in columns)
    connection.exec_driver_sql(f"UPDATE {table.name} SET {assignments} WHERE id = {placeholder}", rows)


def _timestamp(connection: Connection, moment: datetime) -> datetime | str:
    """A time as the driver takes it: on SQLite, the text SQLAlchemy itself stores for DateTime columns."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if connection.dialect.name == "sqlite" else moment


def _iso(value: object) -> object:
    """Dates read back from the database, as the ISO text checked rows carry."""
    return value.isoformat() if isinstance(value, date) else value


def _stored_snapshots(connection: Connection, slugs: list[str]) -> dict[str, tuple[int, tuple]]:
    columns = _EVENT_FIELDS
    rows = connection.execute(select(event.c.id, event.c.slug, *columns).where(event.c.slug.in_(slugs))).all()
    if not rows:
        return {}
    ids = [row.id for row in rows]
    countries = _grouped(connection, event_country.c.country_code, ids, event_country.c.role == CountryRole.party.value)
    concerns = _grouped(
        connection, event_country.c.country_code, ids, event_country.c.role == CountryRole.concerns.value
    )
    topics = _grouped(connection, event_topic.c.topic_slug, ids)
    sources = _rows_by_event(
        connection,
        select(
            source.c.event_id,
            source.c.url,
            source.c.title,
            source.c.headline,
            source.c.publisher,
            source.c.published_date,
        )
        .where(source.c.event_id.in_(ids))
        .order_by(source.c.event_id, source.c.position),
    )
    target = event.alias("target")
    links = _rows_by_event(
        connection,
        select(event_link.c.event_id, event_link.c.type, target.c.slug)
        .join(target, target.c.id == event_link.c.target_id)
        .where(event_link.c.event_id.in_(ids)),
    )
    statements = _rows_by_event(
        connection,
        select(
            statement.c.event_id,
            statement.c.party,
            statement.c.party_country,
            statement.c.text,
            statement.c.said_on,
            statement.c.said_on_precision,
            statement.c.source_url,
            statement.c.source_title,
            statement.c.source_headline,
            statement.c.source_publisher,
            statement.c.source_published_date,
        )
        .where(statement.c.event_id.in_(ids))
        .order_by(statement.c.event_id, statement.c.position),
    )
    return {
        row.slug: (
            row.id,
            _fields(
                {c.name: _iso(row._mapping[c.name]) for c in columns},
                countries.get(row.id, []),
                concerns.get(row.id, []),
                topics.get(row.id, []),
                sources.get(row.id, []),
                links.get(row.id, []),
                statements.get(row.id, []),
            ),
        )
        for row in rows
    }


def _rows_by_event(connection: Connection, query) -> dict[int, list[tuple]]:
    """Rows whose first column is an event id, without it, by event."""
    grouped: dict[int, list[tuple]] = {}
    for event_id, *values in connection.execute(query):
        grouped.setdefault(event_id, []).append(tuple(map(_iso, values)))
    return grouped


def _grouped(connection: Connection, column, ids: list[int], *conditions) -> dict[int, list[str]]:
    table = column.table
    grouped: dict[int, list[str]] = {}
    query = select(table.c.event_id, column).where(table.c.event_id.in_(ids), *conditions)
    for event_id, value in connection.execute(query):
        grouped.setdefault(event_id, []).append(value)
    return grouped


_EVENT_FIELDS = [event.c[name] for name in EVENT_FIELD_NAMES]


_ERA_FIELD_NAMES = ["name", "description", "start_date", "date_precision", "end_date", "end_precision", "last_date"]


def _era_row(record: EraRecord) -> dict:
    start, precision = record.start
    end, end_precision = record.end
    return {
        "name": record.name,
        "description": record.description,
        "start_date": start,
        "date_precision": precision.value,
        "end_date": end,
        "end_precision": end_precision.value,
        "last_date": record.last_date,
    }


def _upsert_eras(connection: Connection, records: list[EraRecord], counts: Counts) -> None:
    """Eras by slug, with their countries: new ones inserted, changed ones rewritten, the rest left alone."""
    if not records:
        return
    slugs = [record.slug for record in records]
    stored = {
        row.slug: {name: row._mapping[name] for name in _ERA_FIELD_NAMES}
        for row in connection.execute(
            select(era.c.slug, *(era.c[name] for name in _ERA_FIELD_NAMES)).where(era.c.slug.in_(slugs))
        )
    }
    stored_countries: dict[str, set[str]] = {}
    for slug, code in connection.execute(
        select(era_country.c.era_slug, era_country.c.country_code).where(era_country.c.era_slug.in_(slugs))
    ):
        stored_countries.setdefault(slug, set()).add(code)
    new, changed = [], []
    for record in records:
        row = _era_row(record)
        if record.slug not in stored:
            new.append((record, row))
        elif stored[record.slug] != row or stored_countries.get(record.slug, set()) != set(record.countries):
            changed.append((record, row))
    if new:
        connection.execute(insert(era), [{"slug": record.slug, **row} for record, row in new])
    for record, row in changed:
        connection.execute(update(era).where(era.c.slug == record.slug).values(**row))
    if changed:
        connection.execute(delete(era_country).where(era_country.c.era_slug.in_([r.slug for r, _ in changed])))
    links = [{"era_slug": r.slug, "country_code": code} for r, _ in new + changed for code in r.countries]
    if links:
        connection.execute(insert(era_country), links)
    counts.created += len(new)
    counts.updated += len(changed)
    counts.unchanged += len(records) - len(new) - len(changed)
