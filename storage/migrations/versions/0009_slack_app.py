"""slack app: channel settings, subscriptions, posted answers, answer feedback, ticket drafts

Revision ID: 0009
Revises: 0011
Create Date: 2026-11-26 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "slack_channel_setting",
        sa.Column("team_id", _STR(), nullable=False),
        sa.Column("channel_id", _STR(), nullable=False),
        sa.Column("mention_only", sa.Boolean(), nullable=False),
        sa.Column("ephemeral", sa.Boolean(), nullable=False),
        sa.Column("default_segment", _STR(), nullable=True),
        sa.Column("updated_by", _STR(), nullable=True),
        sa.Column("updated_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "channel_id"),
    )
    op.create_table(
        "slack_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _STR(), nullable=False),
        sa.Column("channel_id", _STR(), nullable=False),
        sa.Column("user_id", _STR(), nullable=False),
        sa.Column("kind", _STR(), nullable=False),
        sa.Column("value", _STR(), nullable=False),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "channel_id", "user_id", "kind", "value", name="uq_slack_sub"),
    )
    with op.batch_alter_table("slack_subscription", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slack_subscription_channel_id"), ["channel_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_slack_subscription_user_id"), ["user_id"], unique=False)
    op.create_table(
        "slack_answer",
        sa.Column("id", _STR(), nullable=False),
        sa.Column("team_id", _STR(), nullable=False),
        sa.Column("channel_id", _STR(), nullable=False),
        sa.Column("thread_id", _STR(), nullable=True),
        sa.Column("message_ts", _STR(), nullable=True),
        sa.Column("user_id", _STR(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("headline", sa.Text(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("slack_answer", schema=None) as batch_op:
        batch_op.create_index("ix_slack_answer_user_time", ["user_id", "created_at"], unique=False)
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", _STR(), nullable=False),
        sa.Column("user_id", _STR(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["slack_answer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("answer_id", "user_id", name="uq_answer_feedback"),
    )
    with op.batch_alter_table("answer_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_answer_feedback_answer_id"), ["answer_id"], unique=False)
    op.create_table(
        "ticket_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", _STR(), nullable=False),
        sa.Column("title", _STR(), nullable=False),
        sa.Column("draft", sa.JSON(), nullable=True),
        sa.Column("requested_by", _STR(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )


def downgrade() -> None:
    op.drop_table("ticket_draft")
    with op.batch_alter_table("answer_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_answer_feedback_answer_id"))
    op.drop_table("answer_feedback")
    with op.batch_alter_table("slack_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_slack_answer_user_time")
    op.drop_table("slack_answer")
    with op.batch_alter_table("slack_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_subscription_user_id"))
        batch_op.drop_index(batch_op.f("ix_slack_subscription_channel_id"))
    op.drop_table("slack_subscription")
    op.drop_table("slack_channel_setting")
