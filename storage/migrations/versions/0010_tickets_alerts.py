"""tickets with drafts, owners and Slack threads; spike alerts, snoozes and suppressions; the scheduler's job store

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STR = sqlmodel.sql.sqltypes.AutoString
_TIME = sqlmodel.sql.sqltypes.UTCDateTime
_TICKET_COLUMNS = (
    ("team", _STR, True, None),
    ("tracker_status", _STR, True, None),
    ("dedupe_key", _STR, False, ""),
    ("draft", sa.JSON, True, None),
    ("last_error", _STR, True, None),
    ("attempts", sa.Integer, False, "0"),
    ("slack_channel", _STR, True, None),
    ("slack_thread_ts", _STR, True, None),
    ("closed_at", _TIME, True, None),
    ("close_notified_at", _TIME, True, None),
)


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        for name, kind, nullable, default in _TICKET_COLUMNS:
            batch_op.add_column(sa.Column(name, kind(), nullable=nullable, server_default=default))
        batch_op.create_index(batch_op.f("ix_ticket_dedupe_key"), ["dedupe_key"], unique=False)
        batch_op.create_index("ix_ticket_dedupe_status", ["dedupe_key", "status"], unique=False)
    op.create_table(
        "spike_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", _STR(), nullable=False),
        sa.Column("scope_key", _STR(), nullable=False),
        sa.Column("theme_key", _STR(), nullable=True),
        sa.Column("segment", _STR(), nullable=True),
        sa.Column("source", _STR(), nullable=True),
        sa.Column("status", _STR(), nullable=False),
        sa.Column("thread_ts", _STR(), nullable=True),
        sa.Column("observed", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("spread", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("updates", sa.Integer(), nullable=False),
        sa.Column("started_at", _TIME(), nullable=False),
        sa.Column("last_seen_at", _TIME(), nullable=False),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_spike_alert_scope", "spike_alert", ["channel", "scope_key", "status"], unique=False)
    op.create_table(
        "alert_snooze",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", _STR(), nullable=False),
        sa.Column("theme_key", _STR(), nullable=False),
        sa.Column("until", _TIME(), nullable=False),
        sa.Column("created_by", _STR(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alert_snooze_channel_theme", "alert_snooze", ["channel", "theme_key"], unique=False)
    op.create_table(
        "alert_suppression",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", _STR(), nullable=False),
        sa.Column("scope_key", _STR(), nullable=False),
        sa.Column("theme_key", _STR(), nullable=True),
        sa.Column("reason", _STR(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("rolled_up_at", _TIME(), nullable=True),
        sa.Column("created_at", _TIME(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alert_suppression_channel_time", "alert_suppression", ["channel", "created_at"], unique=False)
    # APScheduler's SQLAlchemyJobStore table, exactly as it would create it (here, so workers never race to)
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(191), nullable=False),
        sa.Column("next_run_time", sa.Float(25), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_apscheduler_jobs_next_run_time", "apscheduler_jobs", ["next_run_time"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_apscheduler_jobs_next_run_time", table_name="apscheduler_jobs")
    op.drop_table("apscheduler_jobs")
    op.drop_index("ix_alert_suppression_channel_time", table_name="alert_suppression")
    op.drop_table("alert_suppression")
    op.drop_index("ix_alert_snooze_channel_theme", table_name="alert_snooze")
    op.drop_table("alert_snooze")
    op.drop_index("ix_spike_alert_scope", table_name="spike_alert")
    op.drop_table("spike_alert")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_dedupe_status")
        batch_op.drop_index(batch_op.f("ix_ticket_dedupe_key"))
        for name, *_ in reversed(_TICKET_COLUMNS):
            batch_op.drop_column(name)
