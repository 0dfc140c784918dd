"""`groundswell releases add|list` and the demo changelog import, against a temporary data dir."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from groundswell.cli.main import app
from groundswell.cli.releases import import_changelog, read_changelog
from groundswell.demo.timeline import Timeline
from groundswell.demo.writers import write_releases
from groundswell.storage.db import create_db_engine, migrate, session_scope
from groundswell.storage.releases import list_releases
from typer.testing import CliRunner


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_add_and_list(tmp_path: Path) -> None:
    runner = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(tmp_path)})
    added = _json(
        runner.invoke(app, ["releases", "add", "4.12.0", "2026-05-11T16:00:00Z", "--notes", "Exports v2", "--json"])
    )
    assert added["release"] == {"name": "4.12.0", "shipped_at": "2026-05-11T16:00:00+00:00", "notes": "Exports v2"}
    _json(runner.invoke(app, ["releases", "add", "4.11.0", "2026-04-02", "--json"]))
    listed = _json(runner.invoke(app, ["releases", "list", "--json"]))
    assert [r["name"] for r in listed["releases"]] == ["4.11.0", "4.12.0"]
    assert listed["releases"][0]["shipped_at"] == "2026-04-02T00:00:00+00:00"
    bad = runner.invoke(app, ["releases", "add", "5.0", "not a date at all"])
    assert bad.exit_code != 0


def test_demo_changelog_round_trips_into_the_database(tmp_path: Path) -> None:
    end = datetime(2026, 6, 1, tzinfo=UTC)
    timeline = Timeline(datetime(2025, 12, 3, tzinfo=UTC), end)
    (path,) = write_releases(tmp_path, timeline)
    assert path.name == "releases.csv"
    rows = read_changelog(path)
    assert ("4.12.0", timeline.release_412) in [(name, at) for name, at, _ in rows]
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    assert import_changelog(engine, path) == len(timeline.releases)
    assert import_changelog(engine, path) == len(timeline.releases)  # idempotent
    assert import_changelog(engine, tmp_path / "missing.csv") == 0
    with session_scope(engine) as session:
        assert list_releases(session=session) == {name: at for at, name, _ in timeline.releases}
