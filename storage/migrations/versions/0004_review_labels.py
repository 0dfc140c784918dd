"""review labels: human labels for units (training examples and gold data)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "review_label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", _STR(), nullable=False),
        sa.Column("taxonomy_version", sa.Integer(), nullable=False),
        sa.Column("theme_key", _STR(), nullable=True),
        sa.Column("sentiment", _STR(), nullable=True),
        sa.Column("intent", _STR(), nullable=True),
        sa.Column("severity", _STR(), nullable=True),
        sa.Column("reviewer", _STR(), nullable=False),
        sa.Column("gold_set", _STR(), nullable=False),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["feedback_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_label", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_label_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index("ix_review_label_set_version", ["gold_set", "taxonomy_version"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("review_label", schema=None) as batch_op:
        batch_op.drop_index("ix_review_label_set_version")
        batch_op.drop_index(batch_op.f("ix_review_label_unit_id"))
    op.drop_table("review_label")
