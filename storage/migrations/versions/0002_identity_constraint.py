"""identity constraints: human keep-apart / same decisions that resolution respects

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identity_constraint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_a", sa.Integer(), nullable=False),
        sa.Column("person_b", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_a", "person_b", "kind", name="uq_identity_constraint"),
    )
    with op.batch_alter_table("identity_constraint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_constraint_person_a"), ["person_a"], unique=False)
        batch_op.create_index(batch_op.f("ix_identity_constraint_person_b"), ["person_b"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("identity_constraint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_constraint_person_b"))
        batch_op.drop_index(batch_op.f("ix_identity_constraint_person_a"))
    op.drop_table("identity_constraint")
