"""label quality: per-theme precision of the classifier on the reviewed gold set (eval gold)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 11:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "label_quality",
        sa.Column("taxonomy_version", sa.Integer(), nullable=False),
        sa.Column("gold_set", _STR(), nullable=False),
        sa.Column("theme_key", _STR(), nullable=False),
        sa.Column("predicted", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("measured_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("taxonomy_version", "gold_set", "theme_key"),
    )


def downgrade() -> None:
    op.drop_table("label_quality")
