"""budget counters (API rate buckets, LLM spend) shared by runs and workers; stale/failing-source alert marks

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "budget_counter",
        sa.Column("key", _STR(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("stamp", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("syncstate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stale_alert_mark", _STR(), nullable=True))
        batch_op.add_column(sa.Column("failure_alert_mark", _STR(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("syncstate", schema=None) as batch_op:
        batch_op.drop_column("failure_alert_mark")
        batch_op.drop_column("stale_alert_mark")
    op.drop_table("budget_counter")
