"""The whole spine on a reduced demo corpus, through the real CLI, local embedder and embedded Chroma."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from groundswell.cli.main import app
from typer.testing import CliRunner

pytestmark = pytest.mark.slow
RECORDS = 500


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gs-demo")


@pytest.fixture(scope="module")
def runner(data_dir: Path) -> CliRunner:
    return CliRunner(env={"GROUNDSWELL_DATA_DIR": str(data_dir)})


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def demo_report(runner: CliRunner) -> dict:
    return _json(runner.invoke(app, ["demo", "--records", str(RECORDS), "--json"]))


def test_demo_ingests_every_source_and_embeds_every_unit(demo_report: dict, runner: CliRunner) -> None:
    ingest = demo_report["ingest"]
    assert {s["source"] for s in ingest["sources"]} >= {
        "zendesk",
        "intercom",
        "googleplay",
        "delighted",
        "gong",
        "discourse",
        "salesforce",
    }
    assert ingest["rejected"] == 0 and not ingest["errors"]
    assert demo_report["releases"] == 7  # the public changelog (releases.csv) was imported
    assert ingest["units_added"] > RECORDS * 0.8
    assert ingest["embedded"] == ingest["units_added"]
    stats = _json(runner.invoke(app, ["stats", "--json"]))
    assert stats["totals"]["units"] == ingest["units_added"]
    assert stats["totals"]["accounts"] >= 300 * RECORDS // 20_000 or stats["totals"]["accounts"] > 0
    assert stats["totals"]["people"] > 0


def test_customer_words_only(demo_report: dict, data_dir: Path) -> None:
    """No agent canned reply or internal note becomes a unit."""
    from groundswell.storage.db import create_db_engine, session_scope
    from groundswell.storage.models import FeedbackUnit
    from sqlmodel import select

    engine = create_db_engine(f"sqlite:///{data_dir / 'groundswell.db'}")
    with session_scope(engine) as session:
        roles = {u.speaker_role for u in session.exec(select(FeedbackUnit))}
    assert roles == {"customer"}


def test_second_ingest_changes_nothing(demo_report: dict, runner: CliRunner) -> None:
    again = _json(runner.invoke(app, ["ingest", "--json"]))
    assert (again["accepted"], again["updated"], again["deleted"], again["units_added"], again["embedded"]) == (
        0,
        0,
        0,
        0,
        0,
    )


def test_search_returns_cited_units(demo_report: dict, runner: CliRunner) -> None:
    found = _json(runner.invoke(app, ["search", "export keeps failing", "--json", "-k", "5"]))
    assert len(found["hits"]) == 5
    for hit in found["hits"]:
        assert hit["source"] and hit["external_id"] and hit["created_at"] and hit["unit_id"]
    only = _json(runner.invoke(app, ["search", "login problems", "--source", "zendesk", "--json"]))
    assert only["hits"] and {h["source"] for h in only["hits"]} == {"zendesk"}


def test_edit_and_delete_in_an_export_flow_through(demo_report: dict, runner: CliRunner, data_dir: Path) -> None:
    tickets = data_dir / "exports" / "zendesk" / "tickets.jsonl"
    lines = tickets.read_text(encoding="utf-8").splitlines()
    edited, deleted = json.loads(lines[0]), json.loads(lines[1])
    customer_comment = next(c for c in edited["comments"] if c["public"])
    customer_comment["body"] = customer_comment["body"] + " Also the PDF export is blank now."
    deleted["status"] = "deleted"
    lines[0], lines[1] = json.dumps(edited), json.dumps(deleted)
    lines.append("{not json")
    tickets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = _json(runner.invoke(app, ["ingest", "--source", "zendesk", "--json"]))
    assert (report["updated"], report["deleted"], report["rejected"]) == (1, 1, 1)
    assert report["units_removed"] >= 1


def test_demo_imports_the_seed_taxonomy_and_discovery_queues_proposals(demo_report: dict, runner: CliRunner) -> None:
    assert demo_report["taxonomy"] == 1
    shown = _json(runner.invoke(app, ["taxonomy", "show", "--json"]))
    assert shown["version"] == 1 and len(shown["themes"]) >= 30
    assert {t["parent_key"] for t in shown["themes"]} >= {None, "auth", "billing"}
    found = _json(runner.invoke(app, ["taxonomy", "discover", "--min-size", "5", "--json"]))
    assert found["units"] > 0 and found["proposals"] == len(found["stored"]) >= 1
    queue = _json(runner.invoke(app, ["taxonomy", "proposals", "--json"]))["proposals"]
    assert queue and all(p["examples"] and p["terms"] for p in queue)


def test_eval_planner_with_the_database_vocabulary(demo_report: dict, runner: CliRunner, data_dir: Path) -> None:
    """The vocabulary storage builds (taxonomy, snapshots, sources, accounts, releases) plans the demo questions."""
    report = _json(
        runner.invoke(app, ["eval", "planner", "--from-db", "--exports", str(data_dir / "exports"), "--json"])
    )
    assert report["plan_accuracy"] >= 0.95, report["failures"]
    assert report["missing_theme"]["rate"] == 1.0
