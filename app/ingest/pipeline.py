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

from app.dates import partial_iso
from app.ingest.readers import READERS, RawItem, ReaderOptions, ReadError
from app.ingest.records import PATTERN_MESSAGES, CountryRecord, EraRecord, EventRecord, LinkRecord, TopicRecord
from app.models import (
    Country,
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

RECORD_TYPES: dict[str, type[BaseModel]] = {
    "country": CountryRecord,
    "topic": TopicRecord,
    "event": EventRecord,
    "era": EraRecord,
}
KEY_FIELD = {"country": "code", "topic": "slug", "event": "slug", "era": "slug"}
CHUNK = 500
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
    links = _PendingLinks()
    with engine.connect() as connection, connection.begin() as transaction:
        if connection.dialect.name == "sqlite":
            # An ingest touches every index: give this one connection a large page cache (256 MB).
            connection.exec_driver_sql("PRAGMA cache_size=-262144")
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
        # Eras name only countries: they are written once those are known, before the events.
        eras = [item for document in documents for item in document.eras]
        valid_eras = _check_era_countries(run, run.validate(eras), known)
        if not run.errors:
            _upsert_eras(connection, valid_eras, report.eras)
        for document in documents:
            try:
                for chunk in _chunks(document.events, CHUNK):
                    validated = run.validate(chunk)
                    links.check_later(validated)
                    valid = run.check_references(validated, known)
                    if not run.errors:
                        _upsert_event_chunk(connection, [record for record, _ in valid], report.events, links)
            except ReadError as error:
                run.errors.append(str(error))
        # Links may point at events later in the run: they are checked and written once all are in.
        run.errors += links.unknown_targets(connection, run)
        if not run.errors:
            links.write(connection)
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
            "eras": str(report.eras),
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
    else:
        # Without fresh statistics PostgreSQL plans a bilateral filter 40 times slower (seen at 100k events).
        connection.exec_driver_sql("ANALYZE event, event_country, event_topic, source")


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
            problems += [
                f"{_label(item)}: {item.field_name('links')}.{position}.to: an event cannot link to itself"
                for position, link in enumerate(record.links or (), start=1)
                if link.to == record.slug
            ] + [
                f"{_label(item)}: {item.field_name('statements')}.{position}.party_country: "
                f"unknown country code {said.party_country!r}"
                for position, said in enumerate(record.statements or (), start=1)
                if said.party_country and said.party_country not in known.countries
            ]
            self.errors += problems
            if not problems:
                valid.append((record, item))
        return valid


@dataclass
class _PendingLinks:
    """Links wait for the end of the run, because they may point at events that come later in it."""

    # (where the link is: "file: event #N 'slug'", the file's name for the field, position, target slug)
    to_check: list[tuple[str, str, int, str]] = field(default_factory=list)
    to_write: list[tuple[int, list[LinkRecord]]] = field(default_factory=list)

    def check_later(self, records: list[tuple[EventRecord, RawItem]]) -> None:
        for record, item in records:
            for position, link in enumerate(record.links or (), start=1):
                self.to_check.append((_label(item), item.field_name("links"), position, link.to))

    def write_later(self, event_id: int, links: list[LinkRecord]) -> None:
        if links:
            self.to_write.append((event_id, links))

    def unknown_targets(self, connection: Connection, run: "_Run") -> list[str]:
        if not self.to_check:
            return []
        in_run = {key for kind, key in run.first_seen if kind == "event"}
        stored = set(_ids_by_slug(connection, {target for *_, target in self.to_check if target not in in_run}))
        return [
            f"{label}: {name}.{position}.to: unknown event {target!r}"
            for label, name, position, target in self.to_check
            if target not in in_run and target not in stored
        ]

    def write(self, connection: Connection) -> None:
        ids = _ids_by_slug(connection, {link.to for _, links in self.to_write for link in links})
        rows = [
            (event_id, ids[link.to], link.type.value, position)
            for event_id, links in self.to_write
            for position, link in enumerate(links)
        ]
        _bulk_insert(connection, event_link, ["event_id", "target_id", "type", "position"], rows)


def _ids_by_slug(connection: Connection, slugs: set[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    ordered = sorted(slugs)
    for start in range(0, len(ordered), CHUNK):
        statement_ = select(event.c.slug, event.c.id).where(event.c.slug.in_(ordered[start : start + CHUNK]))
        ids.update({slug: event_id for slug, event_id in connection.execute(statement_)})
    return ids


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


def _link_rows(record: EventRecord) -> list[tuple] | None:
    return None if record.links is None else [(link.type.value, link.to) for link in record.links]


def _statement_rows(record: EventRecord) -> list[tuple] | None:
    if record.statements is None:
        return None
    rows = []
    for said in record.statements:
        said_on, precision = said.said_on
        cited = said.source
        rows.append(
            (
                said.party,
                said.party_country,
                said.text,
                said_on,
                precision.value if precision else None,
                cited.url,
                cited.title,
                cited.publisher,
                cited.published,
            )
        )
    return rows


def _statement_text(record: EventRecord) -> str | None:
    """The statements as one text for full-text search, beside the title and summary."""
    return "\n".join(f"{said.party}: {said.text}" for said in record.statements or ()) or None


def _fields(
    row: dict,
    countries: Iterable[str],
    topics: Iterable[str],
    sources: list[tuple],
    links: list[tuple],
    statements: list[tuple],
) -> dict[str, object]:
    """Everything ingest writes about one event, by the seed field it comes from: comparable between
    a record and the database, and what a revision lists."""
    return {
        "title": row["title"],
        "summary": row["summary"],
        "start_date": (row["start_date"], row["date_precision"]),
        "end_date": (row["end_date"], row["end_precision"]),
        "location": row["location"],
        "tone": row["tone"],
        "importance": row["importance"],
        "countries": tuple(sorted(countries)),
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
        return partial_iso(day, Precision(precision)) if day else None
    if name in ("countries", "topics"):
        return ", ".join(value) or None
    if name == "sources":
        return "\n".join(_cited(*row) for row in value) or None
    if name == "links":
        return "\n".join(f"{kind} {slug}" for kind, slug in value) or None
    if name == "statements":
        lines = []
        for party, country_code, text, said_on, precision, *cited in value:
            who = f"{party} [{country_code}]" if country_code else party
            when = f", {partial_iso(said_on, Precision(precision))}" if said_on else ""
            lines.append(f"{who}{when}: {text} — {_cited(*cited)}")
        return "\n".join(lines) or None
    return None if value is None else str(value)


def _cited(url: str, title: str, publisher: str | None, published: date | None) -> str:
    details = ", ".join(part for part in (publisher, published.isoformat() if published else None) if part)
    return f"{title}{f' ({details})' if details else ''} <{url}>"


def _upsert_event_chunk(
    connection: Connection, records: list[EventRecord], counts: Counts, links: _PendingLinks
) -> None:
    if not records:
        return
    stored = _stored_snapshots(connection, [r.slug for r in records])
    now = utc_now()
    new, changed, revisions = [], [], []
    for record in records:
        row = _event_row(record)
        if record.slug not in stored:
            new.append((record, row))
            continue
        event_id, old = stored[record.slug]
        link_rows, statement_rows = _link_rows(record), _statement_rows(record)
        wanted = _fields(
            row,
            record.countries,
            record.topics,
            _source_rows(record),
            # A format that cannot carry links or statements leaves them as they are.
            old["links"] if link_rows is None else link_rows,
            old["statements"] if statement_rows is None else statement_rows,
        )
        if wanted != old:
            changed.append((event_id, record))
            revisions.append((event_id, [(name, old[name], new) for name, new in wanted.items() if old[name] != new]))
    if new:
        columns = ["slug", *_EVENT_FIELD_NAMES, "statement_text", "created_at", "updated_at"]
        _bulk_insert(
            connection,
            event,
            columns,
            [(r.slug, *(row[name] for name in _EVENT_FIELD_NAMES), _statement_text(r), now, now) for r, row in new],
        )
        new_ids = {
            slug: event_id
            for slug, event_id in connection.execute(
                select(event.c.slug, event.c.id).where(event.c.slug.in_([r.slug for r, _ in new]))
            )
        }
        _insert_relations(connection, [(new_ids[r.slug], r) for r, _ in new])
        _index_for_search(connection, list(new_ids.values()))
        for r, _ in new:
            links.write_later(new_ids[r.slug], r.links or [])
    for event_id, record in changed:
        values = _event_row(record)
        if record.statements is not None:
            values["statement_text"] = _statement_text(record)
        connection.execute(update(event).where(event.c.id == event_id).values(**values, updated_at=now))
    if changed:
        changed_ids = [event_id for event_id, _ in changed]
        for table in (event_country, event_topic, source):
            connection.execute(delete(table).where(table.c.event_id.in_(changed_ids)))
        restated = [event_id for event_id, record in changed if record.statements is not None]
        connection.execute(delete(statement).where(statement.c.event_id.in_(restated)))
        relinked = [event_id for event_id, record in changed if record.links is not None]
        connection.execute(delete(event_link).where(event_link.c.event_id.in_(relinked)))
        for event_id, record in changed:
            links.write_later(event_id, record.links or [])
        _insert_relations(connection, changed)
        _record_revisions(connection, revisions, now)
    counts.created += len(new)
    counts.updated += len(changed)
    counts.unchanged += len(records) - len(new) - len(changed)


def _record_revisions(connection: Connection, changes: list[tuple[int, list[tuple]]], now: datetime) -> None:
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
            "source_publisher",
            "source_published_date",
        ],
        [(i, position, *row) for i, r in events for position, row in enumerate(_statement_rows(r) or [])],
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
    sources = _rows_by_event(
        connection,
        select(source.c.event_id, source.c.url, source.c.title, source.c.publisher, source.c.published_date)
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
                {c.name: row._mapping[c.name] for c in columns},
                countries.get(row.id, []),
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
    for row in connection.execute(query):
        grouped.setdefault(row[0], []).append(tuple(row)[1:])
    return grouped


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


def _check_era_countries(run: _Run, records: list[tuple[EraRecord, RawItem]], known: _Known) -> list[EraRecord]:
    """The eras whose countries all exist; an error naming the file, the era and the field for each other."""
    valid = []
    for record, item in records:
        problems = [
            f"{_label(item)}: {item.field_name('countries')}.{position}: unknown country code {code!r}"
            for position, code in enumerate(record.countries, start=1)
            if code not in known.countries
        ]
        run.errors += problems
        if not problems:
            valid.append(record)
    return valid


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
