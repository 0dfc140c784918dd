"""A small demo corpus through the real pipeline (generate → import seed taxonomy → ingest → embed → classify)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings

DEMO_END = datetime(2026, 11, 20, tzinfo=UTC)
DEMO_RECORDS = 500


@dataclass(frozen=True)
class Demo:
    runtime: Runtime
    as_of: datetime
    questions: list[dict[str, Any]]
    truth_dir: Path
    injections: dict[str, str]  # unit id -> planted prompt-injection text


INJECTIONS = Path(__file__).parents[2] / "fixtures" / "prompt_injection" / "injections.jsonl"
PLANTED = 40


def injection_texts() -> list[str]:
    """The dev set's injection strings (benign lines left out), shortest first."""
    rows = [json.loads(line) for line in INJECTIONS.read_text().splitlines() if line.strip()]
    return sorted((r["text"] for r in rows if r["label"] == "injection"), key=len)


def plant_injections(runtime: Runtime) -> dict[str, str]:
    """Append injection strings to the most recent units: those are the ones answers quote first."""
    from groundswell.storage.db import session_scope
    from groundswell.storage.models import FeedbackUnit
    from sqlmodel import col, select

    texts = injection_texts()
    planted: dict[str, str] = {}
    with session_scope(runtime.engine) as session:
        recent = session.exec(
            select(FeedbackUnit)
            .where(col(FeedbackUnit.deleted_at).is_(None), col(FeedbackUnit.duplicate_of).is_(None))
            .order_by(col(FeedbackUnit.created_at).desc())
            .limit(PLANTED)
        )
        for i, unit in enumerate(recent):
            unit.text = f"{unit.text} {texts[i % len(texts)]}"
            planted[unit.id] = texts[i % len(texts)]
            session.add(unit)
    return planted


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    from groundswell.cli.data import SEED_TAXONOMY, import_seed_taxonomy
    from groundswell.demo.generate import generate_demo
    from groundswell.demo.tenant import demo_settings_overrides
    from groundswell.jobs.pipeline import run_pipeline

    data_dir = tmp_path_factory.mktemp("gs-agent-demo")
    runtime = build_runtime(Settings(data_dir=data_dir, _env_file=None, **demo_settings_overrides({})))  # type: ignore[call-arg]
    exports = runtime.settings.exports_dir
    generate_demo(exports, seed=3, records=DEMO_RECORDS, end=DEMO_END)
    import_seed_taxonomy(runtime, exports / SEED_TAXONOMY)
    run_pipeline(runtime=runtime, sources=runtime.file_sources(exports))
    injections = plant_injections(runtime)
    truth = exports / "_truth"
    as_of = datetime.fromisoformat(json.loads((truth / "truth.json").read_text())["as_of"].replace("Z", "+00:00"))
    questions = [json.loads(line) for line in (truth / "questions.jsonl").read_text().splitlines() if line.strip()]
    yield Demo(runtime=runtime, as_of=as_of, questions=questions, truth_dir=truth, injections=injections)
