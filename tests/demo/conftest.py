"""A small demo corpus shared by the demo tests (generated once per session)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from groundswell.demo.generate import DemoSummary, generate_demo

END = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    return generate_demo(tmp_path_factory.mktemp("demo") / "out", seed=11, records=1500, end=END)


@pytest.fixture(scope="session")
def corpus_dir(small_corpus: DemoSummary) -> Path:
    return small_corpus.out_dir
