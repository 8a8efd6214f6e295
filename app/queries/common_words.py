"""The events of the data's most common words, kept with the event index on PostgreSQL.

PostgreSQL's full-text (GIN) index finds a word's events but cannot give their ids without reading
their rows: at 1M events, "talks" (in 306k of them) costs 450 ms, each worker once per word and data
version. So every ingest keeps, beside the event index it stores, the ids of the events of each word
stem in at least MIN_EVENTS events, as a bitmap; a search for such a word intersects bitmaps instead
(about 10 ms). SQLite's FTS5 reads the same word's ids from its own index in 33 ms: there nothing
is kept.

Which words: those PostgreSQL's statistics (ANALYZE, which every ingest runs before this) estimate
in at least MIN_EVENTS events, as stems (search_vector's lexemes). The rule that keeps each bitmap
exact: an ingest knows the events it wrote; from the bitmaps stored for the version just before,
those events are taken out, then put back in the bitmaps of the words their text now holds. A word
new to the list, or any ingest after another version than the one just before, reads the word's
events whole (one scan of the table for all such words: 30 s at 1M events, once), and a kept word
leaves the list only once it is in fewer than half MIN_EVENTS events. At 1M events the list holds
62 words in 5 MB, and an ingest of 1,000 events updates them in 0.08 s. A
migration that changes search_vector (its text or its configuration) must bump the data version,
so that the next ingest reads every word whole and workers stop using the stored bitmaps.
"""

import re
from collections.abc import Sequence

import numpy as np
from pyroaring import BitMap
from sqlalchemy import Connection, String, cast, select, text
from sqlmodel import Session

from app.filters import SearchTerm
from app.queries.aggregates import bitmap, numbers
from app.queries.text_search import term_query, tsquery_expression

# A word in fewer events is read from the full-text index in under about 15 ms (1.5 µs an event).
MIN_EVENTS = 10_000

_STATISTICS = text(
    "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
    "WHERE schemaname = current_schema() AND tablename = 'event' AND attname = 'search_vector' AND NOT inherited"
)
_EVENTS_OF_WORDS = (
    "SELECT word.lexeme, string_agg(event.id::text, ',') FROM event, unnest(event.search_vector) AS word "
    "WHERE word.lexeme = ANY(:words) {written} GROUP BY word.lexeme"
)
# A term that PostgreSQL turns into one stem, neither a prefix nor a phrase: `'talk'`.
_ONE_STEM = re.compile(r"'([^']+)'")


def common_words_after(
    connection: Connection, previous: dict[str, BitMap] | None, written_ids: Sequence[int], event_count: int
) -> dict[str, BitMap]:
    """The common words' events as this transaction leaves the data, from the ones stored for the
    version before (`previous`, None if that is not the one stored) and the ids of the events the
    ingest wrote."""
    if not event_count:
        return {}
    kept = dict(previous or {})
    if kept and written_ids:
        written = BitMap(written_ids)
        now = _events_of_words(connection, list(kept), written_ids)
        kept = {word: (ids - written) | now.get(word, BitMap()) for word, ids in kept.items()}
    # A kept word stays while it is in half as many events: the statistics are a sample, and a word
    # near the line would otherwise leave and come back, each time read whole.
    kept = {word: ids for word, ids in kept.items() if len(ids) * 2 >= MIN_EVENTS}
    fresh = [word for word in _common_in_statistics(connection, event_count) if word not in kept]
    return kept | (_events_of_words(connection, fresh) if fresh else {})


def _common_in_statistics(connection: Connection, event_count: int) -> list[str]:
    row = connection.execute(_STATISTICS).one_or_none()
    if row is None or row[0] is None:
        return []
    words, shares = row
    # The shares end with three more figures (the least and greatest share, the share of nulls).
    return sorted(word for word, share in zip(words, shares, strict=False) if share * event_count >= MIN_EVENTS)


def _events_of_words(
    connection: Connection, words: list[str], written_ids: Sequence[int] | None = None
) -> dict[str, BitMap]:
    written = "AND event.id = ANY(:written)" if written_ids is not None else ""
    statement = text(_EVENTS_OF_WORDS.format(written=written))
    parameters = {"words": words} | ({"written": list(written_ids)} if written_ids is not None else {})
    return {word: bitmap(np.sort(numbers(ids))) for word, ids in connection.execute(statement, parameters)}


def stems(session: Session, terms: list[SearchTerm]) -> list[str | None]:
    """Each term's one word stem as PostgreSQL's search stems it, or None for a prefix, a phrase or
    a term of no word."""
    expressions = [cast(term_query(tsquery_expression(term)), String) for term in terms]
    queries = session.execute(select(*expressions)).one()
    return [match.group(1) if (match := _ONE_STEM.fullmatch(query)) else None for query in queries]
