"""`groundswell identity …` through typer's CliRunner against a temporary data dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from groundswell.cli.identity import app
from groundswell.cli.main import app as main_app
from groundswell.storage.db import session_scope
from groundswell.storage.models import AuditEvent, IdentityConstraint, PersonIdentifier
from sqlmodel import select
from typer.testing import CliRunner

from groundswell.runtime import build_runtime
from groundswell.settings import Settings
from tests.storage.test_identity_events import T0, T1, make_account, make_person, make_unit


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    engine = build_runtime(Settings()).engine
    with session_scope(engine) as session:
        acme = make_account(session, "001A", "Acme", ["acme.com"])
        make_person(session, "Ana Silva", ("crm_id", "salesforce:1"), ("email", "ana@acme.com"), account_id=acme)
        twin = make_person(session, "Ana Silva", ("email", "anasilva@gmail.com"), created=T1)
        make_person(session, "Tom Weber", ("email", "tom@acme.com"), created=T0)
        make_unit(session, "u1", twin)
    engine.dispose()
    return tmp_path


def _run(*args: str) -> dict:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _audit_actions(data_dir: Path) -> list[tuple[str, str]]:
    with session_scope(build_runtime(Settings(data_dir=data_dir)).engine) as session:
        return [(a.action, a.actor) for a in session.exec(select(AuditEvent).order_by(AuditEvent.id))]


def test_merge_history_people_and_unmerge_round_trip(data_dir: Path) -> None:
    merged = _run("merge", "2", "1", "--actor", "ana@brightloop")
    assert (merged["winner_id"], merged["loser_id"]) == (1, 2)  # the CRM-backed person survives
    (found,) = _run("people", "--search", "gmail.com")["people"]
    assert found["id"] == 1 and found["account"]["name"] == "Acme"
    assert "anasilva@gmail.com" in {i["value"] for i in found["identifiers"]}
    assert found["history"][0]["action"] == "merge" and found["history"][0]["units_moved"] == 1
    events = _run("history", "--person", "2")["events"]
    assert [(e["action"], e["actor"], e["confidence"]) for e in events] == [("merge", "ana@brightloop", 1.0)]
    undone = _run("unmerge", str(merged["event"]), "--actor", "ops")
    assert (undone["restored_person"], undone["kept_apart_from"]) == (2, 1)
    assert [e["action"] for e in _run("history")["events"]] == ["split", "merge"]
    with session_scope(build_runtime(Settings(data_dir=data_dir)).engine) as session:
        where = PersonIdentifier.value == "anasilva@gmail.com"
        assert session.exec(select(PersonIdentifier).where(where)).one().person_id == 2
        assert session.exec(select(IdentityConstraint)).one().kind == "keep_apart"
    actions = _audit_actions(data_dir)
    assert ("identity.merge", "ana@brightloop") in actions and ("identity.unmerge", "ops") in actions
    assert {"identity.people", "identity.history"} <= {action for action, _ in actions}


def test_resolve_prints_counts_and_is_audited(data_dir: Path) -> None:
    counts = _run("resolve")
    assert counts["people_before"] == 3 and counts["people_linked"] == 1  # Tom, by his acme.com address
    assert "identity.resolve" in {action for action, _ in _audit_actions(data_dir)}
    plain = CliRunner().invoke(app, ["resolve"])
    assert plain.exit_code == 0 and "people_before" in plain.stdout


def test_errors_are_reported_not_swallowed(data_dir: Path) -> None:
    result = CliRunner().invoke(app, ["unmerge", "42"])
    assert result.exit_code != 0 and "no merge event 42" in str(result.exception)
    assert "no people found" in CliRunner().invoke(app, ["people", "--search", "nobody"]).stdout


def test_registered_under_main_app(data_dir: Path) -> None:
    result = CliRunner().invoke(main_app, ["identity", "history", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == {"events": []}


def test_eval_identity_demo_scores_stored_people_against_people_csv(data_dir: Path) -> None:
    truth = data_dir / "exports" / "_truth"
    truth.mkdir(parents=True)
    (truth / "people.csv").write_text(
        "rec_id,person_id,source,name,email,phone,handle,account_id\n"
        "salesforce:contact:1,P1,salesforce,Ana Silva,Ana@Acme.com,,,001A\n"
        "intercom:contact:c9,P1,intercom,Ana,anasilva@gmail.com,,,001A\n"
        "zendesk:user:5,P2,zendesk,Tom Weber,tom@acme.com,,,001A\n"
        "zendesk:user:6,,zendesk,Support,support@acme.com,,,001A\n",
        encoding="utf-8",
    )

    def score() -> dict:
        result = CliRunner().invoke(main_app, ["eval", "identity-demo", "--data-dir", str(data_dir), "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    before = score()
    assert (before["pairs_true"], before["pairs_predicted"], before["recall"]) == (1, 0, 0.0)
    assert (before["occurrences"], before["occurrences_found"], before["people_true"]) == (4, 3, 2)
    assert (before["account_known"], before["account_accuracy"]) == (3, round(1 / 3, 4))  # only Ana's CRM row
    _run("merge", "1", "2", "--actor", "ana")
    _run("resolve")  # links Tom to Acme by his address
    after = score()
    assert (after["precision"], after["recall"], after["f1"]) == (1.0, 1.0, 1.0)
    assert after["account_accuracy"] == 1.0
