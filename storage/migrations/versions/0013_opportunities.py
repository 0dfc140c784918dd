"""opportunities: CRM deals linked to accounts (lost pipeline)

Revision ID: 0013
Revises: 0010
Create Date: 2026-11-26 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "opportunity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", _STR(), nullable=False),
        sa.Column("external_id", _STR(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("account_ref", _STR(), nullable=True),
        sa.Column("name", _STR(), nullable=True),
        sa.Column("stage", _STR(), nullable=True),
        sa.Column("is_closed", sa.Boolean(), nullable=False),
        sa.Column("is_won", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("close_date", sa.Date(), nullable=True),
        sa.Column("loss_reason", _STR(), nullable=True),
        sa.Column("updated_at", _TIME(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "external_id", name="uq_opportunity"),
    )
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opportunity_account_id"), ["account_id"], unique=False)
        batch_op.create_index("ix_opportunity_lost", ["is_closed", "is_won", "close_date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunity_lost")
        batch_op.drop_index(batch_op.f("ix_opportunity_account_id"))
    op.drop_table("opportunity")
