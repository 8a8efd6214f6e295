"""Events: keyset pages of a filter's events, their count, one event with its details, its
neighbours in time, and its revisions."""

import re
from datetime import date

from sqlalchemy import bindparam, func, select, tuple_
from sqlmodel import Session

from app.filters import Cursor, PageRequest, TimelineFilter
from app.models import SLUG_PATTERN, CountryRole
from app.queries.event_index import event_index
from app.queries.matches import view_matches
from app.queries.stats import Stats, stats
from app.queries.tables import event, event_country, event_link, event_topic, revision, source, statement
from app.queries.views import (
    Change,
    EventPage,
    EventView,
    LinkView,
    Neighbours,
    RevisionView,
    SourceView,
    StatementView,
)

# The view's own columns: EventView's fields that the event table holds.
_EVENT_COLUMNS = [event.c[name] for name in EventView.model_fields if name in event.c]


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


def list_events(
    session: Session, timeline_filter: TimelineFilter, page: PageRequest, details: bool = False
) -> EventPage:
    """One keyset page of the filter's events, ordered by (start_date, id); `details` adds links,
    statements and revision counts."""
    items = read_events(session, timeline_filter, page.size + 1, after=page.after, details=details)
    next_cursor = None
    if len(items) > page.size:
        items = items[: page.size]
        next_cursor = Cursor(items[-1].start_date, items[-1].id)
    return EventPage(items, next_cursor)


def read_events(
    session: Session,
    timeline_filter: TimelineFilter,
    size: int,
    *,
    after: Cursor | None = None,
    until: Cursor | None = None,
    at: date | None = None,
    backwards: bool = False,
    details: bool = False,
) -> list[EventView]:
    """Up to `size` of the filter's events in its order: after the position `after`, from the day `at`
    on, up to the position `until` (included); `backwards`, the last `size` of them, still in order."""
    descending = (timeline_filter.order == "desc") != backwards
    index = event_index(session)
    bounds = index.bounds(timeline_filter.order == "desc", after, until, at)
    ids = index.ids_between(view_matches(session, timeline_filter), size, bounds, descending)
    if not ids:
        return []
    order = (event.c.start_date.desc(), event.c.id.desc()) if descending else (event.c.start_date, event.c.id)
    rows = session.execute(select(*_EVENT_COLUMNS).where(event.c.id.in_(ids)).order_by(*order)).all()
    items = _with_relations(session, rows, details)
    return items[::-1] if backwards else items


def iter_events(session: Session, timeline_filter: TimelineFilter, batch_size: int = 500, details: bool = False):
    """Every event of the filter in order, read page by page so memory stays bounded."""
    after = None
    while True:
        page = list_events(session, timeline_filter, PageRequest(after, batch_size), details)
        yield from page.items
        if page.next_cursor is None:
            return
        after = page.next_cursor


def count_events(session: Session, timeline_filter: TimelineFilter) -> int:
    return len(view_matches(session, timeline_filter))


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


def _with_relations(session: Session, rows, details: bool = False) -> list[EventView]:
    """Events from rows of _EVENT_COLUMNS, with country and topic names and their sources attached
    (and with `details`, their links, statements and revision counts)."""
    if not rows:
        return []
    known = stats(session)
    items = []
    for row in rows:
        values = row._mapping
        item = EventView.model_validate({name: values[name] for name in _EVENT_FIELD_NAMES})
        item.countries = _named_countries(values["country_codes"], known)
        item.concerns = _named_countries(values["concern_codes"], known)
        slugs = (values["topic_slugs"] or "").split(",")
        item.topics = sorted(((t, known.topic_names.get(t, t)) for t in slugs if t), key=lambda p: p[1])
        items.append(item)
    by_id = {item.id: item for item in items}
    for row in session.execute(_SOURCES_OF, {"ids": list(by_id)}):
        by_id[row.event_id].sources.append(SourceView.model_validate(row, from_attributes=True))
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
        by_id[row.event_id].links.append(LinkView.model_validate(row, from_attributes=True))
    for row in session.execute(_LINKS_TO, ids):
        by_id[row.target_id].linked_from.append(LinkView.model_validate(row, from_attributes=True))
    for row in session.execute(_STATEMENTS_OF, ids):
        said = row._mapping
        cited = {name: said[f"source_{name}"] for name in SourceView.model_fields}
        by_id[row.event_id].statements.append(StatementView.model_validate({**said, "source": cited}))
    for event_id, count, last in session.execute(_REVISIONS_OF, ids):
        by_id[event_id].revision_count, by_id[event_id].last_revised = count, last


def revisions(session: Session, event_id: int) -> list[RevisionView]:
    """The event's revisions, newest first."""
    found: dict[int, RevisionView] = {}
    for row in session.execute(
        select(revision).where(revision.c.event_id == event_id).order_by(revision.c.number.desc(), revision.c.id)
    ):
        entry = found.setdefault(row.number, RevisionView(row.number, row.changed_at))
        entry.changes.append(Change(row.field, row.old_value, row.new_value))
    return list(found.values())
