"""How a filter's conditions are applied: the planner's choices, in one place, with what they rest on.

Two plans select a filter's events:
- walk the (start_date, id) index in order, testing each event's conditions (correlated EXISTS,
  cheap per row), and stop once a page is full: best when matches are common;
- start from the ids of the filter's rarest condition (a country's, the topics', or the words'
  full-text matches) and test the rest on those: best when matches are rare, and for reads of every
  match (counts, facets, the overview), which read each match whatever the plan.

Measured on generated data (bench/), one connection: walking reads about page_size / selectivity
rows and costs about three times as much per row as collecting one of a set of ids (each row walked
runs its EXISTS tests against an index), so the set wins below about sqrt(3 × page_size × events)
expected matches: at 1M events and pages of 50, about 12,000. SQLite cannot know that a page fills
after a few rows, so a walk is forced with an INDEXED BY hint; a read of every match is left to its
planner, for which a scan of the table beats a lookup per event along the index.
"""

from sqlalchemy import Select, func, select
from sqlmodel import Session

from app.filters import SearchTerm, TimelineFilter
from app.queries.conditions import event_conditions, text_match
from app.queries.stats import cached, stats
from app.queries.tables import event, event_country, event_topic

# A row walked costs about three times a row collected (see above).
WALK_COST = 3


def driving_ids(session: Session, timeline_filter: TimelineFilter, page_size: int | None) -> tuple[str, Select] | None:
    """The filter's rarest condition and its ids, when starting from them beats walking the date index
    (always, for a read of every match: `page_size` None)."""
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
    threshold = known.events if page_size is None else (WALK_COST * page_size * known.events) ** 0.5
    if timeline_filter.terms:
        count = _text_frequency(session, timeline_filter.terms, dialect, known.events, enough=int(threshold) + 1)
        candidates.append((count, "text", text_match(timeline_filter.terms, dialect, correlated=False)))
    if not candidates:
        return None
    expected = known.events
    for count, _, _ in candidates:
        expected *= min(count, known.events) / known.events
    if expected > threshold:
        return None
    _, name, ids = min(candidates, key=lambda candidate: candidate[0])
    return name, ids


def _text_frequency(session: Session, terms: list[SearchTerm], dialect: str, events: int, enough: int) -> int:
    """How many events match the words, counted up to `enough`; beyond, as if all did.

    Counting stops early because a common word matches a large share of the events, and counting
    them all would cost more than the page. Words matching more events than a walk of the date index
    reads never start the plan, so past that bound the exact number does not matter.
    """

    def compute() -> int:
        matches = text_match(terms, dialect, correlated=False).limit(enough).subquery()
        count = session.execute(select(func.count()).select_from(matches)).scalar_one()
        return count if count < enough else events

    return cached(session, ("text frequency", tuple(terms), enough), compute)


def filtered(session: Session, statement: Select, timeline_filter: TimelineFilter, page_size: int | None) -> Select:
    """A statement over `event` narrowed to the filter, with the plan chosen for its selectivity: for a
    page of `page_size` events, or (None) for a read of every match."""
    known = stats(session)
    dialect = session.get_bind().dialect.name
    driver = driving_ids(session, timeline_filter, page_size)
    if driver is not None:
        name, ids = driver
        conditions = event_conditions(timeline_filter, dialect, known.max_span_days, leave_out=name)
        return statement.where(event.c.id.in_(ids), *conditions)
    statement = statement.where(*event_conditions(timeline_filter, dialect, known.max_span_days))
    if dialect == "sqlite" and page_size is not None and page_size < known.events:
        # A walk of the date index, which SQLite would not choose for a page (see above).
        statement = statement.with_hint(event, "INDEXED BY ix_event_start_date_id", dialect_name="sqlite")
    return statement
