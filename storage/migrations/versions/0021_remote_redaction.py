"""remote redaction: filed tracker tickets still to be rewritten with a forget's redacted text

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "remote_redaction",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("tracker", _STR(), nullable=False),
        sa.Column("receipt_id", _STR(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", _STR(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.Column("updated_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("ticket_id"),
    )
    with op.batch_alter_table("remote_redaction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remote_redaction_receipt_id"), ["receipt_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("remote_redaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remote_redaction_receipt_id"))
    op.drop_table("remote_redaction")
