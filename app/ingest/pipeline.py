"""read → validate → check references → upsert in one transaction → report."""

import gc
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ValidationError
from sqlalchemy import Date, DateTime, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from app.ingest.readers import READERS, RawItem, ReaderOptions, ReadError
from app.ingest.records import PATTERN_MESSAGES, CountryRecord, EventRecord, TopicRecord
from app.models import Country, DataVersion, Event, EventCountry, EventTopic, Source, Topic, utc_now

RECORD_TYPES: dict[str, type[BaseModel]] = {
    "country": CountryRecord,
    "topic": TopicRecord,
    "event": EventRecord,
}
KEY_FIELD = {"country": "code", "topic": "slug", "event": "slug"}
CHUNK = 500
log = logging.getLogger("timeline.ingest")

event = Event.__table__
event_country = EventCountry.__table__
event_topic = EventTopic.__table__
country = Country.__table__
topic = Topic.__table__
source = Source.__table__
data_version = DataVersion.__table__


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
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(counts.created or counts.updated for counts in (self.events, self.countries, self.topics))

    def lines(self) -> list[str]:
        lines = [
            f"events: {self.events}",
            f"countries: {self.countries}",
            f"topics: {self.topics}",
            f"{len(self.files)} file(s) in {self.seconds:.2f} s",
        ]
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return lines


def find_files(paths: Sequence[Path]) -> list[Path]:
    """The readable files named, folders expanded to their files in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in READERS)
        elif not path.exists():
            raise IngestFailed([f"{path}: no such file or folder"])
        elif path.suffix.lower() not in READERS:
            raise IngestFailed([f"{path}: unknown file type; expected one of {', '.join(sorted(READERS))}"])
        else:
            files.append(path)
    if not files:
        raise IngestFailed([f"{', '.join(map(str, paths))}: no seed files found"])
    return files


def ingest(
    engine: Engine, paths: Sequence[Path], *, dry_run: bool = False, options: ReaderOptions | None = None
) -> IngestReport:
    """Validate every item and write the valid ones in one transaction, committed only if nothing failed.

    Events stream through in chunks, so a file of a million events never sits in memory whole; the
    transaction is what makes the run all or nothing.
    """
    started = time.perf_counter()
    # A run allocates millions of short-lived objects and leaves no cycles; collections would only
    # rescan the documents held in memory, over and over.
    gc.disable()
    try:
        return _ingest(engine, paths, dry_run, options, started)
    finally:
        gc.enable()


def _ingest(
    engine: Engine, paths: Sequence[Path], dry_run: bool, options: ReaderOptions | None, started: float
) -> IngestReport:
    files = find_files(paths)
    options = replace(options or ReaderOptions(), topics_by_name=_topic_names(engine))
    report = IngestReport([str(f) for f in files], dry_run=dry_run)
    run = _Run()
    with engine.connect() as connection, connection.begin() as transaction:
        documents = []
        for path in files:
            try:
                documents.append(READERS[path.suffix.lower()](path, options))
            except ReadError as error:
                run.errors.append(str(error))
        # Definitions first, whichever file holds them, so that events may name any of them.
        definitions = [item for document in documents for item in document.definitions]
        records = run.validate(definitions)
        _upsert_countries(connection, [r for r, item in records if item.kind == "country"], report.countries)
        _upsert_topics(connection, [r for r, item in records if item.kind == "topic"], report.topics)
        known = _Known(
            countries=set(connection.execute(select(country.c.code)).scalars()),
            topics=set(connection.execute(select(topic.c.slug)).scalars()),
        )
        for document in documents:
            try:
                for chunk in _chunks(document.events, CHUNK):
                    valid = run.check_references(run.validate(chunk), known)
                    if not run.errors:
                        _upsert_event_chunk(connection, [record for record, _ in valid], report.events)
            except ReadError as error:
                run.errors.append(str(error))
        if run.errors:
            transaction.rollback()
            log.warning("ingest failed", extra={"files": ",".join(report.files), "errors": len(run.errors)})
            raise IngestFailed(run.errors)
        if dry_run:
            transaction.rollback()
        elif report.changed:
            _bump_data_version(connection)
    report.seconds = time.perf_counter() - started
    log.info(
        "ingest",
        extra={
            "files": ",".join(report.files),
            "events": str(report.events),
            "countries": str(report.countries),
            "topics": str(report.topics),
            "dry_run": dry_run,
            "seconds": round(report.seconds, 3),
        },
    )
    return report


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


def _topic_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return {name.casefold(): slug for slug, name in connection.execute(select(topic.c.slug, topic.c.name))}


def _chunks(items: Iterable[RawItem], size: int) -> Iterator[list[RawItem]]:
    chunk: list[RawItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _label(item: RawItem) -> str:
    key = item.data.get(KEY_FIELD[item.kind]) if isinstance(item.data, dict) else None
    name = f" {key!r}" if isinstance(key, str | int) and not isinstance(key, bool) else ""
    return f"{item.path}: {item.place()}{name}"


@dataclass
class _Known:
    countries: set[str]
    topics: set[str]


@dataclass
class _Run:
    """What one ingest has seen so far: its errors, and where each key was first used."""

    errors: list[str] = field(default_factory=list)
    first_seen: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    def validate(self, items: list[RawItem]) -> list[tuple[BaseModel, RawItem]]:
        records = []
        for item in items:
            if not isinstance(item.data, dict):
                self.errors.append(f"{_label(item)}: expected a mapping of fields, got {type(item.data).__name__}")
                continue
            try:
                record = RECORD_TYPES[item.kind].model_validate(item.data)
            except ValidationError as error:
                self.errors += [f"{_label(item)}: {_describe(item, detail)}" for detail in error.errors()]
                continue
            key = getattr(record, KEY_FIELD[item.kind])
            earlier = self.first_seen.setdefault((item.kind, key), (item.path, item.position))
            if earlier != (item.path, item.position):
                self.errors.append(
                    f"{_label(item)}: {KEY_FIELD[item.kind]}: {key!r} is already used by "
                    f"{item.kind} #{earlier[1]} in {earlier[0]}"
                )
                continue
            records.append((record, item))
        return records

    def check_references(self, records: list[tuple[EventRecord, RawItem]], known: _Known) -> list:
        """The records whose countries and topics all exist; errors for the others."""
        valid = []
        for record, item in records:
            problems = [
                f"{_label(item)}: {item.field_name('countries')}.{position}: unknown country code {code!r}"
                for position, code in enumerate(record.countries, start=1)
                if code not in known.countries
            ] + [
                f"{_label(item)}: {item.field_name('topics')}.{position}: unknown topic {slug!r}"
                for position, slug in enumerate(record.topics, start=1)
                if slug not in known.topics
            ]
            self.errors += problems
            if not problems:
                valid.append((record, item))
        return valid


def _describe(item: RawItem, detail: dict) -> str:
    """One Pydantic error as 'field: what is wrong', with the offending value where it helps."""
    parts = [str(part + 1) if isinstance(part, int) else str(part) for part in detail["loc"]]
    path = ".".join([item.field_name(parts[0]), *parts[1:]]) if parts else "item"
    message = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "missing":
        return f"{path}: is required"
    if detail["type"] == "extra_forbidden":
        return f"{path}: is not a known field"
    if detail["type"] == "string_pattern_mismatch" and detail["ctx"]["pattern"] in PATTERN_MESSAGES:
        return f"{path}: {str(detail['input'])[:60]!r} {PATTERN_MESSAGES[detail['ctx']['pattern']]}"
    if detail["type"] != "value_error" and not isinstance(detail.get("input"), dict | list):
        return f"{path}: {str(detail.get('input'))[:60]!r}: {message}"
    return f"{path}: {message}"


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


def _event_row(record: EventRecord) -> dict:
    start, precision = record.start
    end, end_precision = record.end
    return {
        "title": record.title,
        "summary": record.summary,
        "start_date": start,
        "date_precision": precision.value,
        "end_date": end,
        "end_precision": end_precision.value if end_precision else None,
        "last_date": record.last_date,
        "location": record.location,
        "tone": record.tone,
        "importance": record.importance,
    }


def _source_rows(record: EventRecord) -> list[tuple]:
    return [(s.url, s.title, s.publisher, s.published) for s in record.sources]


def _snapshot(row: dict, countries: Iterable[str], topics: Iterable[str], sources: list[tuple]) -> tuple:
    """Everything ingest writes about one event, comparable between a record and the database."""
    return (tuple(sorted(row.items())), tuple(sorted(countries)), tuple(sorted(topics)), tuple(sources))


def _upsert_event_chunk(connection: Connection, records: list[EventRecord], counts: Counts) -> None:
    if not records:
        return
    stored = _stored_snapshots(connection, [r.slug for r in records])
    now = utc_now()
    new, changed = [], []
    for record in records:
        row = _event_row(record)
        if record.slug not in stored:
            new.append((record, row))
            continue
        event_id, snapshot = stored[record.slug]
        if snapshot != _snapshot(row, record.countries, record.topics, _source_rows(record)):
            changed.append((event_id, record))
    if new:
        columns = ["slug", *_EVENT_FIELD_NAMES, "created_at", "updated_at"]
        _bulk_insert(
            connection,
            event,
            columns,
            [(r.slug, *(row[name] for name in _EVENT_FIELD_NAMES), now, now) for r, row in new],
        )
        new_ids = {
            slug: event_id
            for slug, event_id in connection.execute(
                select(event.c.slug, event.c.id).where(event.c.slug.in_([r.slug for r, _ in new]))
            )
        }
        _insert_relations(connection, [(new_ids[r.slug], r) for r, _ in new])
        _index_for_search(connection, list(new_ids.values()))
    for event_id, record in changed:
        connection.execute(update(event).where(event.c.id == event_id).values(**_event_row(record), updated_at=now))
    if changed:
        changed_ids = [event_id for event_id, _ in changed]
        for table in (event_country, event_topic, source):
            connection.execute(delete(table).where(table.c.event_id.in_(changed_ids)))
        _insert_relations(connection, changed)
    counts.created += len(new)
    counts.updated += len(changed)
    counts.unchanged += len(records) - len(new) - len(changed)


def _insert_relations(connection: Connection, events: list[tuple[int, EventRecord]]) -> None:
    _bulk_insert(
        connection, event_country, ["event_id", "country_code"], [(i, code) for i, r in events for code in r.countries]
    )
    _bulk_insert(
        connection, event_topic, ["event_id", "topic_slug"], [(i, slug) for i, r in events for slug in r.topics]
    )
    _bulk_insert(
        connection,
        source,
        ["event_id", "position", "url", "title", "publisher", "published_date"],
        [
            (i, position, s.url, s.title, s.publisher, s.published)
            for i, r in events
            for position, s in enumerate(r.sources)
        ],
    )


def _index_for_search(connection: Connection, event_ids: list[int]) -> None:
    """Add new events to SQLite's full-text index in one statement (see migration 0003)."""
    if connection.dialect.name == "sqlite" and event_ids:
        placeholders = ", ".join("?" * len(event_ids))
        connection.exec_driver_sql(
            "INSERT INTO event_fts(rowid, title, summary) "
            f"SELECT id, title, summary FROM event WHERE id IN ({placeholders})",
            tuple(event_ids),
        )


def _bulk_insert(connection: Connection, table, columns: list[str], rows: list[tuple]) -> None:
    """executemany straight to the driver: Core's per-row parameter processing costs more than SQLite's insert."""
    if not rows:
        return
    placeholder = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([placeholder] * len(columns))})"
    if connection.dialect.name == "sqlite":
        # The text forms SQLAlchemy itself stores for Date and DateTime columns in SQLite.
        dated = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, Date | DateTime)]
        if dated:
            rows = [_sqlite_dates(row, dated) for row in rows]
    connection.exec_driver_sql(statement, rows)


def _sqlite_dates(row: tuple, positions: list[int]) -> tuple:
    values = list(row)
    for i in positions:
        values[i] = _sqlite_date_text(values[i])
    return tuple(values)


@lru_cache(maxsize=65536)
def _sqlite_date_text(value: date | datetime | None) -> str | None:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat() if value is not None else None


def _stored_snapshots(connection: Connection, slugs: list[str]) -> dict[str, tuple[int, tuple]]:
    columns = _EVENT_FIELDS
    rows = connection.execute(select(event.c.id, event.c.slug, *columns).where(event.c.slug.in_(slugs))).all()
    if not rows:
        return {}
    ids = [row.id for row in rows]
    countries = _grouped(connection, event_country.c.country_code, ids)
    topics = _grouped(connection, event_topic.c.topic_slug, ids)
    sources: dict[int, list[tuple]] = {}
    for row in connection.execute(
        select(source.c.event_id, source.c.url, source.c.title, source.c.publisher, source.c.published_date)
        .where(source.c.event_id.in_(ids))
        .order_by(source.c.event_id, source.c.position)
    ):
        sources.setdefault(row.event_id, []).append(tuple(row)[1:])
    return {
        row.slug: (
            row.id,
            _snapshot(
                {c.name: row._mapping[c.name] for c in columns},
                countries.get(row.id, []),
                topics.get(row.id, []),
                sources.get(row.id, []),
            ),
        )
        for row in rows
    }


def _grouped(connection: Connection, column, ids: list[int]) -> dict[int, list[str]]:
    table = column.table
    grouped: dict[int, list[str]] = {}
    for event_id, value in connection.execute(select(table.c.event_id, column).where(table.c.event_id.in_(ids))):
        grouped.setdefault(event_id, []).append(value)
    return grouped


_EVENT_FIELD_NAMES = [
    name
    for name in (
        "title",
        "summary",
        "start_date",
        "date_precision",
        "end_date",
        "end_precision",
        "last_date",
        "location",
        "tone",
        "importance",
    )
]
_EVENT_FIELDS = [event.c[name] for name in _EVENT_FIELD_NAMES]
