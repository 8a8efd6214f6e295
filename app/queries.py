"""The one query builder, and the reads every view is made of.

`event_conditions` turns a TimelineFilter into SQL; the timeline page, its fragments, the JSON API
and the exports all select through it. Rows are read with SQLAlchemy Core (no ORM hydration) into
plain dataclasses.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    exists,
    func,
    literal_column,
    null,
    or_,
    select,
    table,
    tuple_,
)
from sqlmodel import Session

from app import sourcing
from app.dates import partial_iso
from app.models import (
    SLUG_PATTERN,
    Country,
    CountryRole,
    DataVersion,
    Era,
    EraCountry,
    Event,
    EventCountry,
    EventLink,
    EventTopic,
    LinkType,
    Precision,
    Revision,
    Source,
    Statement,
    Topic,
)

if TYPE_CHECKING:
    from app.filters import Cursor, PageRequest, TimelineFilter

event = Event.__table__
event_country = EventCountry.__table__
event_topic = EventTopic.__table__
country = Country.__table__
topic = Topic.__table__
source = Source.__table__
event_link = EventLink.__table__
statement = Statement.__table__
revision = Revision.__table__
era = Era.__table__
era_country = EraCountry.__table__


@dataclass
class SourceView:
    url: str
    title: str
    headline: bool | None  # True: the title is the publisher's headline; False: a description
    publisher: str | None
    published_date: date | None


@dataclass
class LinkView:
    type: LinkType
    slug: str  # the other event's
    title: str


@dataclass
class StatementView:
    party: str
    party_country: str | None
    text: str
    said_on: date | None
    said_on_precision: Precision | None
    source: SourceView


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
    countries: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of the parties
    concerns: list[tuple[str, str]] = field(default_factory=list)  # countries it bears on, not a party
    topics: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    sources: list[SourceView] = field(default_factory=list)
    # Filled only where asked for (`details=True`): the event page, the API and the exports.
    links: list[LinkView] = field(default_factory=list)  # declared on this event
    linked_from: list[LinkView] = field(default_factory=list)  # declared on others, to this one
    statements: list[StatementView] = field(default_factory=list)
    revision_count: int = 0
    last_revised: datetime | None = None

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
    sources: int
    primary_sources: int  # on a host of seeds/primary-domains.txt

    @property
    def sources_per_event(self) -> float:
        return self.sources / self.events if self.events else 0.0

    @property
    def primary_share(self) -> float:
        return self.primary_sources / self.sources if self.sources else 0.0


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
    .where(event_country.c.event_id == event.c.id, event_country.c.role == CountryRole.party.value)
    .scalar_subquery()
    .label("country_codes"),
    select(func.aggregate_strings(event_country.c.country_code, ","))
    .where(event_country.c.event_id == event.c.id, event_country.c.role == CountryRole.concerns.value)
    .scalar_subquery()
    .label("concern_codes"),
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
    """Events whose title, summary or statements hold every term: SQLite FTS5, PostgreSQL tsvector
    (both index event.statement_text beside the title and summary, see migration 0005)."""
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
    # A row walked costs about three times a row collected (its EXISTS tests against an index read).
    threshold = (3 * page_size * known.events) ** 0.5
    if timeline_filter.terms:
        count = _text_frequency(session, timeline_filter.terms, dialect, known.events, enough=int(threshold) + 1)
        candidates.append((count, "text", _text_match(timeline_filter.terms, dialect, correlated=False)))
    if not candidates:
        return None
    expected = known.events
    for count, _, _ in candidates:
        expected *= min(count, known.events) / known.events
    if expected > threshold:
        return None
    _, name, ids = min(candidates, key=lambda candidate: candidate[0])
    return name, ids


def _text_frequency(session: Session, terms, dialect: str, events: int, enough: int) -> int:
    """How many events match the words, counted up to `enough`; beyond, as if all did.

    Counting stops early because a common word matches a large share of the events, and counting
    them all would cost more than the page. Words matching more events than a walk of the date index
    reads never start the plan, so past that bound the exact number does not matter.
    """

    def compute() -> int:
        matches = _text_match(terms, dialect, correlated=False).limit(enough).subquery()
        count = session.execute(select(func.count()).select_from(matches)).scalar_one()
        return count if count < enough else events

    return _results.get(session, ("text frequency", tuple(terms), enough), compute)


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
    if dialect == "sqlite" and page_size < known.events:
        # SQLite cannot know that a page fills after a few rows: make it walk the date index. A read of
        # every match (a count, the overview) is left to the planner: walking the index costs it a
        # lookup per event where a scan of the table reads them in order.
        statement = statement.with_hint(event, "INDEXED BY ix_event_start_date_id", dialect_name="sqlite")
    return statement


def list_events(
    session: Session, timeline_filter: TimelineFilter, page: PageRequest, details: bool = False
) -> EventPage:
    """One keyset page of the filter's events, ordered by (start_date, id); `details` adds links,
    statements and revision counts."""
    from app.filters import Cursor

    descending = timeline_filter.order == "desc"
    order = (event.c.start_date.desc(), event.c.id.desc()) if descending else (event.c.start_date, event.c.id)
    page_ids = _filtered(session, select(event.c.id), timeline_filter, page.size)
    if page.after is not None:
        position = tuple_(event.c.start_date, event.c.id)
        mark = tuple_(page.after.start_date, page.after.event_id)
        page_ids = page_ids.where(position < mark if descending else position > mark)
    page_ids = page_ids.order_by(*order).limit(page.size + 1).correlate(None)
    # The page's ids first, then their columns: selected together, SQLite would gather every
    # match's countries and topics before sorting (1,500 of them for a rare country at 1M events).
    rows = session.execute(select(*_EVENT_COLUMNS).where(event.c.id.in_(page_ids)).order_by(*order)).all()
    items = _with_relations(session, rows[: page.size], details)
    next_cursor = None
    if len(rows) > page.size:
        last = items[-1]
        next_cursor = Cursor(last.start_date, last.id)
    return EventPage(items, next_cursor)


def iter_events(session: Session, timeline_filter: TimelineFilter, batch_size: int = 500, details: bool = False):
    """Every event of the filter in order, read page by page so memory stays bounded."""
    from app.filters import PageRequest

    after = None
    while True:
        page = list_events(session, timeline_filter, PageRequest(after, batch_size), details)
        yield from page.items
        if page.next_cursor is None:
            return
        after = page.next_cursor


def count_events(session: Session, timeline_filter: TimelineFilter) -> int:
    if timeline_filter.is_empty:
        return stats(session).events
    return _results.get(session, ("count", timeline_filter), lambda: _count(session, timeline_filter))


def _count(session: Session, timeline_filter: TimelineFilter) -> int:
    # A count reads every match whatever the plan; starting from the rarest condition reads fewest rows.
    statement = _filtered(session, select(func.count()).select_from(event), timeline_filter, page_size=10**12)
    return session.execute(statement).scalar_one()


class VersionedCache:
    """Values computed from the data, by key, kept until the data changes (every ingest bumps the
    version): the least recently used go first once `size` are kept."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict = OrderedDict()

    def get(self, session: Session, key: tuple, compute):
        full_key = (str(session.get_bind().url), stats(session).version, key)
        # Worker threads share the cache: each step holds up if another evicts the key meanwhile.
        try:
            value = self.entries[full_key]
        except KeyError:
            value = self.entries[full_key] = compute()
            while len(self.entries) > self.size:
                with suppress(KeyError):
                    self.entries.popitem(last=False)
            return value
        with suppress(KeyError):
            self.entries.move_to_end(full_key)
        return value


# Counts, facets, eras and overviews by filter: small values, many kept.
_results = VersionedCache(2048)


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

    return _results.get(session, ("country facets", timeline_filter), compute)


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

    return _results.get(session, ("facet", key_column.name, timeline_filter), compute)


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


_SLUG = re.compile(SLUG_PATTERN)


def get_event(session: Session, slug: str) -> EventView | None:
    """One event with everything about it: sources, links, statements and its revision count."""
    # A slug no event can have is not looked up (a NUL, which PostgreSQL refuses in text, included).
    if not _SLUG.fullmatch(slug):
        return None
    row = session.execute(select(*_EVENT_COLUMNS).where(event.c.slug == slug)).first()
    if row is None:
        return None
    return _with_relations(session, [row], details=True)[0]


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
    on_primary_host = or_(
        *(
            source.c.url.like(f"{scheme}://{prefix}{domain}/%")
            for domain in sourcing.domains(sourcing.PRIMARY_DOMAINS)
            for scheme in ("https", "http")
            for prefix in ("", "%.")
        )
    )
    sources, primary = session.execute(
        select(func.count(), func.count().filter(on_primary_host)).select_from(source)
    ).one()
    return DatasetStats(events, topics, first.year if first else None, last.year if last else None, sources, primary)


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


def _with_relations(session: Session, rows, details: bool = False) -> list[EventView]:
    """Events from rows of _EVENT_COLUMNS, with country and topic names and their sources attached
    (and with `details`, their links, statements and revision counts)."""
    if not rows:
        return []
    known = stats(session)
    items = []
    for row in rows:
        values = row._mapping
        item = EventView(**{name: values[name] for name in _EVENT_FIELD_NAMES})
        item.countries = _named_countries(values["country_codes"], known)
        item.concerns = _named_countries(values["concern_codes"], known)
        slugs = (values["topic_slugs"] or "").split(",")
        item.topics = sorted(((t, known.topic_names.get(t, t)) for t in slugs if t), key=lambda p: p[1])
        items.append(item)
    by_id = {item.id: item for item in items}
    for row in session.execute(_SOURCES_OF, {"ids": list(by_id)}):
        by_id[row.event_id].sources.append(
            SourceView(row.url, row.title, row.headline, row.publisher, row.published_date)
        )
    if details:
        _add_details(session, by_id)
    return items


def _named_countries(codes: str | None, known: Stats) -> list[tuple[str, str]]:
    """Comma-separated codes as (code, name) pairs, by name."""
    return sorted(((c, known.country_names.get(c, c)) for c in (codes or "").split(",") if c), key=lambda p: p[1])


# The statements that attach relations to a page of events, built once: only the ids change.
_IDS = bindparam("ids", expanding=True)
_SOURCES_OF = (
    select(
        source.c.event_id, source.c.url, source.c.title, source.c.headline, source.c.publisher, source.c.published_date
    )
    .where(source.c.event_id.in_(_IDS))
    .order_by(source.c.event_id, source.c.position)
)
_other = event.alias("other")
_LINKS_FROM = (
    select(event_link.c.event_id, event_link.c.type, _other.c.slug, _other.c.title)
    .join(_other, _other.c.id == event_link.c.target_id)
    .where(event_link.c.event_id.in_(_IDS))
    .order_by(event_link.c.event_id, event_link.c.position)
)
_LINKS_TO = (
    select(event_link.c.target_id, event_link.c.type, _other.c.slug, _other.c.title)
    .join(_other, _other.c.id == event_link.c.event_id)
    .where(event_link.c.target_id.in_(_IDS))
    .order_by(event_link.c.target_id, _other.c.start_date, _other.c.id)
)
_STATEMENTS_OF = (
    select(statement).where(statement.c.event_id.in_(_IDS)).order_by(statement.c.event_id, statement.c.position)
)
_REVISIONS_OF = (
    select(revision.c.event_id, func.max(revision.c.number), func.max(revision.c.changed_at))
    .where(revision.c.event_id.in_(_IDS))
    .group_by(revision.c.event_id)
)


def _add_details(session: Session, by_id: dict[int, EventView]) -> None:
    """Links both ways, statements and revision counts of these events: four queries, whatever their number."""
    ids = {"ids": list(by_id)}
    for row in session.execute(_LINKS_FROM, ids):
        by_id[row.event_id].links.append(LinkView(LinkType(row.type), row.slug, row.title))
    for row in session.execute(_LINKS_TO, ids):
        by_id[row.target_id].linked_from.append(LinkView(LinkType(row.type), row.slug, row.title))
    for row in session.execute(_STATEMENTS_OF, ids):
        cited = SourceView(
            row.source_url, row.source_title, row.source_headline, row.source_publisher, row.source_published_date
        )
        precision = Precision(row.said_on_precision) if row.said_on_precision else None
        by_id[row.event_id].statements.append(
            StatementView(row.party, row.party_country, row.text, row.said_on, precision, cited)
        )
    for event_id, count, last in session.execute(_REVISIONS_OF, ids):
        by_id[event_id].revision_count, by_id[event_id].last_revised = count, last


@dataclass
class Change:
    field: str
    old_value: str | None
    new_value: str | None


@dataclass
class RevisionView:
    """What one ingest changed in an event."""

    number: int
    changed_at: datetime
    changes: list[Change] = field(default_factory=list)


def revisions(session: Session, event_id: int) -> list[RevisionView]:
    """The event's revisions, newest first."""
    found: dict[int, RevisionView] = {}
    for row in session.execute(
        select(revision).where(revision.c.event_id == event_id).order_by(revision.c.number.desc(), revision.c.id)
    ):
        entry = found.setdefault(row.number, RevisionView(row.number, row.changed_at))
        entry.changes.append(Change(row.field, row.old_value, row.new_value))
    return list(found.values())


# How far a chain is followed from an event, and how many events it shows at most.
CHAIN_DEPTH = 10
CHAIN_SIZE = 30
# A link read from the event it is declared on, and read from its target.
LINK_WORDS = {
    LinkType.led_to: ("led to", "followed from"),
    LinkType.response_to: ("in response to", "answered by"),
    LinkType.follow_up_of: ("follow-up of", "followed up by"),
    LinkType.part_of: ("part of", "includes"),
}


@dataclass
class ChainItem:
    """An event of a chain, and how it links to the event through which the chain reached it."""

    slug: str
    title: str
    start_date: date
    date_precision: Precision
    end_date: date | None
    end_precision: Precision | None
    relation: str  # "led to", "followed up by"…
    via_slug: str
    via_title: str

    def __post_init__(self) -> None:
        self.date_precision = Precision(self.date_precision)
        if self.end_precision is not None:
            self.end_precision = Precision(self.end_precision)


@dataclass
class Chain:
    before: list[ChainItem]
    after: list[ChainItem]


def chain(session: Session, current: EventView) -> Chain:
    """The events linked to this one, directly or through others, before and after it.

    Every link has an earlier and a later end ('A led_to B': A then B; 'A response_to',
    'follow_up_of' or 'part_of B': B then A). One recursive query walks from the event to the later
    ends (after) and to the earlier ends (before), CHAIN_DEPTH links at most; UNION drops repeated
    steps, so cycles and diamonds stay small.
    """
    is_led_to = event_link.c.type == LinkType.led_to.value
    walk = (
        select(
            event.c.id,
            # 0 at the event itself, then 1 along the chain's later ends and -1 along its earlier ends.
            literal_column("0", Integer).label("direction"),
            literal_column("0", Integer).label("depth"),
            cast(null(), Integer).label("via"),
            cast(null(), String(20)).label("type"),
            cast(null(), Integer).label("declared_by"),
        )
        .where(event.c.id == current.id)
        .cte("chain", recursive=True)
    )
    here = walk.c.id
    is_earlier_end = or_(
        and_(is_led_to, event_link.c.event_id == here), and_(~is_led_to, event_link.c.target_id == here)
    )
    is_later_end = or_(and_(is_led_to, event_link.c.target_id == here), and_(~is_led_to, event_link.c.event_id == here))
    goes_later = and_(walk.c.direction >= 0, is_earlier_end)
    goes_earlier = and_(walk.c.direction <= 0, is_later_end)
    step = (
        select(
            case((event_link.c.event_id == here, event_link.c.target_id), else_=event_link.c.event_id),
            case((goes_later, 1), else_=-1),
            walk.c.depth + 1,
            here,
            event_link.c.type,
            event_link.c.event_id,
        )
        .select_from(walk)
        .join(event_link, or_(goes_later, goes_earlier))
        .where(walk.c.depth < CHAIN_DEPTH)
    )
    walk = walk.union(step)
    nearest: dict[int, tuple] = {}
    for row in session.execute(
        select(walk).where(walk.c.depth > 0).order_by(walk.c.depth, walk.c.direction.desc(), walk.c.via, walk.c.id)
    ):
        if row.id != current.id and row.id not in nearest:
            nearest[row.id] = row
    kept = list(nearest.values())[:CHAIN_SIZE]
    if not kept:
        return Chain([], [])
    ids = {row.id for row in kept} | {row.via for row in kept}
    columns = [event.c.id, event.c.slug, event.c.title, event.c.start_date, event.c.date_precision]
    columns += [event.c.end_date, event.c.end_precision]
    events = {row.id: row for row in session.execute(select(*columns).where(event.c.id.in_(ids)))}
    before, after = [], []
    for row in kept:
        item, via = events[row.id], events[row.via]
        said_by_item, said_by_via = LINK_WORDS[LinkType(row.type)]
        relation = said_by_item if row.declared_by == row.id else said_by_via
        entry = ChainItem(
            item.slug,
            item.title,
            item.start_date,
            item.date_precision,
            item.end_date,
            item.end_precision,
            relation,
            via.slug,
            via.title,
        )
        (after if row.direction == 1 else before).append((item.start_date, item.id, entry))
    return Chain([entry for *_, entry in sorted(before)], [entry for *_, entry in sorted(after)])


# Eras, the overview of a view, and the pairs of countries that have events.


@dataclass(frozen=True)
class EraView:
    slug: str
    name: str
    description: str
    start_date: date
    date_precision: Precision
    end_date: date
    end_precision: Precision
    last_date: date
    countries: tuple[str, ...]

    @property
    def from_text(self) -> str:  # from= and to= of the view narrowed to the era
        return partial_iso(self.start_date, self.date_precision)

    @property
    def to_text(self) -> str:
        return partial_iso(self.end_date, self.end_precision)


def eras(session: Session, timeline_filter: TimelineFilter) -> list[EraView]:
    """The eras of a view, oldest first: those concerning all of its countries and overlapping its dates."""
    key = ("eras", timeline_filter.countries, timeline_filter.date_from, timeline_filter.date_to)
    return _results.get(session, key, lambda: _eras(session, timeline_filter))


def _eras(session: Session, timeline_filter: TimelineFilter) -> list[EraView]:
    codes = (
        select(func.aggregate_strings(era_country.c.country_code, ","))
        .where(era_country.c.era_slug == era.c.slug)
        .scalar_subquery()
    )
    statement = select(
        era.c.slug,
        era.c.name,
        era.c.description,
        era.c.start_date,
        era.c.date_precision,
        era.c.end_date,
        era.c.end_precision,
        era.c.last_date,
        codes.label("codes"),
    ).order_by(era.c.start_date, era.c.slug)
    # Countries combine as they do for events: an era of India and China belongs to India's view.
    for code in timeline_filter.countries:
        statement = statement.where(
            exists().where(era_country.c.era_slug == era.c.slug, era_country.c.country_code == code)
        )
    if timeline_filter.date_from:
        statement = statement.where(era.c.last_date >= timeline_filter.date_from)
    if timeline_filter.date_to:
        statement = statement.where(era.c.start_date <= timeline_filter.date_to)
    return [
        EraView(
            *row[:4],
            Precision(row.date_precision),
            row.end_date,
            Precision(row.end_precision),
            row.last_date,
            tuple(sorted((row.codes or "").split(","))),
        )
        for row in session.execute(statement)
    ]


@dataclass(frozen=True)
class Period:
    """One bar of the overview: a year ("2020") or a month ("2020-06"), as from= and to= write it."""

    key: str
    start: date
    last: date
    events: int
    rated: int  # events that have a tone
    tone_total: int

    @property
    def tone(self) -> float | None:
        """The average tone of the events that have one."""
        return self.tone_total / self.rated if self.rated else None


@dataclass(frozen=True)
class Overview:
    unit: str  # "year" or "month"
    periods: list[Period]  # every period of the range in order, empty ones included
    events: int  # the events the bars count
    left_out: int  # matching events outside the bars: begun before the range, or (by month) dated to a year


# Up to three years, the overview counts by month; a longer range by year.
MONTHS_SHOWN_BY_MONTH = 36


def overview(session: Session, timeline_filter: TimelineFilter) -> Overview:
    """The view's events per period with their average tone, from one grouped query, cached like counts."""
    timeline_filter = timeline_filter.replace(order="asc")  # the order changes nothing here
    return _results.get(session, ("overview", timeline_filter), lambda: _overview(session, timeline_filter))


def _overview(session: Session, timeline_filter: TimelineFilter) -> Overview:
    month = _month_of_start(session.get_bind().dialect.name).label("month")
    statement = (
        select(
            month,
            event.c.date_precision,
            func.count().label("events"),
            func.count(event.c.tone).label("rated"),
            func.coalesce(func.sum(event.c.tone), 0).label("tone_total"),
        )
        .select_from(event)
        .group_by(month, event.c.date_precision)
    )
    # As many rows as there are matches: the plan that reads fewest of them, as for a count.
    rows = session.execute(_filtered(session, statement, timeline_filter, page_size=10**12)).all()
    total = sum(row.events for row in rows)
    if not rows:
        return Overview("year", [], 0, 0)

    def month_number(value: date) -> int:
        return value.year * 12 + value.month - 1

    rows = [_MonthRow(int(row.month[:4]) * 12 + int(row.month[5:7]) - 1, *row[1:]) for row in rows]
    first = min(row.number for row in rows)
    last = max(row.number for row in rows)
    if timeline_filter.date_from:
        first = max(first, month_number(timeline_filter.date_from))
    if timeline_filter.date_to:
        last = min(last, month_number(timeline_filter.date_to))
    # A short range the reader asked for is shown whole, even where it has no events.
    if timeline_filter.date_from and timeline_filter.date_to:
        asked = month_number(timeline_filter.date_from), month_number(timeline_filter.date_to)
        if asked[1] - asked[0] < MONTHS_SHOWN_BY_MONTH:
            first, last = asked
    by_month = last - first < MONTHS_SHOWN_BY_MONTH
    periods = _periods(rows, first, last, by_month)
    if by_month and not any(period.events for period in periods):
        # Only events dated to a year: bars by year say more than empty months.
        by_month, periods = False, _periods(rows, first, last, False)
    shown = sum(period.events for period in periods)
    return Overview("month" if by_month else "year", periods, shown, total - shown)


def _periods(rows: list[_MonthRow], first: int, last: int, by_month: bool) -> list[Period]:
    """The periods from month number `first` to `last`, with the counts and tones of their rows."""
    sums: dict[int, list[int]] = {}
    for row in rows:
        # By month, an event dated only to a year has no month to be counted in.
        if row.number < first or row.number > last or (by_month and row.date_precision == Precision.year.value):
            continue
        counts = sums.setdefault(row.number if by_month else row.number // 12, [0, 0, 0])
        counts[0] += row.events
        counts[1] += row.rated
        counts[2] += row.tone_total
    if by_month:
        return [Period(*_month_span(key), *sums.get(key, (0, 0, 0))) for key in range(first, last + 1)]
    return [
        Period(f"{key:04d}", date(key, 1, 1), date(key, 12, 31), *sums.get(key, (0, 0, 0)))
        for key in range(first // 12, last // 12 + 1)
    ]


class _MonthRow(NamedTuple):
    number: int  # year * 12 + month - 1
    date_precision: str
    events: int
    rated: int
    tone_total: int


def _month_of_start(dialect: str):
    """The month an event starts in, as 'YYYY-MM': one cheap key to group by."""
    if dialect == "sqlite":
        # SQLite keeps dates as ISO text: cutting it is several times cheaper than strftime.
        return func.substr(event.c.start_date, literal_column("1"), literal_column("7"), type_=String)
    return func.to_char(event.c.start_date, literal_column("'YYYY-MM'"), type_=String)


def _month_span(number: int) -> tuple[str, date, date]:
    year, month = divmod(number, 12)
    start = date(year, month + 1, 1)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return f"{year:04d}-{month + 1:02d}", start, following - timedelta(days=1)


@dataclass(frozen=True)
class CountryPair:
    """Two countries with events in common, in the order of their relation page's address."""

    first: str
    second: str
    first_name: str
    second_name: str
    events: int

    @property
    def path(self) -> str:
        return f"/relations/{self.first}-{self.second}"


def relation_order(first: str, second: str) -> tuple[str, str]:
    """The canonical order of a pair of codes, as /relations/{A}-{B} writes it: the later code in the
    alphabet first (IN-CN, US-CN, PK-IN). It depends on the codes alone, so an address never changes."""
    return (first, second) if first > second else (second, first)


def country_pairs(session: Session) -> list[CountryPair]:
    """Every pair of countries that share events, most events first."""

    def compute() -> list[CountryPair]:
        one, other = event_country.alias("one"), event_country.alias("other")
        # Each pair once, already in relation_order: the later code is `one`.
        statement = (
            select(one.c.country_code, other.c.country_code, func.count())
            .select_from(
                one.join(other, and_(other.c.event_id == one.c.event_id, other.c.country_code < one.c.country_code))
            )
            .group_by(one.c.country_code, other.c.country_code)
        )
        names = stats(session).country_names
        pairs = [
            CountryPair(first, second, names.get(first, first), names.get(second, second), count)
            for first, second, count in session.execute(statement)
        ]
        return sorted(pairs, key=lambda pair: (-pair.events, pair.first_name, pair.second_name))

    return _results.get(session, ("country pairs",), compute)
