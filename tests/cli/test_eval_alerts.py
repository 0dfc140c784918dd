"""`groundswell eval alerts` on a synthetic store with a planted spike after a release (the demo's truth format)."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

from groundswell.cli.main import app
from typer.testing import CliRunner

from groundswell.runtime import build_runtime
from groundswell.settings import Settings
from tests.storage.signal_data import Row, seed

T0 = datetime(2026, 6, 1, tzinfo=UTC)
RELEASE = T0 + timedelta(days=50, hours=16)


def _truth() -> dict:
    return {
        "release": {"name": "Brightloop 4.12", "released_at": RELEASE.isoformat().replace("+00:00", "Z")},
        "planted": {"spike": {"theme": "Data export > CSV export timeouts"}},
        "themes": [
            {"id": "export", "parent": None, "name": "Data export"},
            {"id": "export.csv", "parent": "export", "name": "CSV export timeouts"},
            {"id": "auth", "parent": None, "name": "Authentication"},
            {"id": "auth.sso", "parent": "auth", "name": "SSO login failures"},
        ],
    }


def _rows() -> list[Row]:
    rng = random.Random(5)
    rows = []
    for day in range(70):
        for theme, per_day in (("export.csv", 2), ("auth.sso", 4)):
            for _ in range(per_day):
                rows.append(
                    Row(
                        f"r{len(rows)}",
                        T0 + timedelta(days=day, seconds=rng.randrange(86_400)),
                        theme,
                        f"A{rng.randrange(50)}",
                        "smb",
                        5_000.0,
                    )
                )
    for i in range(40):  # the planted spike: 40 more in the 3 days after the release
        at = RELEASE + timedelta(minutes=30 + 100 * i)
        rows.append(Row(f"p{i}", at, "export.csv", f"E{i % 7}", "enterprise", 300_000.0))
    return rows


def test_eval_alerts_reports_the_planted_spike_and_false_alerts(tmp_path, monkeypatch):
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    engine = build_runtime(Settings()).engine
    seed(engine, _rows())
    engine.dispose()
    truth_dir = tmp_path / "exports" / "_truth"
    truth_dir.mkdir(parents=True)
    (truth_dir / "truth.json").write_text(json.dumps(_truth()))
    result = CliRunner().invoke(app, ["eval", "alerts", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["planted_theme"] == "export.csv"
    assert report["planted_caught"] is True and 0 < report["detection_delay_h"] <= 24
    assert report["planted_alert"].startswith("CSV export timeouts") or report["planted_alert"].startswith(
        "Data export"
    )
    assert "release Brightloop 4.12" in report["planted_alert"]
    assert report["false_alerts"] == 0 and report["false_alerts_per_week"] == 0
    assert report["detection_interval_h"] == 1 and report["weeks_replayed"] > 5
    strict = CliRunner().invoke(app, ["eval", "alerts", "--json", "--sensitivity", "40"])
    assert json.loads(strict.stdout)["planted_caught"] is False


def test_eval_alerts_without_a_demo_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["eval", "alerts", "--json"])
    assert result.exit_code != 0 and "truth.json" in result.output
