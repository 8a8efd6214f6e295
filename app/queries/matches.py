"""A view's events: the event index's bitmaps for its filter, intersected with its word search.

Every filtered read (totals, facets, months, pages, counts either way) asks `view_matches`.
"""

import operator
from functools import reduce

import numpy as np
from pyroaring import BitMap
from sqlalchemy import select
from sqlmodel import Session

from app.filters import SearchTerm, TimelineFilter
from app.queries.aggregates import joined, numbers
from app.queries.common_words import stems
from app.queries.event_index import event_index
from app.queries.text_search import text_match
from app.queries.versioned import cached

# A word search tests a view's other matches one by one when they are at most this many, and at most
# one event in CANDIDATE_SHARE of the data (see `view_matches`). Measured at 1M events: PostgreSQL
# tests an event in about 8 µs but reads a common word's matches in 450 ms (from the table, unless it
# is one of the common words the index keeps); SQLite's FTS5 reads them in 33 ms but tests an event
# in 40 µs, so it always reads them.
FEW_CANDIDATES = {"postgresql": 5000}
CANDIDATE_SHARE = 20


def view_matches(session: Session, timeline_filter: TimelineFilter) -> BitMap:
    """The places of a view's events.

    A word search is intersected with the view's other matches. On PostgreSQL, when every term is
    one of the common words the index keeps, their bitmaps are; else, when the other matches are
    few, only their events are tested for the words: cheaper than reading every event a common word
    matches. Otherwise the words' matches are read once and kept, for every view that searches them.
    A request asks several times (its total, facets, page, counts either way): its session keeps them."""
    key = timeline_filter.replace(order="asc")
    kept = session.info.setdefault("view matches", {})
    if key not in kept:
        kept[key] = _view_matches(session, key)
    return kept[key]


def _view_matches(session: Session, timeline_filter: TimelineFilter) -> BitMap:
    index = event_index(session)
    matches = index.matches(timeline_filter)
    if not timeline_filter.terms:
        return matches
    few = FEW_CANDIDATES.get(session.get_bind().dialect.name, 0)
    kept = _kept_ids(session, timeline_filter.terms)
    if kept is None and len(matches) <= few and len(matches) * CANDIDATE_SHARE <= index.size:
        return index.places_of(_ids_of_words(session, timeline_filter.terms, among=index.ids_of(matches)))
    return matches & word_places(session, timeline_filter.terms)


def word_places(session: Session, terms: list[SearchTerm]) -> BitMap:
    """The places of the events whose text holds every term (kept like a count): from the index when
    every term is a common word, else from the full-text index, all the terms in one query as
    PostgreSQL reads them together (a term of no word is dropped from a search with others, but
    matches nothing alone)."""

    def compute() -> BitMap:
        kept = _kept_ids(session, terms)
        ids = _ids_of_words(session, terms) if kept is None else np.frombuffer(kept.to_array(), dtype=np.uint32)
        return event_index(session).places_of(ids.astype(np.int64, copy=False))

    return cached(session, ("words", tuple(terms)), compute)


def _kept_ids(session: Session, terms: list[SearchTerm]) -> BitMap | None:
    """The ids of the events holding every term, when each is a common word the index keeps; else None."""
    common_words = event_index(session).common_words
    term_stems = _stems(session, terms)
    if not all(stem in common_words for stem in term_stems):
        return None
    return reduce(operator.and_, [common_words[stem] for stem in term_stems])


def _ids_of_words(session: Session, terms: list[SearchTerm], among: list[int] | None = None) -> np.ndarray:
    """The ids of the events whose text holds every term (of those `among`, if given)."""
    statement = text_match(terms, session.get_bind().dialect.name)
    if among is not None:
        statement = statement.where(statement.selected_columns[0].in_(among))
    matches = statement.subquery()
    return numbers(session.execute(select(joined(matches.c[0], ","))).scalar_one())


def _stems(session: Session, terms: list[SearchTerm]) -> list[str | None]:
    """The terms' word stems where common words are kept (see common_words.py), else None each."""
    if not event_index(session).common_words:
        return [None] * len(terms)
    return cached(session, ("stems", tuple(terms)), lambda: stems(session, terms))
