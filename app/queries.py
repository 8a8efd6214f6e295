"""The one query builder, and the reads every view is made of.

`event_conditions` turns a TimelineFilter into SQL; the timeline page, its fragments, the JSON API
and the exports all select through it. Rows are read with SQLAlchemy Core (no ORM hydration) into
plain dataclasses.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, bindparam, column, exists, func, literal_column, select, table, tuple_
from sqlmodel import Session

from app.models import Country, DataVersion, Event, EventCountry, EventTopic, Precision, Source, Topic

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
_EVENT_FIELD_NAMES = [column.name for column in _EVENT_COLUMNS]
# Each event's countries and topics come with it, as comma-separated keys (names come from Stats).
_EVENT_COLUMNS += [
    select(func.aggregate_strings(event_country.c.country_code, ","))
    .where(event_country.c.event_id == event.c.id)
    .scalar_subquery()
    .label("country_codes"),
    select(func.aggregate_strings(event_topic.c.topic_slug, ","))
    .where(event_topic.c.event_id == event.c.id)
    .scalar_subquery()
    .label("topic_slugs"),
]


@dataclass(frozen=True)
class Stats:
    """What the planner knows about the data at one version: how many events carry each key."""

    version: int
    events: int
    countries: dict[str, int]
    topics: dict[str, int]
    max_span_days: int
    country_names: dict[str, str]
    topic_names: dict[str, str]


_stats_cache: dict[tuple[str, int], Stats] = {}


def data_version(session: Session) -> int:
    return session.execute(select(DataVersion.version)).scalar_one_or_none() or 0


def stats(session: Session) -> Stats:
    """Counts per country and topic, read once per data version (and the version once per session)."""
    if "stats" in session.info:
        return session.info["stats"]
    version_row = session.execute(select(DataVersion.version, DataVersion.max_span_days)).first()
    version, max_span_days = version_row if version_row else (0, 0)
    key = (str(session.get_bind().url), version)
    cached = _stats_cache.get(key)
    if cached is None:
        cached = Stats(
            version=version,
            events=session.execute(select(func.count()).select_from(event)).scalar_one(),
            countries=_key_counts(session, event_country.c.country_code),
            topics=_key_counts(session, event_topic.c.topic_slug),
            max_span_days=max_span_days,
            country_names={code: name for code, name in session.execute(select(country.c.code, country.c.name))},
            topic_names={slug: name for slug, name in session.execute(select(topic.c.slug, topic.c.name))},
        )
        _stats_cache.clear()
        _stats_cache[key] = cached
    session.info["stats"] = cached
    return cached


def _key_counts(session: Session, column) -> dict[str, int]:
    return {key: count for key, count in session.execute(select(column, func.count()).group_by(column))}


def event_conditions(
    timeline_filter: TimelineFilter, dialect: str, max_span_days: int = 0, leave_out: str | None = None
) -> list[ColumnElement[bool]]:
    """The WHERE clauses that select a filter's events.

    Each test is a correlated EXISTS, cheap for one row, so the date index can be walked in order
    and stopped after a page. `leave_out` names the condition whose ids a plan starts from
    (see `driving_ids`): testing it again on every row would be wasted work.
    """
    conditions: list[ColumnElement[bool]] = []
    # Several countries mean events involving all of them (a bilateral record).
    for code in timeline_filter.countries:
        if leave_out != f"country:{code}":
            conditions.append(
                exists().where(event_country.c.event_id == event.c.id, event_country.c.country_code == code)
            )
    # Several topics mean events on any of them.
    if timeline_filter.topics and leave_out != "topics":
        conditions.append(
            exists().where(event_topic.c.event_id == event.c.id, event_topic.c.topic_slug.in_(timeline_filter.topics))
        )
    # An event counts when the period it covers overlaps the range.
    if timeline_filter.date_from:
        conditions.append(event.c.last_date >= timeline_filter.date_from)
        # Redundant with the test above, but it bounds the start dates an index scan must read.
        earliest = timeline_filter.date_from - min(timedelta(days=max_span_days), timeline_filter.date_from - date.min)
        conditions.append(event.c.start_date >= earliest)
    if timeline_filter.date_to:
        conditions.append(event.c.start_date <= timeline_filter.date_to)
    if timeline_filter.terms and leave_out != "text":
        conditions.append(_text_match(timeline_filter.terms, dialect, correlated=True))
    if timeline_filter.importance is not None:
        conditions.append(event.c.importance <= timeline_filter.importance)
    return conditions


def _text_match(terms, dialect: str, correlated: bool):
    """Events whose title or summary hold every term: SQLite FTS5, PostgreSQL tsvector."""
    if dialect == "sqlite":
        expression = " AND ".join(f'"{term.text}"' + ("*" if term.prefix else "") for term in terms)
        fts = table("event_fts", column("rowid"))
        match = literal_column("event_fts").op("MATCH")(bindparam("fts_query", expression))
        if correlated:
            return exists().select_from(fts).where(match, fts.c.rowid == event.c.id)
        return select(fts.c.rowid).where(match)
    expression = " & ".join(" <-> ".join(term.text.lower().split()) + (":*" if term.prefix else "") for term in terms)
    match = literal_column("search_vector").op("@@")(func.to_tsquery("simple", expression))
    return match if correlated else select(event.c.id).where(match)


def driving_ids(session: Session, timeline_filter: TimelineFilter, page_size: int) -> tuple[str, Select] | None:
    """The filter's rarest condition and its ids, when starting from them beats walking the date index.

    Walking reads about page_size / selectivity rows; starting from a set of ids reads and sorts all
    the matches. For a filter matching fewer than about sqrt(3 × page_size × events), the set wins.
    """
    known = stats(session)
    if not known.events:
        return None
    dialect = session.get_bind().dialect.name
    candidates = [
        (
            known.countries.get(code, 0),
            f"country:{code}",
            select(event_country.c.event_id).where(event_country.c.country_code == code),
        )
        for code in timeline_filter.countries
    ]
    if timeline_filter.topics:
        count = sum(known.topics.get(slug, 0) for slug in timeline_filter.topics)
        ids = select(event_topic.c.event_id).where(event_topic.c.topic_slug.in_(timeline_filter.topics))
        candidates.append((count, "topics", ids))
    if timeline_filter.terms:
        count = _text_frequency(session, timeline_filter.terms, dialect, known.events)
        candidates.append((count, "text", _text_match(timeline_filter.terms, dialect, correlated=False)))
    if not candidates:
        return None
    expected = known.events
    for count, _, _ in candidates:
        expected *= min(count, known.events) / known.events
    # A row walked costs about three times a row collected (its EXISTS tests against an index read).
    if expected > (3 * page_size * known.events) ** 0.5:
        return None
    _, name, ids = min(candidates, key=lambda candidate: candidate[0])
    return name, ids


def _text_frequency(session: Session, terms, dialect: str, events: int) -> int:
    """How many events the rarest term is in (an upper bound on the matches)."""
    if dialect != "sqlite":
        return events
    vocab = table("event_fts_vocab", column("term"), column("doc"))
    counts = []
    for term in terms:
        words = term.text.lower().split()
        rarest = []
        for position, word in enumerate(words):
            if term.prefix and position == len(words) - 1:
                condition = vocab.c.term.between(word, word + "\uffff")
            else:
                condition = vocab.c.term == word
            rarest.append(
                session.execute(select(func.coalesce(func.sum(vocab.c.doc), 0)).where(condition)).scalar_one()
            )
        counts.append(min(rarest))
    return min(counts)


def _filtered(session: Session, statement: Select, timeline_filter: TimelineFilter, page_size: int) -> Select:
    """A statement over `event` narrowed to the filter, with the plan chosen for its selectivity."""
    known = stats(session)
    dialect = session.get_bind().dialect.name
    driver = driving_ids(session, timeline_filter, page_size)
    if driver is not None:
        name, ids = driver
        conditions = event_conditions(timeline_filter, dialect, known.max_span_days, leave_out=name)
        return statement.where(event.c.id.in_(ids), *conditions)
    statement = statement.where(*event_conditions(timeline_filter, dialect, known.max_span_days))
    if dialect == "sqlite":
        # SQLite cannot know that a page fills after a few rows: make it walk the date index.
        statement = statement.with_hint(event, "INDEXED BY ix_event_start_date_id", dialect_name="sqlite")
    return statement


def list_events(session: Session, timeline_filter: TimelineFilter, page: PageRequest) -> EventPage:
    """One keyset page of the filter's events, ordered by (start_date, id)."""
    from app.filters import Cursor

    descending = timeline_filter.order == "desc"
    statement = _filtered(session, select(*_EVENT_COLUMNS), timeline_filter, page.size)
    if page.after is not None:
        position = tuple_(event.c.start_date, event.c.id)
        mark = tuple_(page.after.start_date, page.after.event_id)
        statement = statement.where(position < mark if descending else position > mark)
    if descending:
        statement = statement.order_by(event.c.start_date.desc(), event.c.id.desc())
    else:
        statement = statement.order_by(event.c.start_date, event.c.id)
    rows = session.execute(statement.limit(page.size + 1)).all()
    items = _with_relations(session, rows[: page.size])
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
    if timeline_filter.is_empty:
        return stats(session).events
    return _cached(session, ("count", timeline_filter), lambda: _count(session, timeline_filter))


def _count(session: Session, timeline_filter: TimelineFilter) -> int:
    # A count reads every match whatever the plan; starting from the rarest condition reads fewest rows.
    statement = _filtered(session, select(func.count()).select_from(event), timeline_filter, page_size=10**12)
    return session.execute(statement).scalar_one()


_results_cache: OrderedDict = OrderedDict()
RESULTS_CACHE_SIZE = 2048


def _cached(session: Session, key: tuple, compute):
    """Counts and facets by filter, kept until the data changes (every ingest bumps the version)."""
    full_key = (str(session.get_bind().url), stats(session).version, key)
    if full_key in _results_cache:
        _results_cache.move_to_end(full_key)
        return _results_cache[full_key]
    value = compute()
    _results_cache[full_key] = value
    if len(_results_cache) > RESULTS_CACHE_SIZE:
        _results_cache.popitem(last=False)
    return value


def country_facets(session: Session, timeline_filter: TimelineFilter) -> list[Facet]:
    """Countries that have events, most frequent first, each with the events ticking it would match.

    Countries combine with AND, so ticking one narrows the current selection: its count is taken
    with the current countries kept.
    """

    def compute() -> list[Facet]:
        matching = _grouped_counts(session, event_country.c.country_code, timeline_filter)
        return [
            Facet(code, name, total, matching.get(code, 0)) for code, name, total in country_counts(session) if total
        ]

    return _cached(session, ("country facets", timeline_filter), compute)


def topic_facets(session: Session, timeline_filter: TimelineFilter) -> list[Facet]:
    """Topics that have events, most frequent first, each with the events it matches.

    Topics combine with OR, so a topic's count is taken with the topic filter left out.
    """
    matching = _grouped_counts(session, event_topic.c.topic_slug, timeline_filter.replace(topics=()))
    return [Facet(slug, name, total, matching.get(slug, 0)) for slug, name, _, total in topic_counts(session) if total]


def _grouped_counts(session: Session, key_column, timeline_filter: TimelineFilter) -> dict[str, int]:
    if timeline_filter.is_empty:
        known = stats(session)
        return known.countries if key_column is event_country.c.country_code else known.topics

    def compute() -> dict[str, int]:
        # From each matching event to its link rows (the primary key starts with event_id).
        matches = _filtered(session, select(event.c.id), timeline_filter, page_size=10**12).subquery()
        link = key_column.table
        statement = (
            select(key_column, func.count())
            .select_from(matches.join(link, link.c.event_id == matches.c.id))
            .group_by(key_column)
        )
        return {key: count for key, count in session.execute(statement)}

    return _cached(session, ("facet", key_column.name, timeline_filter), compute)


def country_counts(session: Session) -> list[tuple[str, str, int]]:
    """Every country with its number of events (zero included), most events first, then by name."""
    known = stats(session)
    rows = [(code, name, known.countries.get(code, 0)) for code, name in known.country_names.items()]
    return sorted(rows, key=lambda row: (-row[2], row[1]))


def topic_counts(session: Session) -> list[tuple[str, str, str, int]]:
    """Every topic with its description and number of events, most events first, then by name."""
    counts = stats(session).topics
    rows = [
        (slug, name, description, counts.get(slug, 0))
        for slug, name, description in session.execute(select(topic.c.slug, topic.c.name, topic.c.description))
    ]
    return sorted(rows, key=lambda row: (-row[3], row[1]))


def get_event(session: Session, slug: str) -> EventView | None:
    row = session.execute(select(*_EVENT_COLUMNS).where(event.c.slug == slug)).first()
    if row is None:
        return None
    return _with_relations(session, [row])[0]


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
    return Neighbours(*(_with_relations(session, [row])[0] if row else None for row in (before, after)))


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


def _with_relations(session: Session, rows) -> list[EventView]:
    """Events from rows of _EVENT_COLUMNS, with country and topic names and their sources attached."""
    if not rows:
        return []
    known = stats(session)
    items = []
    for row in rows:
        values = row._mapping
        item = EventView(**{name: values[name] for name in _EVENT_FIELD_NAMES})
        codes = (values["country_codes"] or "").split(",")
        item.countries = sorted(((c, known.country_names.get(c, c)) for c in codes if c), key=lambda p: p[1])
        slugs = (values["topic_slugs"] or "").split(",")
        item.topics = sorted(((t, known.topic_names.get(t, t)) for t in slugs if t), key=lambda p: p[1])
        items.append(item)
    by_id = {item.id: item for item in items}
    for row in session.execute(
        select(source.c.event_id, source.c.url, source.c.title, source.c.publisher, source.c.published_date)
        .where(source.c.event_id.in_(list(by_id)))
        .order_by(source.c.event_id, source.c.position)
    ).all():
        by_id[row.event_id].sources.append(SourceView(row.url, row.title, row.publisher, row.published_date))
    return items
