"""Poll and checkpoint behaviour shared by every file-export connector, run against each one's fixtures."""

from __future__ import annotations

import codecs
from pathlib import Path

import groundswell.connectors.files.base as base
import pytest
from groundswell.connectors.registry import SOURCES
from groundswell.core.errors import SourceError
from groundswell.core.protocols import Checkpoint

from tests.connectors.helpers import drain

# source -> (record ids in poll order, failure count)
EXPECTED: dict[str, tuple[list[str], int]] = {
    "zendesk": (["501", "502", "506"], 3),
    "intercom": (["1001", "1004"], 2),
    "googleplay": (["gp:MAY1", "gp:AOqpTOE1", "io.brightloop.app:1780480800000"], 1),
    "delighted": (["r-1", "r-2", "r-3", "r-4"], 2),
    "gong": (["7001", "7003"], 1),
    "discourse": (["301", "302", "303", "304"], 2),
    "salesforce": (["001ACME", "001INIT", "003DANA", "003MO"], 3),
}
# source -> (a record file to change, its text encoding, the ids read again after the change)
CHANGES: dict[str, tuple[str, str, list[str]]] = {
    "zendesk": ("tickets.jsonl", "utf-8", ["501", "502", "506"]),
    "intercom": ("conversations.jsonl", "utf-8", ["1001", "1004"]),
    "googleplay": (
        "reviews_io.brightloop.app_202606.csv",
        "utf-16-le",
        ["gp:AOqpTOE1", "io.brightloop.app:1780480800000"],
    ),
    "delighted": ("responses.csv", "utf-8", ["r-1", "r-2", "r-3", "r-4"]),
    "gong": ("calls.jsonl", "utf-8", ["7001", "7003"]),
    "discourse": ("posts.jsonl", "utf-8", ["301", "302", "303", "304"]),
    "salesforce": ("Contact.csv", "utf-8", ["003DANA", "003MO"]),
}
NAMES = sorted(EXPECTED)


def test_every_registered_source_has_expectations():
    assert set(EXPECTED) == set(CHANGES) == set(SOURCES)


@pytest.mark.parametrize("name", NAMES)
def test_poll_yields_records_failures_and_a_checkpoint(name, fixture_copy):
    folder = fixture_copy(name)
    source = SOURCES[name](folder)
    records, failures, checkpoint = drain(source.poll(None))
    ids, failure_count = EXPECTED[name]
    assert [r.external_id for r in records] == ids
    assert len(failures) == failure_count
    assert all(r.source == name and f.source == name for r in records for f in failures)
    assert all(f.raw for f in failures)  # the offending text is kept
    files = sorted(p.name for p in folder.iterdir())
    assert sorted(key.split(":")[0] for key in checkpoint.done_ids) == files
    assert all(len(key.split(":")[1]) == 64 for key in checkpoint.done_ids)
    assert source.progress == checkpoint


@pytest.mark.parametrize("name", NAMES)
def test_every_polled_record_normalizes(name, fixture_copy):
    source = SOURCES[name](fixture_copy(name))
    records, _, _ = drain(source.poll(None))
    for record in records:
        doc = source.normalize(record)
        assert doc.source == name
        assert doc.external_id == record.external_id


@pytest.mark.parametrize("name", NAMES)
def test_repoll_with_the_checkpoint_yields_nothing(name, fixture_copy):
    source = SOURCES[name](fixture_copy(name))
    _, _, checkpoint = drain(source.poll(None))
    records, failures, again = drain(source.poll(checkpoint))
    assert (records, failures) == ([], [])
    assert sorted(again.done_ids) == sorted(checkpoint.done_ids)


@pytest.mark.parametrize("name", NAMES)
def test_a_changed_file_is_reread_in_full(name, fixture_copy):
    folder = fixture_copy(name)
    source = SOURCES[name](folder)
    first, _, checkpoint = drain(source.poll(None))
    changed, encoding, reread = CHANGES[name]
    with (folder / changed).open("ab") as handle:
        handle.write(codecs.encode("\r\n", encoding))  # a blank line: new bytes, same records
    records, _, again = drain(source.poll(checkpoint))
    assert [r.external_id for r in records] == reread
    assert {r.version_hash for r in records} <= {r.version_hash for r in first}  # storage sees no change
    assert again.done_ids != checkpoint.done_ids
    assert len(again.done_ids) == len(checkpoint.done_ids)


def test_a_resumed_poll_rereads_only_unfinished_files(fixture_copy):
    source = SOURCES["googleplay"](fixture_copy("googleplay"))
    poll = source.poll(None)
    assert next(poll).external_id == "gp:MAY1"  # the May file's only record
    assert source.progress.done_ids == []  # not finished until the consumer comes back for more
    assert next(poll).external_id == "gp:AOqpTOE1"  # now in the June file: May is done
    poll.close()  # the job dies here
    resumed = source.progress
    assert [key.split(":")[0] for key in resumed.done_ids] == ["reviews_io.brightloop.app_202605.csv"]
    records, _, final = drain(SOURCES["googleplay"](source.path).poll(resumed))
    assert [r.external_id for r in records] == ["gp:AOqpTOE1", "io.brightloop.app:1780480800000"]
    assert len(final.done_ids) == 2


def test_checkpoint_survives_json_round_trip(fixture_copy):
    source = SOURCES["delighted"](fixture_copy("delighted"))
    _, _, checkpoint = drain(source.poll(None))
    restored = Checkpoint.model_validate_json(checkpoint.model_dump_json())
    assert drain(source.poll(restored))[0] == []


def test_missing_folder_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="export folder not found"):
        drain(SOURCES["zendesk"](tmp_path / "nope").poll(None))


def test_folder_without_export_files_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match=r"gong: no export files in .* \(expected calls.jsonl\)"):
        drain(SOURCES["gong"](tmp_path).poll(None))


@pytest.mark.parametrize("name", NAMES)
def test_source_name_is_configurable(name, fixture_copy):
    source = SOURCES[name](fixture_copy(name), name=f"{name}-eu")
    records, failures, _ = drain(source.poll(None))
    assert {r.source for r in records} == {f"{name}-eu"}
    assert {f.source for f in failures} == {f"{name}-eu"}
    assert source.normalize(records[0]).source == f"{name}-eu"


def test_a_deleted_file_drops_out_of_the_checkpoint(fixture_copy):
    folder: Path = fixture_copy("googleplay")
    source = SOURCES["googleplay"](folder)
    _, _, checkpoint = drain(source.poll(None))
    (folder / "reviews_io.brightloop.app_202605.csv").unlink()
    records, _, again = drain(source.poll(checkpoint))
    assert records == []
    assert [key.split(":")[0] for key in again.done_ids] == ["reviews_io.brightloop.app_202606.csv"]


def test_an_unreadable_file_is_a_source_error_and_keeps_progress(fixture_copy, monkeypatch):
    real = base.iter_csv

    def flaky(path):
        if "202606" in path.name:
            raise OSError("disk went away")
        return real(path)

    monkeypatch.setattr(base, "iter_csv", flaky)
    source = SOURCES["googleplay"](fixture_copy("googleplay"))
    with pytest.raises(SourceError, match=r"googleplay: cannot read reviews_io.brightloop.app_202606.csv: disk went"):
        drain(source.poll(None))
    assert [key.split(":")[0] for key in source.progress.done_ids] == ["reviews_io.brightloop.app_202605.csv"]
