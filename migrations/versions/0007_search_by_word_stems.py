"""Search matches word forms: "talk" finds "talks", "clash" finds "clashes"

SQLite: event_fts is rebuilt with the porter stemmer in front of its unicode61 tokenizer (same
options: diacritics removed); its triggers and term statistics name the table and carry over.
PostgreSQL: search_vector is remade with `timeline_english` instead of `simple`, and its GIN index
with it: a copy of the `english` configuration whose Snowball stemmer keeps stop words, as FTS5's
porter does, so that "valley or" means the same on both backends (with them dropped, "or" would
match everything on PostgreSQL and only events that say "or" on SQLite). Queries stem the same way
(app/queries/conditions.py).

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNICODE61 = "unicode61 remove_diacritics 2"
COLUMNS = "title, summary, statement_text"
SEARCHED_TEXT = "title || ' ' || summary || ' ' || coalesce(statement_text, '')"


def _sqlite_fts(tokenize: str) -> list[str]:
    return [
        "DROP TABLE event_fts_vocab",
        "DROP TABLE event_fts",
        f"""CREATE VIRTUAL TABLE event_fts USING fts5(
            {COLUMNS}, content='event', content_rowid='id', tokenize='{tokenize}'
        )""",
        "CREATE VIRTUAL TABLE event_fts_vocab USING fts5vocab(event_fts, 'row')",
        "INSERT INTO event_fts(event_fts) VALUES ('rebuild')",
    ]


# The word kinds `english` stems (the others, such as numbers and URLs, stay as `simple` keeps them).
STEMMED_WORDS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"
POSTGRESQL_CONFIGURATION = [
    "CREATE TEXT SEARCH DICTIONARY timeline_english_stem (TEMPLATE = snowball, LANGUAGE = english)",
    "CREATE TEXT SEARCH CONFIGURATION timeline_english (COPY = english)",
    f"ALTER TEXT SEARCH CONFIGURATION timeline_english ALTER MAPPING FOR {STEMMED_WORDS} WITH timeline_english_stem",
]


def _postgresql_search_vector(configuration: str) -> list[str]:
    return [
        "DROP INDEX ix_event_search_vector",
        "ALTER TABLE event DROP COLUMN search_vector",
        "ALTER TABLE event ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('{configuration}', {SEARCHED_TEXT})) STORED",
        "CREATE INDEX ix_event_search_vector ON event USING gin (search_vector)",
    ]


def upgrade() -> None:
    statements = (
        _sqlite_fts(f"porter {UNICODE61}")
        if op.get_bind().dialect.name == "sqlite"
        else POSTGRESQL_CONFIGURATION + _postgresql_search_vector("timeline_english")
    )
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = (
        _sqlite_fts(UNICODE61)
        if op.get_bind().dialect.name == "sqlite"
        else _postgresql_search_vector("simple")
        + ["DROP TEXT SEARCH CONFIGURATION timeline_english", "DROP TEXT SEARCH DICTIONARY timeline_english_stem"]
    )
    for statement in statements:
        op.execute(statement)
