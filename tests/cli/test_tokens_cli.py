"""`groundswell tokens create|list|revoke`: the secret printed once, never listed; revoked tokens are refused."""

from __future__ import annotations

import json

import pytest
from groundswell.cli.main import app
from groundswell.surfaces.errors import Unauthorized
from groundswell.surfaces.service import Surface
from typer.testing import CliRunner

from groundswell.runtime import build_runtime
from groundswell.settings import Settings


def test_create_list_revoke(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GROUNDSWELL_VIEWERS", json.dumps({"sam": {"role": "restricted", "sources": ["zendesk"]}}))
    runner = CliRunner()
    created = runner.invoke(app, ["tokens", "create", "--viewer", "sam", "--expires-days", "3", "--json"])
    assert created.exit_code == 0, created.output
    issued = json.loads(created.stdout)
    assert issued["token"].startswith("gsk_") and issued["viewer"] == "sam" and issued["active"]
    listed = runner.invoke(app, ["tokens", "list"])
    assert "sam" in listed.stdout and issued["token"] not in listed.stdout and "active" in listed.stdout
    surface = Surface(build_runtime(Settings()))
    assert surface.auth.authenticate(issued["token"])[1].sources == {"zendesk"}
    assert runner.invoke(app, ["tokens", "revoke", str(issued["id"])]).exit_code == 0
    with pytest.raises(Unauthorized, match="revoked"):
        surface.auth.authenticate(issued["token"])
    assert "revoked" in runner.invoke(app, ["tokens", "list"]).stdout


def test_unknown_viewer_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["tokens", "create", "--viewer", "nobody"])
    assert result.exit_code != 0
