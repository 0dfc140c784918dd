"""A small demo corpus through the real pipeline (generate → import seed taxonomy → ingest → embed → classify)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from runtime import Runtime, build_runtime
from settings import Settings

DEMO_END = datetime(2026, 11, 20, tzinfo=UTC)
DEMO_RECORDS = 500


@dataclass(frozen=True)
class Demo:
    runtime: Runtime
    as_of: datetime
    questions: list[dict[str, Any]]
    truth_dir: Path


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    from cli.data import SEED_TAXONOMY, import_seed_taxonomy
    from demo.generate import generate_demo
    from jobs.pipeline import run_pipeline

    data_dir = tmp_path_factory.mktemp("gs-agent-demo")
    runtime = build_runtime(Settings(data_dir=data_dir, _env_file=None))  # type: ignore[call-arg]
    exports = runtime.settings.exports_dir
    generate_demo(exports, seed=3, records=DEMO_RECORDS, end=DEMO_END)
    import_seed_taxonomy(runtime, exports / SEED_TAXONOMY)
    run_pipeline(runtime=runtime, sources=runtime.file_sources(exports))
    truth = exports / "_truth"
    as_of = datetime.fromisoformat(json.loads((truth / "truth.json").read_text())["as_of"].replace("Z", "+00:00"))
    questions = [json.loads(line) for line in (truth / "questions.jsonl").read_text().splitlines() if line.strip()]
    yield Demo(runtime=runtime, as_of=as_of, questions=questions, truth_dir=truth)
