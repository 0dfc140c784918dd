"""Terminal output: results on stdout, progress and notes on stderr (so --json stays one clean object)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from groundswell.jobs.pipeline import PipelineProgress
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

__all__ = ["RichPipelineProgress", "err", "out", "print_json"]

out = Console()
err = Console(stderr=True)


def print_json(payload: dict[str, Any]) -> None:
    """Exactly one JSON object on stdout."""
    sys.stdout.write(json.dumps(payload, default=str, sort_keys=True) + "\n")
    sys.stdout.flush()


class RichPipelineProgress(PipelineProgress):
    """Progress bars on stderr for each source and for embedding."""

    def __init__(self, enabled: bool = True) -> None:
        self.progress = Progress(
            TextColumn("{task.description:<18}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
            disable=not enabled,
        )

    def __enter__(self) -> RichPipelineProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def _task(self, description: str, total: int | None) -> Callable[[int], None]:
        task = self.progress.add_task(description, total=total)
        return lambda n: self.progress.advance(task, n)

    def source_started(self, name: str) -> Callable[[int], None]:
        return self._task(f"sync {name}", None)

    def embedding_started(self, total: int) -> Callable[[int], None]:
        return self._task("embed units", total)
