"""Countries an event concerns without being a party, and whether a source's title is its headline

event_country gains a role: 'party' (the event involves the country) or 'concerns' (it bears on the
country directly, as China's export controls bear on India). Filters, facets and relation pages
read both, so a pair's view holds what concerns the pair; pages show the two apart. Sources (and
statements' sources) say whether their title is the publisher's headline, checked on the page,
or a description written for the dataset.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event_country") as batch:
        batch.add_column(sa.Column("role", sa.String(length=8), nullable=False, server_default="party"))
        batch.create_check_constraint("ck_event_country_role", "role IN ('party', 'concerns')")
    with op.batch_alter_table("source") as batch:
        batch.add_column(sa.Column("headline", sa.Boolean(), nullable=True))
    with op.batch_alter_table("statement") as batch:
        batch.add_column(sa.Column("source_headline", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statement") as batch:
        batch.drop_column("source_headline")
    with op.batch_alter_table("source") as batch:
        batch.drop_column("headline")
    with op.batch_alter_table("event_country") as batch:
        batch.drop_constraint("ck_event_country_role", type_="check")
        batch.drop_column("role")
