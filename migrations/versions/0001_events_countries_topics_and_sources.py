"""events, countries, topics and sources

Revision ID: 0001
Revises:

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "country",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "event",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(length=5), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_precision", sa.String(length=5), nullable=True),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("tone", sa.Integer(), nullable=True),
        sa.Column("importance", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("date_precision IN ('day', 'month', 'year')", name="ck_event_date_precision"),
        sa.CheckConstraint("importance BETWEEN 1 AND 3", name="ck_event_importance"),
        sa.CheckConstraint("tone BETWEEN -2 AND 2", name="ck_event_tone"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_last_date"), ["last_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_slug"), ["slug"], unique=True)
        batch_op.create_index("ix_event_start_date_id", ["start_date", "id"], unique=False)

    op.create_table(
        "topic",
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "event_country",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_code"],
            ["country.code"],
        ),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "country_code"),
    )
    with op.batch_alter_table("event_country", schema=None) as batch_op:
        batch_op.create_index("ix_event_country_country_event", ["country_code", "event_id"], unique=False)

    op.create_table(
        "event_topic",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("topic_slug", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["topic_slug"],
            ["topic.slug"],
        ),
        sa.PrimaryKeyConstraint("event_id", "topic_slug"),
    )
    with op.batch_alter_table("event_topic", schema=None) as batch_op:
        batch_op.create_index("ix_event_topic_topic_event", ["topic_slug", "event_id"], unique=False)

    op.create_table(
        "source",
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=True),
        sa.Column("published_date", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_event_id"), ["event_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_event_id"))

    op.drop_table("source")
    with op.batch_alter_table("event_topic", schema=None) as batch_op:
        batch_op.drop_index("ix_event_topic_topic_event")

    op.drop_table("event_topic")
    with op.batch_alter_table("event_country", schema=None) as batch_op:
        batch_op.drop_index("ix_event_country_country_event")

    op.drop_table("event_country")
    op.drop_table("topic")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_start_date_id")
        batch_op.drop_index(batch_op.f("ix_event_slug"))
        batch_op.drop_index(batch_op.f("ix_event_last_date"))

    op.drop_table("event")
    op.drop_table("country")
