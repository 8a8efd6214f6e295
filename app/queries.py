"""The one query builder, and the reads every view is made of.

`event_conditions` turns a TimelineFilter into SQL; the timeline page, its fragments, the JSON API
and the exports all select through it. Rows are read with SQLAlchemy Core (no ORM hydration) into
plain dataclasses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, or_, select, tuple_
from sqlmodel import Session

from app.models import Country, Event, EventCountry, EventTopic, Precision, Source, Topic

if TYPE_CHECKING:
    from app.filters import Cursor, PageRequest, TimelineFilter

event = Event.__table__
event_country = EventCountry.__table__
event_topic = EventTopic.__table__
country = Country.__table__
topic = Topic.__table__
source = Source.__table__


@dataclass
class SourceView:
    url: str
    title: str
    publisher: str | None
    published_date: date | None


@dataclass
class EventView:
    id: int
    slug: str
    title: str
    summary: str
    start_date: date
    date_precision: Precision
    end_date: date | None
    end_precision: Precision | None
    location: str | None
    tone: int | None
    importance: int
    created_at: datetime
    updated_at: datetime
    countries: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    topics: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    sources: list[SourceView] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.date_precision = Precision(self.date_precision)
        if self.end_precision is not None:
            self.end_precision = Precision(self.end_precision)


@dataclass
class EventPage:
    items: list[EventView]
    next_cursor: Cursor | None


@dataclass
class Facet:
    key: str
    name: str
    total: int  # events carrying it, in the whole database
    matching: int  # events it would match, given the other filters


@dataclass
class DatasetStats:
    events: int
    topics: int
    first_year: int | None
    last_year: int | None


@dataclass
class Neighbours:
    previous: EventView | None
    next: EventView | None


_EVENT_COLUMNS = [
    event.c.id,
    event.c.slug,
    event.c.title,
    event.c.summary,
    event.c.start_date,
    event.c.date_precision,
    event.c.end_date,
    event.c.end_precision,
    event.c.location,
    event.c.tone,
    event.c.importance,
    event.c.created_at,
    event.c.updated_at,
]


def event_conditions(timeline_filter: TimelineFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses that select a filter's events."""
    conditions: list[ColumnElement[bool]] = []
    # Several countries mean events involving all of them (a bilateral record).
    for code in timeline_filter.countries:
        conditions.append(event.c.id.in_(select(event_country.c.event_id).where(event_country.c.country_code == code)))
    # Several topics mean events on any of them.
    if timeline_filter.topics:
        conditions.append(
            event.c.id.in_(select(event_topic.c.event_id).where(event_topic.c.topic_slug.in_(timeline_filter.topics)))
        )
    # An event counts when the period it covers overlaps the range.
    if timeline_filter.date_from:
        conditions.append(event.c.last_date >= timeline_filter.date_from)
    if timeline_filter.date_to:
        conditions.append(event.c.start_date <= timeline_filter.date_to)
    for word in timeline_filter.words:
        pattern = "%" + _escape_like(word) + "%"
        conditions.append(or_(event.c.title.ilike(pattern, escape="\\"), event.c.summary.ilike(pattern, escape="\\")))
    if timeline_filter.importance is not None:
        conditions.append(event.c.importance <= timeline_filter.importance)
    return conditions


def list_events(session: Session, timeline_filter: TimelineFilter, page: PageRequest) -> EventPage:
    """One keyset page of the filter's events, ordered by (start_date, id)."""
    from app.filters import Cursor

    descending = timeline_filter.order == "desc"
    statement = select(*_EVENT_COLUMNS).where(*event_conditions(timeline_filter))
    if page.after is not None:
        position = tuple_(event.c.start_date, event.c.id)
        mark = tuple_(page.after.start_date, page.after.event_id)
        statement = statement.where(position < mark if descending else position > mark)
    if descending:
        statement = statement.order_by(event.c.start_date.desc(), event.c.id.desc())
    else:
        statement = statement.order_by(event.c.start_date, event.c.id)
    rows = session.execute(statement.limit(page.size + 1)).all()
    items = _with_relations(session, [EventView(**row._mapping) for row in rows[: page.size]])
    next_cursor = None
    if len(rows) > page.size:
        last = items[-1]
        next_cursor = Cursor(last.start_date, last.id)
    return EventPage(items, next_cursor)


def iter_events(session: Session, timeline_filter: TimelineFilter, batch_size: int = 500):
    """Every event of the filter in order, read page by page so memory stays bounded."""
    from app.filters import PageRequest

    after = None
    while True:
        page = list_events(session, timeline_filter, PageRequest(after, batch_size))
        yield from page.items
        if page.next_cursor is None:
            return
        after = page.next_cursor


def count_events(session: Session, timeline_filter: TimelineFilter) -> int:
    statement = select(func.count()).select_from(event).where(*event_conditions(timeline_filter))
    return session.execute(statement).scalar_one()


def country_facets(session: Session, timeline_filter: TimelineFilter) -> list[Facet]:
    """Countries that have events, most frequent first, each with the events ticking it would match.

    Countries combine with AND, so ticking one narrows the current selection: its count is taken
    with the current countries kept.
    """
    totals = session.execute(
        select(country.c.code, country.c.name, func.count())
        .join(event_country, event_country.c.country_code == country.c.code)
        .group_by(country.c.code, country.c.name)
        .order_by(func.count().desc(), country.c.name)
    ).all()
    matching = _grouped_counts(session, event_country.c.country_code, timeline_filter)
    return [Facet(code, name, total, matching.get(code, 0)) for code, name, total in totals]


def topic_facets(session: Session, timeline_filter: TimelineFilter) -> list[Facet]:
    """Topics that have events, most frequent first, each with the events it matches.

    Topics combine with OR, so a topic's count is taken with the topic filter left out.
    """
    totals = session.execute(
        select(topic.c.slug, topic.c.name, func.count())
        .join(event_topic, event_topic.c.topic_slug == topic.c.slug)
        .group_by(topic.c.slug, topic.c.name)
        .order_by(func.count().desc(), topic.c.name)
    ).all()
    matching = _grouped_counts(session, event_topic.c.topic_slug, timeline_filter.replace(topics=()))
    return [Facet(slug, name, total, matching.get(slug, 0)) for slug, name, total in totals]


def _grouped_counts(session: Session, key_column, timeline_filter: TimelineFilter) -> dict[str, int]:
    link = key_column.table
    statement = select(key_column, func.count()).group_by(key_column)
    conditions = event_conditions(timeline_filter)
    if conditions:
        statement = statement.where(link.c.event_id.in_(select(event.c.id).where(*conditions)))
    return {key: count for key, count in session.execute(statement)}


def country_counts(session: Session) -> list[tuple[str, str, int]]:
    """Every country with its number of events (zero included), most events first."""
    count = func.count(event_country.c.event_id)
    statement = (
        select(country.c.code, country.c.name, count)
        .outerjoin(event_country, event_country.c.country_code == country.c.code)
        .group_by(country.c.code, country.c.name)
        .order_by(count.desc(), country.c.code)
    )
    return [tuple(row) for row in session.execute(statement).all()]


def topic_counts(session: Session) -> list[tuple[str, str, str, int]]:
    """Every topic with its description and number of events, most events first."""
    count = func.count(event_topic.c.event_id)
    statement = (
        select(topic.c.slug, topic.c.name, topic.c.description, count)
        .outerjoin(event_topic, event_topic.c.topic_slug == topic.c.slug)
        .group_by(topic.c.slug, topic.c.name, topic.c.description)
        .order_by(count.desc(), topic.c.slug)
    )
    return [tuple(row) for row in session.execute(statement).all()]


def get_event(session: Session, slug: str) -> EventView | None:
    row = session.execute(select(*_EVENT_COLUMNS).where(event.c.slug == slug)).first()
    if row is None:
        return None
    return _with_relations(session, [EventView(**row._mapping)])[0]


def neighbours(session: Session, current: EventView) -> Neighbours:
    """The events just before and after this one in time, over the whole timeline."""
    position = tuple_(event.c.start_date, event.c.id)
    mark = tuple_(current.start_date, current.id)
    before = session.execute(
        select(*_EVENT_COLUMNS).where(position < mark).order_by(event.c.start_date.desc(), event.c.id.desc()).limit(1)
    ).first()
    after = session.execute(
        select(*_EVENT_COLUMNS).where(position > mark).order_by(event.c.start_date, event.c.id).limit(1)
    ).first()
    return Neighbours(EventView(**before._mapping) if before else None, EventView(**after._mapping) if after else None)


def dataset_stats(session: Session) -> DatasetStats:
    events, first, last = session.execute(
        select(func.count(), func.min(event.c.start_date), func.max(event.c.start_date))
    ).one()
    topics = session.execute(select(func.count(func.distinct(event_topic.c.topic_slug)))).scalar_one()
    return DatasetStats(events, topics, first.year if first else None, last.year if last else None)


def describe_filter(session: Session, timeline_filter: TimelineFilter) -> str:
    """The filter in words, for feed and calendar titles: 'India and China · Border · from 2020'."""
    parts = []
    if timeline_filter.countries:
        statement = select(country.c.code, country.c.name).where(country.c.code.in_(timeline_filter.countries))
        names = {code: name for code, name in session.execute(statement)}
        parts.append(" and ".join(names.get(code, code) for code in timeline_filter.countries))
    if timeline_filter.topics:
        statement = select(topic.c.slug, topic.c.name).where(topic.c.slug.in_(timeline_filter.topics))
        names = {slug: name for slug, name in session.execute(statement)}
        parts.append(" or ".join(names.get(slug, slug) for slug in timeline_filter.topics))
    if timeline_filter.from_text and timeline_filter.to_text:
        parts.append(f"{timeline_filter.from_text} to {timeline_filter.to_text}")
    elif timeline_filter.from_text:
        parts.append(f"from {timeline_filter.from_text}")
    elif timeline_filter.to_text:
        parts.append(f"until {timeline_filter.to_text}")
    if timeline_filter.q:
        parts.append(f"“{timeline_filter.q}”")
    if timeline_filter.importance == 1:
        parts.append("key events")
    elif timeline_filter.importance == 2:
        parts.append("key and notable events")
    return " · ".join(parts) or "all events"


def existing_country_codes(session: Session, codes: list[str]) -> set[str]:
    if not codes:
        return set()
    return set(session.execute(select(country.c.code).where(country.c.code.in_(codes))).scalars())


def existing_topic_slugs(session: Session, slugs: list[str]) -> set[str]:
    if not slugs:
        return set()
    return set(session.execute(select(topic.c.slug).where(topic.c.slug.in_(slugs))).scalars())


def _with_relations(session: Session, items: list[EventView]) -> list[EventView]:
    """Attach countries, topics and sources with one query each."""
    if not items:
        return items
    by_id = {item.id: item for item in items}
    ids = list(by_id)
    countries = session.execute(
        select(event_country.c.event_id, country.c.code, country.c.name)
        .join(country, country.c.code == event_country.c.country_code)
        .where(event_country.c.event_id.in_(ids))
        .order_by(event_country.c.event_id, country.c.name)
    ).all()
    for event_id, code, name in countries:
        by_id[event_id].countries.append((code, name))
    topics = session.execute(
        select(event_topic.c.event_id, topic.c.slug, topic.c.name)
        .join(topic, topic.c.slug == event_topic.c.topic_slug)
        .where(event_topic.c.event_id.in_(ids))
        .order_by(event_topic.c.event_id, topic.c.name)
    ).all()
    for event_id, slug, name in topics:
        by_id[event_id].topics.append((slug, name))
    sources: dict[int, list[SourceView]] = defaultdict(list)
    for row in session.execute(
        select(source.c.event_id, source.c.url, source.c.title, source.c.publisher, source.c.published_date)
        .where(source.c.event_id.in_(ids))
        .order_by(source.c.event_id, source.c.position)
    ).all():
        sources[row.event_id].append(SourceView(row.url, row.title, row.publisher, row.published_date))
    for event_id, item_sources in sources.items():
        by_id[event_id].sources = item_sources
    return items


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
