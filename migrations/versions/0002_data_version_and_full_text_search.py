"""Data version for caches, and full-text search over titles and summaries

SQLite: an FTS5 table that mirrors event(title, summary), kept in step by triggers.
PostgreSQL: a generated tsvector column with a GIN index.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_FTS = [
    """CREATE VIRTUAL TABLE event_fts USING fts5(
        title, summary, content='event', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )""",
    # Document frequencies per term: the query planner reads them to judge how common a word is.
    "CREATE VIRTUAL TABLE event_fts_vocab USING fts5vocab(event_fts, 'row')",
    """CREATE TRIGGER event_fts_insert AFTER INSERT ON event BEGIN
        INSERT INTO event_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary);
    END""",
    """CREATE TRIGGER event_fts_delete AFTER DELETE ON event BEGIN
        INSERT INTO event_fts(event_fts, rowid, title, summary) VALUES ('delete', old.id, old.title, old.summary);
    END""",
    """CREATE TRIGGER event_fts_update AFTER UPDATE OF title, summary ON event BEGIN
        INSERT INTO event_fts(event_fts, rowid, title, summary) VALUES ('delete', old.id, old.title, old.summary);
        INSERT INTO event_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary);
    END""",
    "INSERT INTO event_fts(event_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("max_span_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    span = "julianday(last_date) - julianday(start_date)" if sqlite else "last_date - start_date"
    op.execute(
        "INSERT INTO data_version (id, version, changed_at, max_span_days) "
        f"SELECT 1, 0, CURRENT_TIMESTAMP, CAST(COALESCE(MAX({span}), 0) AS INTEGER) FROM event"
    )
    if sqlite:
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(
            "ALTER TABLE event ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', title || ' ' || summary)) STORED"
        )
        op.execute("CREATE INDEX ix_event_search_vector ON event USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("event_fts_insert", "event_fts_delete", "event_fts_update"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE event_fts_vocab")
        op.execute("DROP TABLE event_fts")
    else:
        op.execute("DROP INDEX ix_event_search_vector")
        op.execute("ALTER TABLE event DROP COLUMN search_vector")
    op.drop_table("data_version")
