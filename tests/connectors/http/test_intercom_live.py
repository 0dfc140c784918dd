"""Intercom live sync against the spec-checked fake, through the real pipeline and storage."""

from __future__ import annotations

import pytest
from groundswell.connectors.http.intercom import IntercomSource
from groundswell.core.errors import SourceError
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.raw import list_current_raw

from tests.connectors.http.conftest import live_unit_ids, make_runtime
from tests.fakes.http import FakeClock
from tests.fakes.intercom import TOKEN, FakeIntercom


@pytest.fixture
def intercom():
    fake = FakeIntercom(page_size=3)
    for i in range(1, 9):
        fake.add(
            f"c{i}", f"Billing page {i} shows the wrong invoice", [("admin", "Checking"), ("user", f"any news {i}?")]
        )
    with fake.server:
        yield fake


def _source(fake: FakeIntercom, **options) -> IntercomSource:
    return IntercomSource(
        base_url=fake.server.url, credentials={"token": TOKEN}, options=options, clock=FakeClock(), timeout_s=2.0
    )


def _stored(runtime) -> dict[str, list[str]]:
    with session_scope(runtime.engine) as session:
        rows = [r for r in list_current_raw(session=session, source="intercom") if r.deleted_at is None]
        return {
            r.external_id: [r.payload["source"]["body"]]
            + [p["body"] for p in r.payload["conversation_parts"]["conversation_parts"]]
            for r in rows
        }


def test_backfill_and_incremental_with_faults_equal_the_truth(intercom, tmp_path):
    runtime = make_runtime(None, tmp_path)
    intercom.server.faults.add("/conversations/search", "429", arg=2)
    intercom.server.faults.add("/conversations/c4", "500", times=2)
    intercom.server.faults.add("/conversations/search", "truncate")
    first = run_pipeline(runtime=runtime, sources=[_source(intercom)]).as_dict()
    assert first["errors"] == {} and first["accepted"] == 8
    assert _stored(runtime) == intercom.live_truth()
    assert len(live_unit_ids(runtime)) == runtime.vectors.count() == 16  # opening message + customer follow-up

    intercom.reply("c2", "user", "Also the PDF is blank")
    del intercom.conversations["c5"]  # deleted at the source
    intercom.add("c9", "Webhooks stopped firing")
    second = run_pipeline(runtime=runtime, sources=[_source(intercom)]).as_dict()
    assert second["errors"] == {}
    assert (second["accepted"], second["updated"], second["deleted"]) == (1, 1, 1)
    assert _stored(runtime) == intercom.live_truth()
    assert len(live_unit_ids(runtime)) == runtime.vectors.count() == 16 - 2 + 1 + 1
    assert intercom.errors == []


def test_a_request_the_spec_does_not_allow_fails_the_sync(intercom):
    source = _source(intercom, api_version="9.9")
    with pytest.raises(SourceError, match="HTTP 400"):
        list(source.poll(None))
    assert any("Intercom-Version='9.9'" in e for e in intercom.errors)
