"""App Store reviews, live: JWT auth, links.next paging, lookback window for edits/responses/removals."""

from __future__ import annotations

import jwt
import pytest
from groundswell.connectors.http.appstore import AppStoreJwt, AppStoreSource
from groundswell.core.models import SpeakerRole
from groundswell.jobs.ingest import ingest_source
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.sources import list_drift

from tests.connectors.http.conftest import crash_then_resume, ingest_once, live_unit_ids, make_runtime, stored_records
from tests.fakes.appstore import APP_ID, ISSUER, KEY_ID, PRIVATE_KEY, FakeAppStore
from tests.fakes.http import FakeClock


@pytest.fixture
def appstore():
    fake = FakeAppStore(page_size=4)
    for i in range(1, 11):
        fake.add(f"rv{i}", f"Sync number {i} loses my drafts", rating=1 + i % 5, age_days=20 - i)
    fake.respond("rv3", "Thanks, fixed in 4.2")
    with fake.server:
        yield fake
    assert fake.errors == []


def _source(fake: FakeAppStore, clock: FakeClock | None = None, **kw) -> AppStoreSource:
    credentials = {"issuer_id": ISSUER, "key_id": KEY_ID, "private_key": kw.pop("private_key", PRIVATE_KEY)}
    return AppStoreSource(
        base_url=fake.server.url,
        credentials=credentials,
        options={"app_id": APP_ID, **kw.pop("options", {})},
        clock=clock or FakeClock(),
        timeout_s=kw.pop("timeout_s", 2.0),
        **kw,
    )


def _texts(payload: dict) -> list[str]:
    response = payload.get("_response")
    return [payload["attributes"]["body"]] + ([response["attributes"]["responseBody"]] if response else [])


def _calls(fake: FakeAppStore, since: int = 0) -> list[str]:
    return [q for _, path, q in fake.server.log[since:] if path.endswith("/customerReviews")]


def test_backfill_with_faults_then_incremental_edits_responses_and_removals(appstore, tmp_path):
    runtime = make_runtime(None, tmp_path)
    clock = FakeClock()
    appstore.server.faults.add("/customerReviews", "429", arg=9)
    appstore.server.faults.add("/customerReviews", "500", times=2)
    appstore.server.faults.add("/customerReviews", "truncate")
    appstore.server.faults.add("/customerReviews", "timeout", arg=1.0)
    appstore.overlap_next_page = True
    first = run_pipeline(runtime=runtime, sources=[_source(appstore, clock, timeout_s=0.5)]).as_dict()
    assert first["errors"] == {}
    assert stored_records(runtime, "appstore", _texts) == appstore.live_truth()
    assert (first["accepted"], first["unchanged"]) == (10, 1)  # the repeated review stored once
    assert 9 in clock.sleeps and not appstore.server.faults.queue
    assert len(live_unit_ids(runtime)) == runtime.vectors.count() == 10  # the developer response is no unit

    appstore.reviews["rv9"]["attributes"]["body"] = "Sync 9 loses drafts AND attachments"  # edited in the window
    appstore.respond("rv10", "We are on it")
    del appstore.reviews["rv8"]  # removed, inside the lookback window
    appstore.add("rv11", "Widgets are blank on iOS 19")
    mark = len(appstore.server.log)
    second = run_pipeline(runtime=runtime, sources=[_source(appstore, clock)]).as_dict()
    assert second["errors"] == {}
    assert stored_records(runtime, "appstore", _texts) == appstore.live_truth()
    assert (second["accepted"], second["updated"], second["deleted"]) == (1, 2, 1)
    assert len(_calls(appstore, mark)) == 2  # newest first, stopping at rv3 (just older than the 7-day window)
    assert all("sort=-createdDate" in q for q in _calls(appstore, mark))
    assert len(live_unit_ids(runtime)) == runtime.vectors.count() == 10 - 1 + 1


def test_developer_responses_are_staff_words(appstore):
    source = _source(appstore)
    records = {r.external_id: r for r in source.poll(None)}
    doc = source.normalize(records["rv3"])
    assert [m.author.role for m in doc.messages] == [SpeakerRole.CUSTOMER, SpeakerRole.AGENT]
    assert doc.messages[0].author.name == "Anne Johnson" and doc.rating == 4.0 and doc.tags == ["territory:USA"]
    assert doc.url.endswith("/v1/customerReviews/rv3")


def test_a_crashed_backfill_resumes_from_the_next_link(appstore, tmp_path):
    runtime = make_runtime(None, tmp_path)
    mark = crash_then_resume(runtime, lambda: _source(appstore), 6, appstore.server.log)
    assert stored_records(runtime, "appstore", _texts) == appstore.live_truth()
    assert "cursor=" in _calls(appstore, mark)[0]


def test_a_revoked_key_is_credentials_expired(appstore, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    report = ingest_once(_source(appstore, private_key=other.decode()), tmp_path)
    assert report.error.startswith("appstore: credentials expired for source appstore (HTTP 401")
    assert len(appstore.server.log) == 1


def test_the_jwt_is_short_lived_and_renewed():
    now = [1_800_000_000.0]
    auth = AppStoreJwt(ISSUER, KEY_ID, PRIVATE_KEY, now=lambda: now[0])
    first = auth.token()
    header, claims = jwt.get_unverified_header(first), jwt.decode(first, options={"verify_signature": False})
    assert header["alg"] == "ES256" and header["kid"] == KEY_ID
    assert claims == {"iss": ISSUER, "iat": 1_800_000_000, "exp": 1_800_001_200, "aud": "appstoreconnect-v1"}
    now[0] += 600
    assert auth.token() == first
    now[0] += 560  # under a minute left
    assert auth.token() != first


def test_a_retyped_rating_is_drift(appstore, tmp_path):
    runtime = make_runtime(None, tmp_path)
    appstore.reviews["rv2"]["attributes"]["rating"] = "5 stars"
    report = ingest_source(engine=runtime.engine, source=_source(appstore))
    assert report.counts["rejected"] == 1 and report.counts["new"] == 9
    with session_scope(runtime.engine) as session:
        [event] = list_drift(session=session, source="appstore")
        assert (event.path, event.problem, event.found) == ("attributes.rating", "retyped", "str")
