"""The one query builder: the WHERE clauses that select a filter's events.

Every read of a filtered view (pages, fragments, the JSON API, every export, counts, facets and the
overview) selects through `event_conditions`; app/queries/planner.py chooses how they are applied.
"""

from datetime import date, timedelta

from sqlalchemy import ColumnElement, bindparam, column, exists, func, literal_column, select, table

from app.filters import SearchTerm, TimelineFilter
from app.queries.tables import event, event_country, event_topic

# PostgreSQL's text search configuration, the one search_vector is built with: `english` keeping
# stop words (migration 0007).
SEARCH_CONFIGURATION = "timeline_english"


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
        conditions.append(text_match(timeline_filter.terms, dialect, correlated=True))
    if timeline_filter.importance is not None:
        conditions.append(event.c.importance <= timeline_filter.importance)
    return conditions


def text_match(terms: list[SearchTerm], dialect: str, correlated: bool):
    """Events whose title, summary or statements hold every term: SQLite FTS5, PostgreSQL tsvector
    (both index event.statement_text beside the title and summary, see migration 0005).

    Both compare word stems (migration 0007): FTS5's porter tokenizer stems the query's words as it
    stemmed the text, and PostgreSQL's `english` stemmer does the same for both, so "talk"
    finds "talks". A prefix is stemmed too: "talks*" finds "talking", but a prefix cut inside a
    suffix ("negotia*") misses the stem "negoti", on both backends alike."""
    if dialect == "sqlite":
        expression = " AND ".join(f'"{term.text}"' + ("*" if term.prefix else "") for term in terms)
        fts = table("event_fts", column("rowid"))
        match = literal_column("event_fts").op("MATCH")(bindparam("fts_query", expression))
        if correlated:
            return exists().select_from(fts).where(match, fts.c.rowid == event.c.id)
        return select(fts.c.rowid).where(match)
    expression = " & ".join(" <-> ".join(term.text.lower().split()) + (":*" if term.prefix else "") for term in terms)
    match = literal_column("search_vector").op("@@")(func.to_tsquery(SEARCH_CONFIGURATION, expression))
    return match if correlated else select(event.c.id).where(match)
