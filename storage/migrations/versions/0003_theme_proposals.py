"""theme proposals (review queue) and taxonomy reprocess checkpoints

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "theme_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _STR(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=True),
        sa.Column("example_unit_ids", sa.JSON(), nullable=True),
        sa.Column("examples", sa.JSON(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("suggested_parent", _STR(), nullable=True),
        sa.Column("taxonomy_version", sa.Integer(), nullable=True),
        sa.Column("status", _STR(), nullable=False),
        sa.Column("theme_key", _STR(), nullable=True),
        sa.Column("decided_by", _STR(), nullable=True),
        sa.Column("decided_at", _TIME(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("theme_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_theme_proposal_status"), ["status"], unique=False)
    op.create_table(
        "taxonomy_reprocess",
        sa.Column("to_version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("from_version", sa.Integer(), nullable=False),
        sa.Column("after_unit_id", _STR(), nullable=True),
        sa.Column("migrated", sa.Integer(), nullable=False),
        sa.Column("needs_review", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("updated_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("to_version"),
    )


def downgrade() -> None:
    op.drop_table("taxonomy_reprocess")
    with op.batch_alter_table("theme_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_proposal_status"))
    op.drop_table("theme_proposal")
