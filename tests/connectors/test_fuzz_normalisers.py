"""Bounded fuzz over the file normalisers: mutated records never crash ingestion; good records still land."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from groundswell.connectors.files import (
    DelightedExport,
    DiscourseExport,
    GongExport,
    GooglePlayExport,
    IntercomExport,
    SalesforceExport,
    ZendeskExport,
)
from groundswell.connectors.files.base import FileExportSource
from groundswell.core.models import RawRecord
from groundswell.core.protocols import Checkpoint, PollResult
from groundswell.jobs.ingest import ingest_source, normalise
from groundswell.storage.db import create_db_engine, migrate, session_scope
from groundswell.storage.models import RejectedRecord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tests.connectors.helpers import copy_fixture, drain

SOURCES: dict[str, type[FileExportSource]] = {
    "delighted": DelightedExport,
    "discourse": DiscourseExport,
    "gong": GongExport,
    "googleplay": GooglePlayExport,
    "intercom": IntercomExport,
    "salesforce": SalesforceExport,
    "zendesk": ZendeskExport,
}
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


def _mutate(payload: Any, path: tuple[Any, ...], junk: Any, delete: bool) -> Any:
    if not path:
        return junk
    head, rest = path[0], path[1:]
    if isinstance(payload, dict):
        copy = dict(payload)
        if delete and not rest:
            copy.pop(head, None)
        else:
            copy[head] = _mutate(payload.get(head), rest, junk, delete)
        return copy
    if isinstance(payload, list) and isinstance(head, int) and head < len(payload):
        copy_list = list(payload)
        copy_list[head] = _mutate(payload[head], rest, junk, delete)
        return copy_list
    return junk


def _loaded(name: str, tmp_path: Path) -> tuple[FileExportSource, list[RawRecord]]:
    source = SOURCES[name](copy_fixture(name, tmp_path))
    records, _, _ = drain(source.poll(None))
    assert records
    return source, records


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_mutated_records_never_escape_the_normaliser(name: str, tmp_path: Path) -> None:
    source, records = _loaded(name, tmp_path)

    @settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data: st.DataObject) -> None:
        record = data.draw(st.sampled_from(records))
        paths = _paths(record.payload) or [()]
        path = data.draw(st.sampled_from(paths))
        payload = _mutate(record.payload, path, data.draw(JUNK), data.draw(st.booleans()))
        mutated = record.model_copy(update={"payload": payload if isinstance(payload, dict) else {"value": payload}})
        result = normalise(source, mutated)  # a document or the reason why not; never an exception
        assert isinstance(result, str) or result is not None

    run()


class _Mixed:
    """A file source whose poll yields its own records interleaved with mutated copies."""

    def __init__(self, inner: FileExportSource, extra: list[RawRecord]) -> None:
        self.inner, self.extra, self.name = inner, extra, inner.name

    def poll(self, checkpoint: Checkpoint | None) -> PollResult:
        yield from self.extra
        returned = yield from self.inner.poll(checkpoint)
        return returned

    def normalize(self, record: RawRecord) -> Any:
        return self.inner.normalize(record)


@pytest.mark.parametrize("name", ["gong", "intercom", "zendesk"])
def test_good_records_still_land_next_to_mutated_ones(name: str, tmp_path: Path) -> None:
    _, records = _loaded(name, tmp_path / "probe")
    bad = [
        r.model_copy(update={"external_id": f"bad-{i}", "payload": _mutate(r.payload, p, junk, False)})
        for i, (r, p, junk) in enumerate(
            (r, p, junk) for r in records[:3] for p in _paths(r.payload)[:8] for junk in (None, 7, "", [1], {"a": 1})
        )
    ]
    engine = create_db_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(engine)
    clean = SOURCES[name](copy_fixture(name, tmp_path / "clean"))
    report = ingest_source(engine=engine, source=_Mixed(clean, bad))  # type: ignore[arg-type]
    assert report.error is None
    summary = report.as_dict()
    assert summary["accepted"] + summary["deleted"] >= len(records) and summary["rejected"] > 0, summary
    with session_scope(engine) as session:
        rejected = {r.external_id for r in session.exec(select(RejectedRecord))}
    assert not rejected & {r.external_id for r in records}
