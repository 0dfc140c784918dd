"""privacy forget: suppression list (hashed identifiers) and erasure receipts

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "suppression_entry",
        sa.Column("digest", _STR(), nullable=False),
        sa.Column("kind", _STR(), nullable=False),
        sa.Column("receipt_id", _STR(), nullable=True),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("last_hit_at", _TIME(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )
    with op.batch_alter_table("suppression_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suppression_entry_receipt_id"), ["receipt_id"], unique=False)
    op.create_table(
        "erasure_receipt",
        sa.Column("id", _STR(), nullable=False),
        sa.Column("actor", _STR(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.Column("suppressed", sa.Integer(), nullable=False),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("erasure_receipt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_receipt_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("erasure_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_receipt_created_at"))
    op.drop_table("erasure_receipt")
    with op.batch_alter_table("suppression_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suppression_entry_receipt_id"))
    op.drop_table("suppression_entry")
