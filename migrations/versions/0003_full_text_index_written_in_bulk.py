"""Full-text index rows for new events are written by ingest in bulk, not by a trigger per row

A per-row trigger cost SQLite about 80 µs an event (an FTS5 insert each); the ingest now adds
the new events of each chunk to event_fts with one INSERT … SELECT. Updates and deletes keep
their triggers. PostgreSQL's generated tsvector column needs nothing.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER event_fts_insert")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            """CREATE TRIGGER event_fts_insert AFTER INSERT ON event BEGIN
                INSERT INTO event_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary);
            END"""
        )
