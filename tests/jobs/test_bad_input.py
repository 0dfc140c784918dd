"""Bad input through the whole spine (real pipeline, SQLite, fakes for embedder and index).

Each test pushes hostile records next to a good one and checks: no crash, a clear reason for each rejection,
every raw payload kept verbatim, and the run going on for the other records.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from groundswell.core.errors import MalformedRecord
from groundswell.core.models import RawRecord
from groundswell.jobs.ingest import sanitise_text
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.models import FeedbackUnit, RawRecordRow, RejectedRecord
from sqlmodel import select

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.jobs.fakes import DictIndex, HashEmbedder, ListSource, ticket

INJECTIONS = [
    json.loads(line)["text"]
    for line in (Path(__file__).parent / "fixtures" / "prompt_injection.jsonl").read_text().splitlines()
]
GOOD = "The nightly CSV export times out for our whole team"


class TranscriptSource(ListSource):
    """Also reads call transcripts ({"transcript": [[role, text], ...]}), rejecting ones it cannot parse."""

    def normalize(self, record: RawRecord):  # type: ignore[no-untyped-def]
        if "transcript" not in record.payload:
            return super().normalize(record)
        turns = record.payload["transcript"]
        if not isinstance(turns, list) or not all(isinstance(t, list) and len(t) == 2 for t in turns):
            raise MalformedRecord(self.name, f"transcript is not a list of [speaker, text] turns: {str(turns)[:40]}")
        return super().normalize(record.model_copy(update={"payload": {"messages": turns}}))


def _runtime(tmp_path: Path) -> Runtime:
    runtime = Runtime(Settings(data_dir=tmp_path))
    runtime.__dict__["embedder"] = HashEmbedder()
    runtime.__dict__["vectors"] = DictIndex()
    return runtime


def _run(tmp_path: Path, *records: RawRecord) -> tuple[Runtime, dict[str, Any]]:
    runtime = _runtime(tmp_path)
    source = TranscriptSource([*records, ticket("good", ("customer", GOOD))])
    report = run_pipeline(runtime=runtime, sources=[source]).as_dict()
    assert not report["errors"], report["errors"]
    with session_scope(runtime.engine) as session:
        raw = {r.external_id: r.payload for r in session.exec(select(RawRecordRow))}
        rejected = {
            r.external_id: r.raw for r in session.exec(select(RejectedRecord).where(RejectedRecord.stage == "pipeline"))
        }
    for record in records:  # nothing lost: every payload kept verbatim (escaped JSON when the DB cannot hold it)
        kept = raw[record.external_id] if record.external_id in raw else json.loads(rejected[record.external_id])
        assert kept == record.payload
    assert GOOD in _units(runtime).values()  # the run went on
    return runtime, report


def _units(runtime: Runtime) -> dict[str, str]:
    with session_scope(runtime.engine) as session:
        return {u.external_id: u.text for u in session.exec(select(FeedbackUnit))}


def _rejections(runtime: Runtime) -> dict[str | None, str]:
    with session_scope(runtime.engine) as session:
        return {r.external_id: r.reason for r in session.exec(select(RejectedRecord))}


def test_empty_and_whitespace_bodies_make_no_units(tmp_path: Path) -> None:
    runtime, report = _run(tmp_path, ticket("empty", ("customer", "")), ticket("blank", ("customer", " \n\t ")))
    assert report["accepted"] == 3 and report["rejected"] == 0
    assert set(_units(runtime)) == {"good"}


def test_html_only_bodies_do_not_become_markup_units(tmp_path: Path) -> None:
    runtime, _ = _run(tmp_path, ticket("html", ("customer", "<p><br/></p><div>&nbsp;</div>")))
    assert all("<" not in text for text in _units(runtime).values())


@pytest.mark.parametrize(
    "text", ["😡😡😡🔥", "Export broken 😡🔥 again 🙄🙄 — 3rd time 👎🏽👨‍👩‍👧 this week, pls fix 🙏"]
)
def test_emoji_only_and_emoji_heavy_text(tmp_path: Path, text: str) -> None:
    runtime, report = _run(tmp_path, ticket("emoji", ("customer", text)))
    assert report["rejected"] == 0
    stored = _units(runtime).get("emoji")
    assert stored is None or stored.strip() in text  # kept as written (or dropped as empty of words)


def test_a_100_kb_ticket_is_stored_and_split(tmp_path: Path) -> None:
    body = ("The export to CSV fails after ten minutes and the dashboard shows stale numbers. " * 1300)[:100_000]
    runtime, report = _run(tmp_path, ticket("big", ("customer", body)))
    assert report["accepted"] == 2 and report["units_added"] >= 2
    with session_scope(runtime.engine) as session:
        units = session.exec(select(FeedbackUnit).where(FeedbackUnit.external_id == "big")).all()
    assert units and all(0 <= u.char_start < u.char_end <= len(body) for u in units)


def test_mixed_languages_keep_their_text(tmp_path: Path) -> None:
    text = "La exportación falla cada noche. Der Export schlägt fehl. エクスポートが失敗します。 Экспорт не работает."
    runtime, _ = _run(tmp_path, ticket("mixed", ("customer", text)))
    stored = " ".join(_all_unit_texts(runtime, "mixed"))
    assert "exportación" in stored and "エクスポート" in stored and "Экспорт" in stored


def _all_unit_texts(runtime: Runtime, external_id: str) -> list[str]:
    with session_scope(runtime.engine) as session:
        return [u.text for u in session.exec(select(FeedbackUnit).where(FeedbackUnit.external_id == external_id))]


def test_nul_bytes_are_kept_raw_and_cleaned_from_units(tmp_path: Path) -> None:
    runtime, report = _run(
        tmp_path, ticket("nul", ("customer", "Export\x00 fails with a NUL\x00 byte in the file name"))
    )
    assert report["rejected"] == 0
    assert _all_unit_texts(runtime, "nul") == ["Export fails with a NUL byte in the file name"]


def test_lone_surrogates_reject_the_record_with_the_reason_and_a_lossless_copy(tmp_path: Path) -> None:
    broken = ticket("sur", ("customer", "Import breaks on \ud83d emoji halves in CSV files"))
    runtime, report = _run(tmp_path, broken)
    assert report["rejected"] == 1
    assert _rejections(runtime)["sur"] == "payload is not valid Unicode: lone surrogate U+D83D in messages[0][1]"


def test_sanitise_text_drops_controls_and_replaces_surrogates() -> None:
    assert sanitise_text("a\x00b\x07c\td\ne \udc00") == "abc\td\ne \ufffd"


def test_unparseable_transcripts_are_rejected_with_the_reason(tmp_path: Path) -> None:
    garbage = RawRecord(source="tickets", external_id="call-1", kind="call", payload={"transcript": "%%%<<not json"})
    half = RawRecord(source="tickets", external_id="call-2", kind="call", payload={"transcript": [["customer"]]})
    runtime, report = _run(tmp_path, garbage, half)
    assert report["rejected"] == 2 and report["accepted"] == 1
    reasons = _rejections(runtime)
    assert "transcript is not a list of [speaker, text] turns: %%%<<not json" in reasons["call-1"]
    assert "[speaker, text]" in reasons["call-2"]


def test_a_connector_crashing_on_odd_payloads_rejects_the_record_not_the_run(tmp_path: Path) -> None:
    odd = RawRecord(source="tickets", external_id="odd", kind="ticket", payload={"messages": [["nobody", "hi"]]})
    runtime, report = _run(tmp_path, odd)
    assert report["rejected"] == 1
    assert "nobody" in _rejections(runtime)["odd"]


def test_prompt_injection_is_stored_as_ordinary_data(tmp_path: Path) -> None:
    records = [ticket(f"inj-{i}", ("customer", text)) for i, text in enumerate(INJECTIONS)]
    runtime, report = _run(tmp_path, *records)
    assert report["rejected"] == 0 and report["accepted"] == len(INJECTIONS) + 1
    for i, text in enumerate(INJECTIONS):
        stored = _all_unit_texts(runtime, f"inj-{i}")
        assert stored and all(unit in text for unit in stored)  # words kept as data: split, never rewritten
    assert all(not runtime.privacy.redactor.redact(text).spans for text in INJECTIONS)  # no PII invented
