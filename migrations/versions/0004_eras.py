"""Eras: named periods with a start and an end, for the countries they concern; an index for the overview

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "era",
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("date_precision", sa.String(length=5), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("end_precision", sa.String(length=5), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_table(
        "era_country",
        sa.Column("era_slug", sa.String(length=120), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(["country_code"], ["country.code"]),
        sa.ForeignKeyConstraint(["era_slug"], ["era.slug"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("era_slug", "country_code"),
    )
    # The overview's grouped query reads only these columns of each event (see queries.overview).
    op.create_index("ix_event_overview", "event", ["start_date", "date_precision", "tone"])


def downgrade() -> None:
    op.drop_index("ix_event_overview", table_name="event")
    op.drop_table("era_country")
    op.drop_table("era")
