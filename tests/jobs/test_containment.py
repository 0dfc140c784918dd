"""Containment: a crashing normaliser rejects one record; a crashing source never stops the others."""

from __future__ import annotations

from pathlib import Path

from groundswell.core.models import RawRecord
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.models import FeedbackUnit, RejectedRecord
from sqlmodel import select

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.jobs.fakes import DictIndex, HashEmbedder, ListSource, ticket

GOOD = "The nightly CSV export times out for our whole team"


class Crashy(ListSource):
    """Raises an unexpected error type on records marked "boom"."""

    def normalize(self, record: RawRecord):  # type: ignore[no-untyped-def]
        if record.payload.get("boom"):
            raise RuntimeError("connector bug on odd payload")
        return super().normalize(record)


class Other(ListSource):
    name = "other"


def _runtime(tmp_path: Path) -> Runtime:
    runtime = Runtime(Settings(data_dir=tmp_path))
    runtime.__dict__["embedder"] = HashEmbedder()
    runtime.__dict__["vectors"] = DictIndex()
    return runtime


def test_any_normaliser_exception_becomes_a_rejected_record_with_raw(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    bad = RawRecord(source="tickets", external_id="bad", kind="ticket", payload={"boom": True, "x": "é"})
    report = run_pipeline(runtime=runtime, sources=[Crashy([bad, ticket("good", ("customer", GOOD))])]).as_dict()
    with session_scope(runtime.engine) as session:
        rejected = {r.external_id: r for r in session.exec(select(RejectedRecord))}
        units = [u.external_id for u in session.exec(select(FeedbackUnit))]
    assert "RuntimeError: connector bug" in rejected["bad"].reason and '"boom": true' in rejected["bad"].raw
    assert units == ["good"]
    assert report["sources"][0]["rejected"] == 1


def test_a_source_crashing_mid_poll_does_not_stop_the_next_source(tmp_path: Path) -> None:
    runtime = _runtime(tmp_path)
    broken = Crashy([ticket("t1", ("customer", GOOD)), ZeroDivisionError("bug in poll")])
    other = Other(
        [RawRecord(source="other", external_id="o1", kind="ticket", payload={"messages": [["customer", GOOD]]})]
    )
    report = run_pipeline(runtime=runtime, sources=[broken, other]).as_dict()
    by_name = {s["source"]: s for s in report["sources"]}
    assert "ZeroDivisionError: bug in poll" in by_name["tickets"]["error"]
    assert by_name["other"]["accepted"] == 1 and by_name["other"]["error"] is None
    with session_scope(runtime.engine) as session:
        assert "o1" in {u.external_id for u in session.exec(select(FeedbackUnit))}
