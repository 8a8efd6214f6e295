"""Word search: the events whose text holds a search's terms, from the database's full-text index.

`view_matches` (app/queries/matches.py) turns the matches into a bitmap of the event index's places
and intersects it with the view's other conditions; on PostgreSQL the most common words' events are
kept with the index instead (app/queries/common_words.py)."""

from sqlalchemy import Select, bindparam, column, func, literal_column, select, table

from app.filters import SearchTerm
from app.queries.tables import event

# PostgreSQL's text search configuration, the one search_vector is built with: `english` keeping
# stop words (migration 0007).
SEARCH_CONFIGURATION = "timeline_english"


def text_match(terms: list[SearchTerm], dialect: str) -> Select:
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
        return select(fts.c.rowid).where(match)
    match = literal_column("search_vector").op("@@")(term_query(" & ".join(map(tsquery_expression, terms))))
    return select(event.c.id).where(match)


def term_query(expression: str):
    """PostgreSQL's query of a tsquery expression, its words stemmed as search_vector's are."""
    return func.to_tsquery(SEARCH_CONFIGURATION, expression)


def tsquery_expression(term: SearchTerm) -> str:
    """A term as a tsquery expression: a phrase's words one after another, a prefix marked."""
    return " <-> ".join(term.text.lower().split()) + (":*" if term.prefix else "")
