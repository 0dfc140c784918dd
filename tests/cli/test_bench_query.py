"""`groundswell bench query` over a tiny demo grown synthetically, on SQLite and the real PostgreSQL."""

from __future__ import annotations

import json

import pytest
import typer
from groundswell.cli.bench_query import register
from typer.testing import CliRunner

from tests.conftest import fresh_postgres_database


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _group() -> None:
        """Bench group stand-in."""

    return app


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_bench_query_times_every_plan_kind_over_the_grown_corpus(database: str, tmp_path) -> None:
    args = ["query", "--units", "600", "--template", "200", "--repeats", "1", "--json"]
    if database == "postgres":
        with fresh_postgres_database("gs_bench") as url:
            result = CliRunner().invoke(_app(), [*args, "--database-url", url, "--data-dir", str(tmp_path)])
    else:
        result = CliRunner().invoke(_app(), [*args, "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["units"] >= 600 and payload["database"] == ("postgresql" if database == "postgres" else "sqlite")
    assert payload["runs"] == payload["plans"] > 10
    assert {"ranking", "count", "trend", "comparison", "set", "owners"} <= payload["by_kind"].keys(), payload
    assert 0 < payload["p50_s"] <= payload["p95_s"] <= payload["max_s"]
    assert len(payload["slowest"]) == 5
