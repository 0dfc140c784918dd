"""`groundswell ask` on the demo corpus with the real deterministic planner: text, --json, --as, --thread."""

from __future__ import annotations

import json

import pytest
from groundswell.cli.main import app
from typer.testing import CliRunner

from tests.graph.agent.conftest import Demo

pytestmark = pytest.mark.slow
VIEWERS = {"sam": {"role": "restricted", "sources": ["zendesk", "intercom"], "segments": ["smb"]}}


@pytest.fixture(scope="module")
def runner(demo: Demo) -> CliRunner:
    env = {
        "GROUNDSWELL_DATA_DIR": str(demo.runtime.settings.data_dir),
        "GROUNDSWELL_AGENT_AS_OF": demo.as_of.isoformat(),
        "GROUNDSWELL_VIEWERS": json.dumps(VIEWERS),
    }
    return CliRunner(env=env)


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_ask_prints_the_answer_with_citations(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", "What are the top 5 themes over the last 30 days?"])
    assert result.exit_code == 0, result.output
    assert "Top 5 by signals" in result.stdout and "Sources:\n[1] " in result.stdout and "Window: " in result.stdout


def test_ask_json_has_plan_results_and_answer(runner: CliRunner) -> None:
    report = _json(runner.invoke(app, ["ask", "How many bug reports in the last 30 days?", "--json"]))
    assert report["plan"]["kind"] == "count" and report["plan"]["filters"]["intents"] == ["bug_report"]
    assert report["results"][0]["total"] == report["answer"]["results"][0]["total"]
    assert report["answer"]["verified"] and report["viewer"] == "cli"


def test_ask_as_a_restricted_viewer(runner: CliRunner) -> None:
    report = _json(
        runner.invoke(app, ["ask", "Feedback volume per source over the last 90 days", "--as", "sam", "--json"])
    )
    assert {row["key"] for result in report["results"] for row in result["rows"]} <= {"zendesk", "intercom"}
    assert all(c["source"] in {"zendesk", "intercom"} and c["segment"] == "smb" for c in report["answer"]["citations"])
    unknown = runner.invoke(app, ["ask", "anything", "--as", "mallory"])
    assert unknown.exit_code != 0 and "unknown viewer 'mallory'" in str(unknown.exception)


def test_follow_up_in_a_thread_across_processes(runner: CliRunner, demo: Demo) -> None:
    first = _json(runner.invoke(app, ["ask", "Top 3 themes in the last 30 days", "--thread", "t-42", "--json"]))
    follow = _json(runner.invoke(app, ["ask", "and for SMB?", "--thread", "t-42", "--json"]))
    assert first["plan"]["kind"] == follow["plan"]["kind"] == "ranking"
    assert follow["plan"]["filters"]["segments"] and follow["plan"]["k"] == first["plan"]["k"]
    assert follow["plan"]["filters"]["window"] == first["plan"]["filters"]["window"]
    assert (demo.runtime.settings.data_dir / "checkpoints.sqlite").is_file()


@pytest.mark.parametrize(
    "question, expected",
    [("", "empty"), ("why " * 2600, "too long"), ("what about the Martian segment?", "")],
)
def test_bad_input_gets_a_helpful_answer(runner: CliRunner, question: str, expected: str) -> None:
    report = _json(runner.invoke(app, ["ask", question, "--json"]))
    answer = report["answer"]
    assert answer["plan"]["kind"] in ("help", "clarify") and answer["text"].strip()
    assert expected in answer["text"]
