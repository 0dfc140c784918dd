"""The shared eval tail: bad input is a usage error, JSON or a table of the flat keys."""

from __future__ import annotations

import json

import pytest
import typer
from groundswell.cli.evals.report import report


def test_a_value_error_becomes_a_usage_error() -> None:
    def broken() -> dict:
        raise ValueError("column 'text' is missing")

    with pytest.raises(typer.BadParameter, match="column 'text' is missing"):
        report(broken, json_output=False, width=10)


def test_json_prints_everything_and_returns_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    payload = {"accuracy": 0.9, "per_label": {"bug": {"f1": 0.8}}}
    assert report(lambda: payload, json_output=True, width=10) is None
    assert json.loads(capsys.readouterr().out) == payload


def test_the_table_leaves_per_label_to_the_caller(capsys: pytest.CaptureFixture[str]) -> None:
    payload = {"accuracy": 0.9, "per_label": {"bug": {"f1": 0.8}}}
    assert report(lambda: payload, json_output=False, width=10) == payload
    printed = capsys.readouterr().out
    assert "accuracy   0.9" in printed and "per_label" not in printed
