"""`groundswell llm usage` and `groundswell bench classify` with an LLM (the loopback fake OpenAI server)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from groundswell.cli.main import app
from groundswell.core.llm_usage import LlmCall
from groundswell.storage.llm import DatabaseLlmLedger
from typer.testing import CliRunner

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.core.classify.llm_script import units_in
from tests.fakes.openai_server import FakeOpenAI


def test_llm_usage_prints_days_and_totals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    ledger = DatabaseLlmLedger(Runtime(Settings(data_dir=tmp_path)).engine)
    ledger.record(
        LlmCall("classify", "gpt-x", 900, 100, cost_usd=0.0002, items=20, at=datetime(2026, 11, 2, tzinfo=UTC))
    )
    ledger.record(LlmCall("classify", "gpt-x", cached=True, items=20, at=datetime(2026, 11, 3, tzinfo=UTC)))
    result = CliRunner().invoke(app, ["llm", "usage", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [d["day"] for d in payload["days"]] == ["2026-11-02", "2026-11-03"]
    assert payload["totals"] == {
        "calls": 1,
        "cached_batches": 1,
        "errors": 0,
        "items": 40,
        "prompt_tokens": 900,
        "completion_tokens": 100,
        "cost_usd": 0.0002,
    }
    since = json.loads(CliRunner().invoke(app, ["llm", "usage", "--since", "2026-11-03", "--json"]).stdout)
    assert [d["day"] for d in since["days"]] == ["2026-11-03"]
    assert "1 calls, 1000 tokens" in CliRunner().invoke(app, ["llm", "usage"]).stdout


def _seed_model(body: dict) -> dict:
    """Labels every unit with the first theme key the schema allows."""
    items = body["response_format"]["json_schema"]["schema"]["properties"]["results"]["items"]["properties"]
    theme = items["theme"]["enum"][0]
    labels = {
        "theme": theme,
        "sentiment": "negative",
        "sentiment_score": -0.5,
        "intent": "complaint",
        "severity": "medium",
        "confidence": {"theme": 0.8, "sentiment": 0.8, "intent": 0.8, "severity": 0.8},
    }
    return {"results": [{"id": u["id"], **labels} for u in units_in(body)]}


def test_bench_classify_reports_llm_tokens_per_unit_against_the_fake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeOpenAI(handler=_seed_model) as fake:
        monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("GROUNDSWELL_LLM_BASE_URL", fake.base_url)
        monkeypatch.setenv("GROUNDSWELL_LLM_API_KEY", fake.api_key)
        monkeypatch.setenv("GROUNDSWELL_LLM_PRICE_INPUT_PER_M", "0.15")
        monkeypatch.setenv("GROUNDSWELL_LLM_CLASSIFY_BATCH_SIZE", "10")
        result = CliRunner().invoke(app, ["bench", "classify", "--units", "60", "--llm-units", "30", "--json"])
    assert result.exit_code == 0, result.output
    llm = json.loads(result.stdout)["llm"]
    assert llm["units"] == 30 and llm["calls"] == len(fake.chat_requests) >= 3
    assert llm["tokens_per_unit"] > 0 and llm["cost_usd"] > 0 and llm["fallback_units"] == 0
    assert llm["rerun_calls"] == 0 and llm["rerun_cache_hit_rate"] == 1.0
    assert {"units_per_s", "cache_hit_rate", "prompt_tokens", "completion_tokens"} <= llm.keys()
