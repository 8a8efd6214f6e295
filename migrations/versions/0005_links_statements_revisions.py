"""Links between events, each party's statements, and the revision history of every event

Full-text search also covers statements: ingest writes an event's statements as one text into
event.statement_text, and the index takes it with the title and summary. SQLite: event_fts is
rebuilt with a third column and its triggers follow it. PostgreSQL: the generated search_vector
column is remade to include it.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sqlite_fts(columns: list[str]) -> list[str]:
    """event_fts over the given event columns, its term statistics, and the triggers that keep it in step.

    New events are added by ingest in bulk (migration 0003); updates and deletes go through triggers.
    """
    names = ", ".join(columns)
    old = ", ".join(f"old.{name}" for name in columns)
    new = ", ".join(f"new.{name}" for name in columns)
    return [
        f"""CREATE VIRTUAL TABLE event_fts USING fts5(
            {names}, content='event', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        )""",
        "CREATE VIRTUAL TABLE event_fts_vocab USING fts5vocab(event_fts, 'row')",
        f"""CREATE TRIGGER event_fts_delete AFTER DELETE ON event BEGIN
            INSERT INTO event_fts(event_fts, rowid, {names}) VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER event_fts_update AFTER UPDATE OF {names} ON event BEGIN
            INSERT INTO event_fts(event_fts, rowid, {names}) VALUES ('delete', old.id, {old});
            INSERT INTO event_fts(rowid, {names}) VALUES (new.id, {new});
        END""",
        "INSERT INTO event_fts(event_fts) VALUES ('rebuild')",
    ]


SQLITE_DROP_FTS = [
    "DROP TRIGGER event_fts_delete",
    "DROP TRIGGER event_fts_update",
    "DROP TABLE event_fts_vocab",
    "DROP TABLE event_fts",
]


def _postgresql_search_vector(expression: str) -> list[str]:
    return [
        "DROP INDEX ix_event_search_vector",
        "ALTER TABLE event DROP COLUMN search_vector",
        "ALTER TABLE event ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('simple', {expression})) STORED",
        "CREATE INDEX ix_event_search_vector ON event USING gin (search_vector)",
    ]


def upgrade() -> None:
    op.add_column("event", sa.Column("statement_text", sa.Text(), nullable=True))
    op.create_table(
        "event_link",
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("type IN ('led_to', 'response_to', 'follow_up_of', 'part_of')", name="ck_event_link_type"),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "target_id"),
    )
    op.create_index("ix_event_link_target_id", "event_link", ["target_id"])
    op.create_table(
        "statement",
        sa.Column("party", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("said_on", sa.Date(), nullable=True),
        sa.Column("said_on_precision", sa.String(length=5), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("party_country", sa.String(length=2), nullable=True),
        sa.Column("source_url", sa.String(length=2000), nullable=False),
        sa.Column("source_title", sa.String(length=300), nullable=False),
        sa.Column("source_publisher", sa.String(length=200), nullable=True),
        sa.Column("source_published_date", sa.Date(), nullable=True),
        sa.CheckConstraint("said_on_precision IN ('day', 'month', 'year')", name="ck_statement_said_on_precision"),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["party_country"], ["country.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_statement_event_id", "statement", ["event_id"])
    op.create_table(
        "revision",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_revision_event_id_number", "revision", ["event_id", "number"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DROP_FTS + _sqlite_fts(["title", "summary", "statement_text"]):
            op.execute(statement)
    else:
        expression = "title || ' ' || summary || ' ' || coalesce(statement_text, '')"
        for statement in _postgresql_search_vector(expression):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DROP_FTS:
            op.execute(statement)
    else:
        for statement in _postgresql_search_vector("title || ' ' || summary"):
            op.execute(statement)
    op.drop_index("ix_revision_event_id_number", table_name="revision")
    op.drop_table("revision")
    op.drop_index("ix_statement_event_id", table_name="statement")
    op.drop_table("statement")
    op.drop_index("ix_event_link_target_id", table_name="event_link")
    op.drop_table("event_link")
    op.drop_column("event", "statement_text")
    if op.get_bind().dialect.name == "sqlite":
        # After the column is gone: the rebuilt index reads only what it indexes.
        for statement in _sqlite_fts(["title", "summary"]):
            op.execute(statement)
