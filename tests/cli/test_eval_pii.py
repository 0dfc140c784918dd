"""`groundswell eval pii` on a tiny JSONL fixture through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from groundswell.cli.main import app
from typer.testing import CliRunner

LINES = [
    {"text": "Mail jane@example.com now", "spans": [{"start": 5, "end": 21, "type": "EMAIL_ADDRESS"}]},
    {"text": "Call +1 415 555 0132 please", "spans": [{"start": 5, "end": 20, "type": "PHONE_NUMBER"}]},
    {"text": "Thanks,\nMaria Lopez", "spans": [{"start": 8, "end": 19, "type": "PERSON"}]},
    {"text": "We live at 12 Main St", "spans": [{"start": 11, "end": 21, "type": "STREET_ADDRESS"}]},
    {"text": "no pii here", "spans": []},
]


def test_eval_pii_json(tmp_path: Path) -> None:
    dataset = tmp_path / "pii.jsonl"
    dataset.write_text("\n".join(json.dumps(line) for line in LINES) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "pii", "--dataset", str(dataset), "--json"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    payload = json.loads(lines[0])
    assert {"precision", "recall", "f2", "per_type", "seconds", "texts"} <= set(payload)
    assert payload["texts"] == 5
    assert payload["per_type"]["EMAIL_ADDRESS"] == {"precision": 1.0, "recall": 1.0, "f2": 1.0, "support": 1}
    assert "STREET_ADDRESS" not in payload["per_type"]
    assert payload["recall"] == 1.0


def test_eval_pii_rejects_a_malformed_line(tmp_path: Path) -> None:
    dataset = tmp_path / "bad.jsonl"
    dataset.write_text('{"text": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "pii", "--dataset", str(dataset), "--json"])
    assert result.exit_code != 0
    assert "bad.jsonl:1" in result.output
