"""Typeform, live: backfill newest first with ``before``, incremental with ``after`` tokens, 2 requests a second."""

from __future__ import annotations

import pytest
from groundswell.connectors.http.typeform import TypeformSource
from groundswell.core.models import SpeakerRole
from groundswell.jobs.pipeline import run_pipeline

from tests.connectors.http.conftest import crash_then_resume, ingest_once, make_runtime, stored_records
from tests.fakes.http import FakeClock
from tests.fakes.typeform import FORM_ID, TOKEN, FakeTypeform


@pytest.fixture
def typeform():
    fake = FakeTypeform()
    for i in range(1, 8):
        fake.submit(f"tok{i}", f"Onboarding step {i} is confusing", nps=i)
    with fake.server:
        yield fake
    assert fake.errors == []


def _source(fake: FakeTypeform, clock: FakeClock | None = None, token: str = TOKEN) -> TypeformSource:
    return TypeformSource(
        base_url=fake.server.url,
        credentials={"token": token},
        options={"form_id": FORM_ID, "page_size": 3},
        clock=clock or FakeClock(),
        timeout_s=0.5,
    )


def _texts(payload: dict) -> list[str]:
    return [a["text"] for a in payload["answers"] if a["type"] == "text"]


def _queries(fake: FakeTypeform, since: int = 0) -> list[str]:
    return [q for _, _, q in fake.server.log[since:]]


def test_backfill_with_faults_then_incremental_after_the_newest_token(typeform, tmp_path):
    runtime = make_runtime(None, tmp_path)
    clock = FakeClock()
    typeform.server.faults.add("/responses", "429", arg=5)
    typeform.server.faults.add("/responses", "500")
    typeform.server.faults.add("/responses", "truncate")
    first = run_pipeline(runtime=runtime, sources=[_source(typeform, clock)]).as_dict()
    assert first["errors"] == {} and first["accepted"] == 7
    assert stored_records(runtime, "typeform", _texts) == typeform.live_truth()
    assert 5 in clock.sleeps and 0.5 in clock.sleeps  # Retry-After, then 2 requests a second

    typeform.submit("tok8", "Love the new templates", nps=10)
    typeform.submit("tok9", "Import from CSV failed", nps=3)
    mark = len(typeform.server.log)
    second = run_pipeline(runtime=runtime, sources=[_source(typeform, clock)]).as_dict()
    assert (second["errors"], second["accepted"], second["unchanged"]) == ({}, 2, 0)
    assert stored_records(runtime, "typeform", _texts) == typeform.live_truth()
    assert _queries(typeform, mark) == ["page_size=3&after=tok7"]


def test_a_crashed_backfill_resumes_before_the_last_stored_token(typeform, tmp_path):
    runtime = make_runtime(None, tmp_path)
    mark = crash_then_resume(runtime, lambda: _source(typeform), 5, typeform.server.log)
    assert stored_records(runtime, "typeform", _texts) == typeform.live_truth()
    assert _queries(typeform, mark)[0] == "page_size=3&before=tok5"


def test_answers_become_score_text_and_respondent(typeform):
    source = _source(typeform)
    doc = source.normalize(next(r for r in source.poll(None) if r.external_id == "tok6"))
    assert (doc.score, doc.rating, doc.account_ref) == (6, None, "Acme")
    [message] = doc.messages
    assert message.text == "Onboarding step 6 is confusing" and message.author.role == SpeakerRole.CUSTOMER
    assert message.author.email == "ana@acme.com"


def test_a_revoked_token_is_credentials_expired(typeform, tmp_path):
    report = ingest_once(_source(typeform, token="tfp_revoked"), tmp_path)
    assert report.error.startswith("typeform: credentials expired for source typeform (HTTP 401")
