"""Shared test helpers for the file-export connectors."""

from __future__ import annotations

import shutil
from pathlib import Path

from groundswell.core.models import ConversationDoc, Message, RawRecord, RecordFailure
from groundswell.core.protocols import Checkpoint, PollResult

FIXTURES = Path(__file__).parent / "fixtures"


def drain(poll: PollResult) -> tuple[list[RawRecord], list[RecordFailure], Checkpoint]:
    """Run a poll to the end: its records, its failures and the checkpoint it returns."""
    records: list[RawRecord] = []
    failures: list[RecordFailure] = []
    while True:
        try:
            item = next(poll)
        except StopIteration as stop:
            return records, failures, stop.value
        (failures if isinstance(item, RecordFailure) else records).append(item)


def copy_fixture(source: str, tmp_path: Path) -> Path:
    """A writable copy of one source's fixture folder."""
    return Path(shutil.copytree(FIXTURES / source, tmp_path / source))


def by_id(records: list[RawRecord]) -> dict[str, RawRecord]:
    return {record.external_id: record for record in records}


def message(doc: ConversationDoc, external_id: str) -> Message:
    return next(m for m in doc.messages if m.external_id == external_id)
