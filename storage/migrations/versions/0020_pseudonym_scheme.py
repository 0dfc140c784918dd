"""pseudonym scheme: 64-bit tokens; existing 16-bit ones are marked for re-key

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 15:05:00

Existing vault rows get ``scheme = 1`` (16-bit tokens). The migration cannot re-key them itself: that needs the
PII key to read each original. ``Runtime.engine`` runs ``storage.rekey.rekey_pseudonyms`` right after migrating
whenever scheme-1 rows with an original remain (also ``groundswell privacy rekey``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pseudonym", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheme", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("pseudonym", schema=None) as batch_op:
        batch_op.drop_column("scheme")
