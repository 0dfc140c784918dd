"""access events: every question asked (any surface) and every refused request, for `groundswell audit`

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "access_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.Column("kind", _STR(), nullable=False),
        sa.Column("surface", _STR(), nullable=False),
        sa.Column("viewer", _STR(), nullable=False),
        sa.Column("user_id", _STR(), nullable=True),
        sa.Column("action", _STR(), nullable=False),
        sa.Column("outcome", _STR(), nullable=False),
        sa.Column("reason", _STR(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("thread_id", _STR(), nullable=True),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.Column("unit_ids", sa.JSON(), nullable=True),
        sa.Column("answer_sha256", _STR(), nullable=True),
        sa.Column("latency_ms", sa.Float(), nullable=True),
        sa.Column("llm_calls", sa.Integer(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("access_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_event_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_event_surface"), ["surface"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_event_viewer"), ["viewer"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("access_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_event_viewer"))
        batch_op.drop_index(batch_op.f("ix_access_event_surface"))
        batch_op.drop_index(batch_op.f("ix_access_event_created_at"))
    op.drop_table("access_event")
