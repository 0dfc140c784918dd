"""`groundswell ask` is audited (plan, unit ids, counts, answer hash, redacted question); `audit list|show|purge`."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from groundswell.cli.common import actor_name
from groundswell.cli.main import app
from groundswell.core.errors import ConfigurationError
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import AccessEvent
from sqlmodel import select
from typer.testing import CliRunner

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings
from tests.bot.answers import ScriptedAsker

QUESTION = "top themes raised by jane.doe@example.com?"


@pytest.fixture
def scripted(tmp_path, monkeypatch) -> ScriptedAsker:
    """The CLI over a fresh data dir, the agent replaced by a scripted one (the audit wrapper is the real one)."""
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    asker = ScriptedAsker()
    monkeypatch.setattr(Runtime, "raw_agent", property(lambda self: asker))
    return asker


def _run(*args: str) -> dict:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _events() -> list[AccessEvent]:
    with session_scope(build_runtime(Settings()).engine) as session:
        return list(session.exec(select(AccessEvent).order_by(AccessEvent.id)))  # type: ignore[arg-type]


def test_cli_ask_records_one_event_with_plan_units_counts_and_hash(scripted):
    printed = _run("ask", QUESTION)
    (event,) = _events()
    assert (event.kind, event.surface, event.viewer, event.outcome) == ("question", "cli", "cli", "answered")
    assert event.user_id == actor_name(None)  # the OS user who ran it
    assert event.plan == printed["plan"]
    assert event.answer_sha256 == hashlib.sha256(printed["answer"]["text"].encode()).hexdigest()
    counts = {row["key"]: row["count"] for row in event.evidence[0]["rows"]}
    assert counts == {row["key"]: row["count"] for row in printed["results"][0]["rows"]}
    cited = {c["unit_id"] for c in printed["answer"]["citations"]}
    assert cited <= set(event.unit_ids) and {"u-1", "u-2", "u-3"} <= set(event.unit_ids)
    assert "jane.doe@example.com" not in event.text and "<EMAIL_" in event.text  # redacted like stored feedback
    assert scripted.calls[0][0] == QUESTION  # the agent still got the question as asked


def test_an_unknown_viewer_is_refused_and_audited(scripted):
    result = CliRunner().invoke(app, ["ask", QUESTION, "--as", "mallory"])
    assert result.exit_code != 0 and isinstance(result.exception, ConfigurationError)
    (event,) = _events()
    assert (event.kind, event.surface, event.viewer, event.outcome) == ("denial", "cli", "mallory", "denied")
    assert "unknown viewer 'mallory'" in (event.reason or "") and "<EMAIL_" in event.text
    assert scripted.calls == []


def test_audit_list_filters_and_show_prints_the_evidence(scripted):
    _run("ask", "top themes?")
    CliRunner().invoke(app, ["ask", "top themes?", "--as", "mallory"])
    listed = _run("audit", "list")["events"]
    assert [e["outcome"] for e in listed] == ["denied", "answered"]  # newest first
    assert [e["viewer"] for e in _run("audit", "list", "--viewer", "cli")["events"]] == ["cli"]
    assert _run("audit", "list", "--surface", "slack")["events"] == []
    assert len(_run("audit", "list", "--since", "1 hour ago", "--limit", "1")["events"]) == 1
    table = CliRunner().invoke(app, ["audit", "list"], env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "answered" in table.stdout and "denied" in table.stdout
    answered = listed[1]
    assert _run("audit", "show", str(answered["id"]))["event"]["answer_sha256"] == answered["answer_sha256"]
    shown = CliRunner().invoke(app, ["audit", "show", str(answered["id"])])
    assert shown.exit_code == 0
    assert "auth.sso_login: value 142, count 142, units u-1, u-2" in shown.stdout
    assert f"answer sha256: {answered['answer_sha256']}" in shown.stdout and "plan: ranking" in shown.stdout
    missing = CliRunner().invoke(app, ["audit", "show", "999"])
    assert isinstance(missing.exception, ConfigurationError)


def test_audit_purge_deletes_events_older_than_the_retention(scripted):
    _run("ask", "top themes?")
    _run("ask", "top themes?")
    engine = build_runtime(Settings()).engine
    with session_scope(engine) as session:
        old = session.exec(select(AccessEvent).order_by(AccessEvent.id)).first()  # type: ignore[arg-type]
        assert old is not None
        old.created_at = utcnow() - timedelta(days=40)
        session.add(old)
    assert _run("audit", "purge", "--older-than-days", "30") == {"removed": 1, "older_than_days": 30}
    assert len(_events()) == 1
    assert _run("audit", "purge") == {"removed": 0, "older_than_days": 365}
