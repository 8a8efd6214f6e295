"""Events, compared with what is stored: new ones inserted, changed ones rewritten with a revision,
the rest left alone."""

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete
from sqlalchemy.engine import Connection

from app.ingest.bulk import insert_rows, timestamp, update_rows
from app.ingest.links import PendingLinks, ids_by_slug
from app.ingest.report import Counts
from app.ingest.revisions import FieldChange, record_revisions
from app.ingest.rows import EVENT_FIELD_NAMES, SOURCE_COLUMNS, STATEMENT_COLUMNS, PreparedEvent
from app.ingest.snapshots import event_fields, stored_snapshots
from app.models import CountryRole, Event, EventCountry, EventLink, EventTopic, Source, Statement, utc_now

event = Event.__table__
event_country = EventCountry.__table__
event_topic = EventTopic.__table__
event_link = EventLink.__table__
source = Source.__table__
statement = Statement.__table__

PARTY = CountryRole.party.value
CONCERNS = CountryRole.concerns.value


class _Change(NamedTuple):
    event_id: int
    prepared: PreparedEvent
    fields: list[FieldChange]


def upsert_events(
    connection: Connection, events: list[PreparedEvent], counts: Counts, links: PendingLinks, compare: bool
) -> list[int]:
    """Write one chunk of events, and give the ids of those written (new or changed); `compare=False`
    when the table was empty, so every event is new."""
    if not events:
        return []
    stored = stored_snapshots(connection, [e.slug for e in events]) if compare else {}
    now = timestamp(connection, utc_now())
    new = [prepared for prepared in events if prepared.slug not in stored]
    changes = [
        change
        for prepared in events
        if prepared.slug in stored and (change := _change(prepared, *stored[prepared.slug]))
    ]
    new_ids = _insert_new(connection, new, now, links)
    _rewrite_changed(connection, changes, now, links)
    counts.add(len(events), created=len(new), updated=len(changes))
    return new_ids + [change.event_id for change in changes]


def _change(prepared: PreparedEvent, event_id: int, old: dict[str, object]) -> _Change | None:
    """How a stored event differs from the file's, or None if it does not."""
    wanted = event_fields(
        prepared.columns(),
        prepared.countries,
        # A format that cannot carry concerns, links or statements leaves them as they are.
        old["concerns"] if prepared.concerns is None else prepared.concerns,
        prepared.topics,
        prepared.sources,
        old["links"] if prepared.links is None else prepared.links,
        old["statements"] if prepared.statements is None else prepared.statements,
    )
    if wanted == old:
        return None
    return _Change(event_id, prepared, [(name, old[name], new) for name, new in wanted.items() if old[name] != new])


def _insert_new(
    connection: Connection, new: list[PreparedEvent], now: datetime | str, links: PendingLinks
) -> list[int]:
    if not new:
        return []
    insert_rows(
        connection,
        event,
        ["slug", *EVENT_FIELD_NAMES, "statement_text", "created_at", "updated_at"],
        [(e.slug, *e.values, e.statement_text, now, now) for e in new],
    )
    new_ids = ids_by_slug(connection, {e.slug for e in new})
    insert_relations(connection, [(new_ids[e.slug], e) for e in new])
    _index_for_search(connection, list(new_ids.values()))
    for e in new:
        links.write_later(new_ids[e.slug], e.links)
    return list(new_ids.values())


def _rewrite_changed(connection: Connection, changes: list[_Change], now: datetime | str, links: PendingLinks) -> None:
    if not changes:
        return
    update_rows(
        connection,
        event,
        [*EVENT_FIELD_NAMES, "statement_text", "updated_at"],
        [
            (*c.prepared.values, c.prepared.statement_text, now, c.event_id)
            for c in changes
            if c.prepared.statements is not None
        ],
    )
    # A format that cannot carry statements leaves their search text as it is.
    update_rows(
        connection,
        event,
        [*EVENT_FIELD_NAMES, "updated_at"],
        [(*c.prepared.values, now, c.event_id) for c in changes if c.prepared.statements is None],
    )
    _delete_relations(connection, changes)
    for change in changes:
        links.write_later(change.event_id, change.prepared.links)
    insert_relations(connection, [(change.event_id, change.prepared) for change in changes])
    record_revisions(connection, [(change.event_id, change.fields) for change in changes], now)


def _delete_relations(connection: Connection, changes: list[_Change]) -> None:
    """The rows insert_relations writes again; concerns, statements and links only where the format gives them."""
    changed_ids = [change.event_id for change in changes]
    reconcerned = [change.event_id for change in changes if change.prepared.concerns is not None]
    restated = [change.event_id for change in changes if change.prepared.statements is not None]
    relinked = [change.event_id for change in changes if change.prepared.links is not None]
    for table in (event_topic, source):
        connection.execute(delete(table).where(table.c.event_id.in_(changed_ids)))
    connection.execute(
        delete(event_country).where(event_country.c.event_id.in_(changed_ids), event_country.c.role == PARTY)
    )
    connection.execute(
        delete(event_country).where(event_country.c.event_id.in_(reconcerned), event_country.c.role == CONCERNS)
    )
    connection.execute(delete(statement).where(statement.c.event_id.in_(restated)))
    connection.execute(delete(event_link).where(event_link.c.event_id.in_(relinked)))


def insert_relations(connection: Connection, events: list[tuple[int, PreparedEvent]]) -> None:
    """The countries, topics, sources and statements of events (by id); links wait (see PendingLinks)."""
    parties = [(i, code, PARTY) for i, e in events for code in e.countries]
    concerns = [(i, code, CONCERNS) for i, e in events for code in e.concerns or ()]
    insert_rows(connection, event_country, ["event_id", "country_code", "role"], parties + concerns)
    insert_rows(
        connection, event_topic, ["event_id", "topic_slug"], [(i, slug) for i, e in events for slug in e.topics]
    )
    insert_rows(connection, source, ["event_id", "position", *SOURCE_COLUMNS], _numbered(events, "sources"))
    insert_rows(connection, statement, ["event_id", "position", *STATEMENT_COLUMNS], _numbered(events, "statements"))


def _numbered(events: list[tuple[int, PreparedEvent]], name: str) -> list[tuple]:
    """The rows of one of the events' lists (sources, statements), each after its event id and position."""
    return [(i, position, *row) for i, e in events for position, row in enumerate(getattr(e, name) or ())]


def _index_for_search(connection: Connection, event_ids: list[int]) -> None:
    """Add new events to SQLite's full-text index in one statement (see migration 0003)."""
    if connection.dialect.name == "sqlite" and event_ids:
        placeholders = ", ".join("?" * len(event_ids))
        connection.exec_driver_sql(
            "INSERT INTO event_fts(rowid, title, summary, statement_text) "
            f"SELECT id, title, summary, statement_text FROM event WHERE id IN ({placeholders})",
            tuple(event_ids),
        )
