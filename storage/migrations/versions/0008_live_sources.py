"""live sources: schema drift events and push idempotency keys

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-26 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "schema_drift_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", _STR(), nullable=False),
        sa.Column("path", _STR(), nullable=False),
        sa.Column("problem", _STR(), nullable=False),
        sa.Column("expected", _STR(), nullable=False),
        sa.Column("found", _STR(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=True),
        sa.Column("first_seen_at", _TIME(), nullable=False),
        sa.Column("last_seen_at", _TIME(), nullable=False),
        sa.Column("resolved_at", _TIME(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "path", "problem", name="uq_drift_field"),
    )
    with op.batch_alter_table("schema_drift_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schema_drift_event_source"), ["source"], unique=False)
    op.create_table(
        "push_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", _STR(), nullable=False),
        sa.Column("idempotency_key", _STR(), nullable=False),
        sa.Column("body_sha256", _STR(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "idempotency_key", name="uq_push_key"),
    )
    with op.batch_alter_table("push_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_push_request_source"), ["source"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("push_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_push_request_source"))
    op.drop_table("push_request")
    with op.batch_alter_table("schema_drift_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schema_drift_event_source"))
    op.drop_table("schema_drift_event")
