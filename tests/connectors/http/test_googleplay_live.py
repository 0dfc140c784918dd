"""Google Play reviews, live: token pagination, edits as new versions, the one-week window, export normaliser."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from groundswell.connectors.files.googleplay import review_id
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.google_auth import ServiceAccountAuth
from groundswell.connectors.http.googleplay import GooglePlaySource
from groundswell.core.models import SpeakerRole
from groundswell.jobs.ingest import ingest_source
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.raw import get_current_raw

from tests.connectors.http.conftest import ingest_once, live_unit_ids, make_runtime, stored_records
from tests.fakes.googleplay import PACKAGE, TOKEN, WEEK_S, FakeGooglePlay
from tests.fakes.http import FakeClock


@pytest.fixture
def play():
    fake = FakeGooglePlay(page_size=4)
    for i in range(1, 10):
        fake.add(f"gp:{i}", f"Crashes when I open invoice {i}", stars=1 + i % 5)
    fake.reply("gp:2", "Fixed in 4.1.3, sorry!")
    with fake.server:
        yield fake
    assert fake.errors == []


def _source(fake: FakeGooglePlay, clock: FakeClock | None = None, token: str = TOKEN, **kw) -> GooglePlaySource:
    return GooglePlaySource(
        base_url=fake.server.url,
        credentials={"service_account": token},
        options={"package_name": PACKAGE},
        clock=clock or FakeClock(),
        timeout_s=kw.pop("timeout_s", 2.0),
        **kw,
    )


def _texts(payload: dict) -> list[str]:
    return [next(iter(c.values()))["text"].strip() for c in payload["comments"]]


def _truth(fake: FakeGooglePlay) -> dict[str, list[str]]:
    return {rid: _texts(review) for rid, review in fake.reviews.items()}


def test_sync_with_faults_edits_replies_and_the_one_week_window(play, tmp_path):
    runtime = make_runtime(None, tmp_path)
    clock = FakeClock()
    play.server.faults.add("/reviews", "429", arg=11)
    play.server.faults.add("/reviews", "500", times=2)
    play.server.faults.add("/reviews", "truncate")
    play.server.faults.add("/reviews", "timeout", arg=1.0)
    first = run_pipeline(runtime=runtime, sources=[_source(play, clock, timeout_s=0.5)]).as_dict()
    assert first["errors"] == {} and first["accepted"] == 9
    assert stored_records(runtime, "googleplay", _texts) == _truth(play)
    assert 11 in clock.sleeps and not play.server.faults.queue
    assert len(live_unit_ids(runtime)) == runtime.vectors.count() == 9  # the developer reply is no unit

    play.edit("gp:4", "Crashes on every invoice now", stars=1)  # lastModified moves: a new version
    play.reply("gp:5", "Thanks, we are looking into it")
    play.add("gp:10", "Dark mode please")
    second = run_pipeline(runtime=runtime, sources=[_source(play, clock)]).as_dict()
    assert second["errors"] == {}
    assert (second["accepted"], second["updated"], second["unchanged"]) == (1, 2, 7)
    assert stored_records(runtime, "googleplay", _texts) == _truth(play)
    with session_scope(runtime.engine) as session:
        assert get_current_raw(session=session, source="googleplay", external_id="gp:4").version == 2

    play.tick(WEEK_S + 60)  # everything ages out of the API's one-week window: nothing is deleted
    play.add("gp:11", "Widget is blank")
    third = run_pipeline(runtime=runtime, sources=[_source(play, clock)]).as_dict()
    assert (third["accepted"], third["deleted"]) == (1, 0)
    assert stored_records(runtime, "googleplay", _texts) == _truth(play)


def test_the_export_normaliser_reads_the_api_review(play):
    source = _source(play)
    records = {r.external_id: r for r in source.poll(None)}
    doc = source.normalize(records["gp:2"])
    assert [m.author.role for m in doc.messages] == [SpeakerRole.CUSTOMER, SpeakerRole.AGENT]
    assert doc.messages[0].text == "Crashes when I open invoice 2" and doc.messages[1].text == "Fixed in 4.1.3, sorry!"
    assert (doc.rating, doc.locale, doc.external_id) == (3.0, "en", "gp:2")
    assert review_id(doc.url) == "gp:2" and PACKAGE in doc.url
    assert source.client.budget.rates == (Rate(200, 3600),)  # documented quota: 200 GET/hour


def test_an_expired_token_is_credentials_expired(play, tmp_path):
    report = ingest_once(_source(play, token="ya29.expired"), tmp_path)
    assert report.error.startswith("googleplay: credentials expired for source googleplay (HTTP 401")
    assert len(play.server.log) == 1


def test_a_retyped_star_rating_is_drift(play, tmp_path):
    play.reviews["gp:3"]["comments"][0]["userComment"]["starRating"] = "four"
    report = ingest_once(_source(play), tmp_path)
    assert report.counts["rejected"] == 1 and report.counts["new"] == 8


def test_a_service_account_key_gets_one_token_for_the_whole_sync(play, tmp_path):
    key_file = tmp_path / "play-key.json"
    key_file.write_text(json.dumps(play.service_account()))
    runtime = make_runtime(None, tmp_path)
    report = ingest_source(engine=runtime.engine, source=_source(play, token=str(key_file)))
    assert report.error is None and report.counts["new"] == 9
    assert [p for _, p, _ in play.server.log].count("/token") == 1 and play.issued == ["ya29.issued-1"]


def test_a_disabled_service_account_is_credentials_expired(play, tmp_path):
    play.disabled = True
    report = ingest_once(_source(play, token=json.dumps(play.service_account())), tmp_path)
    assert report.error == (
        "googleplay: credentials expired for source googleplay (token exchange refused (invalid_grant))"
    )


def test_tokens_are_renewed_before_they_expire(play):
    now = [time.time()]  # the fake checks the assertion's times against the real clock (2 h leeway)
    auth = ServiceAccountAuth("googleplay", play.service_account(), GooglePlaySource.SCOPE, now=lambda: now[0])
    url = f"{play.server.url}/androidpublisher/v3/applications/{PACKAGE}/reviews"
    with httpx.Client(auth=auth) as client:
        assert client.get(url).status_code == 200
        now[0] += 3000
        assert client.get(url).status_code == 200
        now[0] += 560  # under a minute left (of 3599 s)
        assert client.get(url).status_code == 200
    assert play.issued == ["ya29.issued-1", "ya29.issued-2"]
