"""read → validate → check references → upsert in one transaction → report."""

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from app.ingest.readers import READERS, RawItem, ReaderOptions, ReadError
from app.ingest.records import CountryRecord, EventRecord, TopicRecord
from app.models import Country, Event, EventCountry, EventTopic, Source, Topic, utc_now

RECORD_TYPES: dict[str, type[BaseModel]] = {
    "country": CountryRecord,
    "topic": TopicRecord,
    "event": EventRecord,
}
KEY_FIELD = {"country": "code", "topic": "slug", "event": "slug"}
CHUNK = 500

event = Event.__table__
event_country = EventCountry.__table__
event_topic = EventTopic.__table__
country = Country.__table__
topic = Topic.__table__
source = Source.__table__


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
    """Validate every file, then write all of it in one transaction, or nothing."""
    started = time.perf_counter()
    files = find_files(paths)
    options = replace(options or ReaderOptions(), topics_by_name=_topic_names(engine))
    raw_items, errors = _read_all(files, options)
    records, validation_errors = _validate(raw_items)
    errors += validation_errors
    report = IngestReport([str(f) for f in files], dry_run=dry_run)
    # References are checked in the transaction that writes, so they cannot change in between.
    with engine.connect() as connection, connection.begin() as transaction:
        errors += _check_references(connection, records)
        if errors:
            raise IngestFailed(errors)
        _upsert_countries(connection, [r for r, _ in records["country"]], report.countries)
        _upsert_topics(connection, [r for r, _ in records["topic"]], report.topics)
        _upsert_events(connection, [r for r, _ in records["event"]], report.events)
        if dry_run:
            transaction.rollback()
    report.seconds = time.perf_counter() - started
    return report


def _topic_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return {name.casefold(): slug for slug, name in connection.execute(select(topic.c.slug, topic.c.name))}


def _read_all(files: list[Path], options: ReaderOptions) -> tuple[list[RawItem], list[str]]:
    items: list[RawItem] = []
    errors: list[str] = []
    for path in files:
        try:
            items += READERS[path.suffix.lower()](path, options)
        except ReadError as error:
            errors.append(str(error))
    return items, errors


def _label(item: RawItem) -> str:
    key = item.data.get(KEY_FIELD[item.kind]) if isinstance(item.data, dict) else None
    name = f" {key!r}" if isinstance(key, str | int) and not isinstance(key, bool) else ""
    return f"{item.path}: {item.place()}{name}"


def _validate(items: list[RawItem]) -> tuple[dict[str, list[tuple[BaseModel, RawItem]]], list[str]]:
    records: dict[str, list[tuple[BaseModel, RawItem]]] = {kind: [] for kind in RECORD_TYPES}
    errors: list[str] = []
    first_seen: dict[tuple[str, str], RawItem] = {}
    for item in items:
        if not isinstance(item.data, dict):
            errors.append(f"{_label(item)}: expected a mapping of fields, got {type(item.data).__name__}")
            continue
        try:
            record = RECORD_TYPES[item.kind].model_validate(item.data)
        except ValidationError as error:
            errors += [f"{_label(item)}: {_describe(item, detail)}" for detail in error.errors()]
            continue
        key = getattr(record, KEY_FIELD[item.kind])
        earlier = first_seen.setdefault((item.kind, key), item)
        if earlier is not item:
            errors.append(
                f"{_label(item)}: {KEY_FIELD[item.kind]}: {key!r} is already used by "
                f"{item.kind} #{earlier.position} in {earlier.path}"
            )
            continue
        records[item.kind].append((record, item))
    return records, errors


def _describe(item: RawItem, detail: dict) -> str:
    """One Pydantic error as 'field: what is wrong', with the offending value where it helps."""
    parts = [str(part + 1) if isinstance(part, int) else str(part) for part in detail["loc"]]
    path = ".".join([item.field_name(parts[0]), *parts[1:]]) if parts else "item"
    message = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "missing":
        return f"{path}: is required"
    if detail["type"] == "extra_forbidden":
        return f"{path}: is not a known field"
    if detail["type"] != "value_error" and not isinstance(detail.get("input"), dict | list):
        return f"{path}: {str(detail.get('input'))[:60]!r}: {message}"
    return f"{path}: {message}"


def _check_references(connection: Connection, records: dict) -> list[str]:
    """Countries and topics must exist in the database or in this run's files."""
    known_countries = {r.code for r, _ in records["country"]}
    known_topics = {r.slug for r, _ in records["topic"]}
    events = records["event"]
    wanted_countries = {code for r, _ in events for code in r.countries} - known_countries
    wanted_topics = {slug for r, _ in events for slug in r.topics} - known_topics
    known_countries |= _existing(connection, country.c.code, wanted_countries)
    known_topics |= _existing(connection, topic.c.slug, wanted_topics)
    errors = []
    for record, item in events:
        for position, code in enumerate(record.countries, start=1):
            if code not in known_countries:
                field = item.field_name("countries")
                errors.append(f"{_label(item)}: {field}.{position}: unknown country code {code!r}")
        for position, slug in enumerate(record.topics, start=1):
            if slug not in known_topics:
                errors.append(f"{_label(item)}: {item.field_name('topics')}.{position}: unknown topic {slug!r}")
    return errors


def _existing(connection: Connection, column, keys: Iterable[str]) -> set[str]:
    found: set[str] = set()
    keys = list(keys)
    for start in range(0, len(keys), CHUNK):
        found |= set(connection.execute(select(column).where(column.in_(keys[start : start + CHUNK]))).scalars())
    return found


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


def _upsert_events(connection: Connection, records: list[EventRecord], counts: Counts) -> None:
    for start in range(0, len(records), CHUNK):
        _upsert_event_chunk(connection, records[start : start + CHUNK], counts)


def _upsert_event_chunk(connection: Connection, records: list[EventRecord], counts: Counts) -> None:
    slugs = [r.slug for r in records]
    stored = _stored_snapshots(connection, slugs)
    now = utc_now()
    new, changed = [], []
    for record in records:
        row = _event_row(record)
        if record.slug not in stored:
            new.append(record)
            continue
        event_id, snapshot = stored[record.slug]
        if snapshot != _snapshot(row, record.countries, record.topics, _source_rows(record)):
            changed.append((event_id, record))
    if new:
        connection.execute(
            insert(event),
            [{"slug": r.slug, **_event_row(r), "created_at": now, "updated_at": now} for r in new],
        )
        new_ids = {
            slug: event_id
            for slug, event_id in connection.execute(
                select(event.c.slug, event.c.id).where(event.c.slug.in_([r.slug for r in new]))
            )
        }
        _insert_relations(connection, [(new_ids[r.slug], r) for r in new])
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
    countries = [{"event_id": i, "country_code": code} for i, r in events for code in r.countries]
    topics = [{"event_id": i, "topic_slug": slug} for i, r in events for slug in r.topics]
    sources = [
        {
            "event_id": i,
            "position": position,
            "url": s.url,
            "title": s.title,
            "publisher": s.publisher,
            "published_date": s.published,
        }
        for i, r in events
        for position, s in enumerate(r.sources)
    ]
    for table, rows in ((event_country, countries), (event_topic, topics), (source, sources)):
        if rows:
            connection.execute(insert(table), rows)


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


_EVENT_FIELDS = [
    event.c[name]
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
