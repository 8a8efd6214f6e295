"""What ingest compares: an event's fields as a seed file gives them, and as they are stored.

Both sides become the same dict (`event_fields`), so that an unchanged event compares equal and a
changed one lists exactly the fields a revision records.
"""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.engine import Connection

from app.ingest.rows import EVENT_FIELD_NAMES, SOURCE_COLUMNS, STATEMENT_COLUMNS
from app.models import CountryRole, Event, EventCountry, EventLink, EventTopic, Source, Statement

event = Event.__table__
event_country = EventCountry.__table__
event_topic = EventTopic.__table__
event_link = EventLink.__table__
source = Source.__table__
statement = Statement.__table__

_EVENT_COLUMNS = [event.c[name] for name in EVENT_FIELD_NAMES]
_PERIOD_PARTS = ("date_precision", "end_precision", "last_date")

# An event's id and its fields, by slug.
Snapshots = dict[str, tuple[int, dict[str, object]]]


def event_fields(
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
    # A date is compared with its precision; the period's last day follows from the two.
    own = {name: values[name] for name in EVENT_FIELD_NAMES if name not in _PERIOD_PARTS}
    own["start_date"] = (values["start_date"], values["date_precision"])
    own["end_date"] = (values["end_date"], values["end_precision"])
    return {
        **own,
        "countries": tuple(sorted(countries)),
        "concerns": tuple(sorted(concerns)),
        "topics": tuple(sorted(topics)),
        "sources": tuple(sources),
        # The order links are declared in says nothing; the order of statements is the page's.
        "links": tuple(sorted(links)),
        "statements": tuple(statements),
    }


def stored_snapshots(connection: Connection, slugs: list[str]) -> Snapshots:
    """The stored events among these slugs, each with its fields as `event_fields` gives them."""
    rows = connection.execute(select(event.c.id, event.c.slug, *_EVENT_COLUMNS).where(event.c.slug.in_(slugs))).all()
    if not rows:
        return {}
    related = _stored_relations(connection, [row.id for row in rows])
    return {
        row.slug: (
            row.id,
            event_fields(
                {column.name: _iso(row._mapping[column.name]) for column in _EVENT_COLUMNS},
                *(by_event.get(row.id, []) for by_event in related),
            ),
        )
        for row in rows
    }


def _stored_relations(connection: Connection, ids: list[int]) -> list[dict[int, list]]:
    """By event: its countries, concerns, topics, sources, links and statements, in `event_fields`' order."""
    return [
        _grouped(connection, event_country.c.country_code, ids, event_country.c.role == CountryRole.party.value),
        _grouped(connection, event_country.c.country_code, ids, event_country.c.role == CountryRole.concerns.value),
        _grouped(connection, event_topic.c.topic_slug, ids),
        _rows_by_event(connection, _in_order(source, SOURCE_COLUMNS, ids)),
        _rows_by_event(connection, _links_query(ids)),
        _rows_by_event(connection, _in_order(statement, STATEMENT_COLUMNS, ids)),
    ]


def _in_order(table, columns: Iterable[str], ids: list[int]) -> Select:
    """The rows of a table of the events' lists (sources, statements), in each list's order."""
    return (
        select(table.c.event_id, *(table.c[name] for name in columns))
        .where(table.c.event_id.in_(ids))
        .order_by(table.c.event_id, table.c.position)
    )


def _links_query(ids: list[int]) -> Select:
    target = event.alias("target")
    return (
        select(event_link.c.event_id, event_link.c.type, target.c.slug)
        .join(target, target.c.id == event_link.c.target_id)
        .where(event_link.c.event_id.in_(ids))
    )


def _rows_by_event(connection: Connection, query: Select) -> dict[int, list[tuple]]:
    """Rows whose first column is an event id, without it, by event."""
    grouped: dict[int, list[tuple]] = {}
    for event_id, *values in connection.execute(query):
        grouped.setdefault(event_id, []).append(tuple(map(_iso, values)))
    return grouped


def _grouped(connection: Connection, column, ids: list[int], *conditions: ColumnElement) -> dict[int, list[str]]:
    table = column.table
    grouped: dict[int, list[str]] = {}
    query = select(table.c.event_id, column).where(table.c.event_id.in_(ids), *conditions)
    for event_id, value in connection.execute(query):
        grouped.setdefault(event_id, []).append(value)
    return grouped


def _iso(value: object) -> object:
    """Dates read back from the database, as the ISO text checked rows carry."""
    return value.isoformat() if isinstance(value, date) else value
