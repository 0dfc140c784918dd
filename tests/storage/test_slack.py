"""The Slack app's tables on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from groundswell.storage.db import session_scope
from groundswell.storage.slack import (
    add_subscription,
    count_quality,
    get_answer,
    get_channel_setting,
    list_feedback,
    list_recent_answers,
    list_subscriptions,
    record_feedback,
    remove_subscriptions,
    save_answer,
    save_ticket_draft,
    thread_has_answer,
    update_channel_setting,
)


def test_channel_settings_default_then_change(engine):
    with session_scope(engine) as session:
        default = get_channel_setting(session=session, team_id="T", channel_id="C")
        assert (default.mention_only, default.ephemeral, default.default_segment) == (False, False, None)
        update_channel_setting(session=session, team_id="T", channel_id="C", updated_by="U", ephemeral=True,
                               default_segment="Enterprise")  # fmt: skip
    with session_scope(engine) as session:
        update_channel_setting(session=session, team_id="T", channel_id="C", updated_by="U", mention_only=True)
    with session_scope(engine) as session:
        row = get_channel_setting(session=session, team_id="T", channel_id="C")
        assert (row.mention_only, row.ephemeral, row.default_segment) == (True, True, "Enterprise")
        update_channel_setting(session=session, team_id="T", channel_id="C", updated_by="U", default_segment=None)
        assert get_channel_setting(session=session, team_id="T", channel_id="C").default_segment is None


def test_subscriptions_are_idempotent_and_removable(engine):
    with session_scope(engine) as session:
        assert add_subscription(session=session, team_id="T", channel_id="C", user_id="U", kind="theme", value="a")[1]
        assert not add_subscription(session=session, team_id="T", channel_id="C", user_id="U", kind="theme",
                                    value="a")[1]  # fmt: skip
        add_subscription(session=session, team_id="T", channel_id="C", user_id="U", kind="segment", value="SMB")
        add_subscription(session=session, team_id="T", channel_id="C2", user_id="U", kind="segment", value="SMB")
    with session_scope(engine) as session:
        assert remove_subscriptions(session=session, team_id="T", channel_id="C", user_id="U", value="a") == 1
        assert [s.value for s in list_subscriptions(session=session, user_id="U")] == ["SMB", "SMB"]
        assert remove_subscriptions(session=session, team_id="T", channel_id="C", user_id="U") == 1
        assert [s.channel_id for s in list_subscriptions(session=session, channel_id="C2")] == ["C2"]


def test_answers_feedback_and_recent(engine):
    with session_scope(engine) as session:
        for i in range(3):
            save_answer(session=session, answer_id=f"a{i}", team_id="T", channel_id="C", user_id="U",
                        answer={"question": f"q{i}", "headline": f"h{i}"}, thread_id=f"T:C:{i}")  # fmt: skip
    with session_scope(engine) as session:
        assert get_answer(session=session, answer_id="a1").headline == "h1"
        assert len(list_recent_answers(session=session, user_id="U", limit=2)) == 2
        assert thread_has_answer(session=session, thread_id="T:C:2") and not thread_has_answer(
            session=session, thread_id="T:C:9")  # fmt: skip
        record_feedback(session=session, answer_id="a1", user_id="U", rating=-1)
        record_feedback(session=session, answer_id="a1", user_id="U", rating=1)
        with pytest.raises(ValueError, match="rating"):
            record_feedback(session=session, answer_id="a1", user_id="U", rating=5)
    with session_scope(engine) as session:
        assert [(f.answer_id, f.rating, f.question) for f in list_feedback(session=session)] == [("a1", 1, "q1")]


def test_ticket_drafts_once_per_key(engine):
    with session_scope(engine) as session:
        first, created = save_ticket_draft(session=session, idempotency_key="k", title="t", draft={"a": 1},
                                           requested_by="U")  # fmt: skip
        again, created_again = save_ticket_draft(session=session, idempotency_key="k", title="t", draft={},
                                                 requested_by="U")  # fmt: skip
        assert created and not created_again and first.id == again.id


def test_quality_counts_without_taxonomy(engine):
    with session_scope(engine) as session:
        assert count_quality(session=session, version=None).classified == 0
        assert count_quality(session=session, version=1).needs_review == 0


def test_migration_0009_matches_the_models_and_downgrades(engine):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from groundswell.storage.db import MIGRATIONS
    from sqlalchemy import inspect
    from sqlmodel import SQLModel

    mine = {"slack_channel_setting", "slack_subscription", "slack_answer", "answer_feedback", "ticket_draft"}
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                 SQLModel.metadata)  # fmt: skip
    touching = [d for d in diffs if any(f"'{name}'" in repr(d) for name in mine)]
    assert touching == []
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0005")
    assert not mine & set(inspect(engine).get_table_names())
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    assert mine <= set(inspect(engine).get_table_names())
