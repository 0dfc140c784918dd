"""A field gone from the export fails each record that misses it, and the run goes on."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from groundswell.connectors.files.reading import Row, iter_csv
from groundswell.connectors.registry import SOURCES

from tests.connectors.helpers import drain

# source -> (record file, a top-level key to drop, the declared field that names)
JSONL_DRIFT = {
    "zendesk": ("tickets.jsonl", "status", "status"),
    "intercom": ("conversations.jsonl", "updated_at", "updated_at"),
    "gong": ("calls.jsonl", "parties", "parties[].id"),
    "discourse": ("posts.jsonl", "topic_id", "topic_id"),
}
# source -> (record file, a column it relies on)
CSV_DRIFT = {
    "googleplay": ("reviews_io.brightloop.app_202605.csv", "Star Rating"),
    "delighted": ("responses.csv", "Survey Type"),
    "salesforce": ("Account.csv", "CreatedDate"),
}


@pytest.mark.parametrize("name", sorted(JSONL_DRIFT))
def test_first_records_missing_a_field_are_each_a_failure(name, fixture_copy):
    folder: Path = fixture_copy(name)
    filename, key, field = JSONL_DRIFT[name]
    assert field in SOURCES[name].REQUIRED_FIELDS
    path = folder / filename
    good = json.loads(path.read_text().splitlines()[0])
    drifted = {k: v for k, v in good.items() if k != key}
    path.write_text("\n".join([json.dumps(drifted)] * 3 + [json.dumps(good)]) + "\n")
    records, failures, checkpoint = drain(SOURCES[name](folder).poll(None))
    assert [f.reason for f in failures] == [
        f"schema drift: {filename} line {n}: field '{field}' missing" for n in (1, 2, 3)
    ]
    assert len(records) == 1
    assert f"{filename}:" in " ".join(checkpoint.done_ids)


@pytest.mark.parametrize("name", sorted(CSV_DRIFT))
def test_a_dropped_column_fails_every_row_without_crashing(name, fixture_copy):
    folder: Path = fixture_copy(name)
    filename, field = CSV_DRIFT[name]
    assert field in SOURCES[name].REQUIRED_FIELDS
    path = folder / filename
    rows = [item.data for item in iter_csv(path) if isinstance(item, Row)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[c for c in rows[0] if c != field])
        writer.writeheader()
        writer.writerows({k: v for k, v in row.items() if k != field} for row in rows)
    _, failures, _ = drain(SOURCES[name](folder).poll(None))
    drift = [f for f in failures if f.reason.startswith(f"schema drift: {filename}")]
    assert len(drift) == len(rows)
    assert all(f.reason.endswith(f"field '{field}' missing") for f in drift)


def test_a_retyped_list_is_drift(fixture_copy):
    folder: Path = fixture_copy("zendesk")
    path = folder / "tickets.jsonl"
    ticket = json.loads(path.read_text().splitlines()[0])
    path.write_text(json.dumps({**ticket, "comments": "see attachment"}) + "\n")
    _, failures, _ = drain(SOURCES["zendesk"](folder).poll(None))
    assert failures[0].reason == "schema drift: tickets.jsonl line 1: field 'comments[].id' is str, not a list"
