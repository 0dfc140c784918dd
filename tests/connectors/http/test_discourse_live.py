"""Discourse, live: new posts via /posts.json, topics re-read in the window for edits, deletes and hidden posts."""

from __future__ import annotations

import pytest
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.discourse import DiscourseSource
from groundswell.core.models import SpeakerRole
from groundswell.jobs.ingest import ingest_source
from groundswell.jobs.pipeline import run_pipeline

from tests.connectors.http.conftest import crash_then_resume, ingest_once, live_unit_ids, make_runtime, stored_records
from tests.fakes.discourse import API_KEY, API_USERNAME, FakeDiscourse
from tests.fakes.http import FakeClock


@pytest.fixture
def forum():
    fake = FakeDiscourse(latest_page=5, topic_chunk=3)
    for t in range(1, 5):
        fake.topic(t, f"Export fails {t}")
    for round_ in range(5):
        for t in range(1, 5):
            author = "sam" if round_ == 1 else ("ana", "bo")[round_ % 2]
            fake.post(t, author, f"Export {t} fails again, round {round_}")
    fake.post(2, "system", "closed this topic", post_type=3)
    with fake.server:
        yield fake
    assert fake.errors == []


def _source(fake: FakeDiscourse, clock: FakeClock | None = None, key: str = API_KEY) -> DiscourseSource:
    return DiscourseSource(
        base_url=fake.server.url,
        credentials={"api_key": key, "api_username": API_USERNAME},
        clock=clock or FakeClock(),
        timeout_s=0.5,
    )


def _texts(payload: dict) -> list[str]:
    return [payload["cooked"]]


def _paths(fake: FakeDiscourse, since: int = 0) -> list[str]:
    return [path for _, path, _ in fake.server.log[since:]]


def test_backfill_with_faults_then_edits_deletes_hidden_and_new_topics(forum, tmp_path):
    runtime = make_runtime(None, tmp_path)
    clock = FakeClock()
    forum.server.faults.add("/posts.json", "429", arg=17)
    forum.server.faults.add("/t/2.json", "500", times=2)
    forum.server.faults.add("/t/3/posts.json", "truncate")
    forum.server.faults.add("/t/4.json", "timeout", arg=1.0)
    first = run_pipeline(runtime=runtime, sources=[_source(forum, clock)]).as_dict()
    assert first["errors"] == {}
    assert stored_records(runtime, "discourse", _texts) == forum.live_truth()
    assert first["accepted"] == 20 and 17 in clock.sleeps and not forum.server.faults.queue
    assert len(live_unit_ids(runtime)) == runtime.vectors.count() == 16  # staff posts (sam) are no units

    forum.edit(101, "Export 1 fails with a 502 now")
    forum.post(1, "bo", "Same here since Monday")
    forum.delete(102)  # deleted_at set, still in the stream for an admin
    forum.posts[107]["hidden"] = True  # hidden by flags
    forum.topics[4]["deleted"] = True  # the whole topic goes: 404
    forum.topic(5, "SSO loop")
    forum.post(5, "ana", "SSO login loops forever")
    second = run_pipeline(runtime=runtime, sources=[_source(forum, clock)]).as_dict()
    assert second["errors"] == {}
    assert stored_records(runtime, "discourse", _texts) == forum.live_truth()
    assert (second["accepted"], second["updated"], second["deleted"]) == (2, 1, 2 + 5)

    forum.staff_view = False  # a deleted post vanishes from the stream: a tombstone all the same
    forum.delete(106)
    third = ingest_source(engine=runtime.engine, source=_source(forum, clock))
    assert third.error is None and third.counts["deleted"] == 1
    assert stored_records(runtime, "discourse", _texts) == forum.live_truth()


def test_topics_older_than_the_window_are_not_read_again(forum, tmp_path):
    runtime = make_runtime(None, tmp_path)
    assert ingest_source(engine=runtime.engine, source=_source(forum)).error is None
    forum.tick(30 * 86_400)
    forum.post(3, "ana", "Still broken a month later")
    mark = len(forum.server.log)
    assert ingest_source(engine=runtime.engine, source=_source(forum)).error is None
    assert [p for p in _paths(forum, mark) if p.startswith("/t/")] == ["/t/3.json", "/t/3/posts.json"]
    assert stored_records(runtime, "discourse", _texts) == forum.live_truth()


def test_a_crashed_sync_resumes_with_the_next_topic(forum, tmp_path):
    runtime = make_runtime(None, tmp_path)
    mark = crash_then_resume(runtime, lambda: _source(forum), 12, forum.server.log)  # inside the third topic
    assert stored_records(runtime, "discourse", _texts) == forum.live_truth()
    assert _paths(forum, mark)[0] == "/t/3.json"  # no new listing, topics 1 and 2 not read again


def test_staff_posts_are_agent_words_and_urls_point_at_the_forum(forum):
    source = _source(forum)
    records = {r.external_id: r for r in source.poll(None)}
    staff, customer = source.normalize(records["105"]), source.normalize(records["101"])
    assert staff.messages[0].author.role == SpeakerRole.AGENT
    assert customer.messages[0].author.role == SpeakerRole.CUSTOMER
    assert customer.url == f"{forum.server.url}/t/export-fails-1/1/1" and customer.title == "Export fails 1"
    assert customer.tags == ["topic:1"] and source.client.budget.rates == (Rate(60, 60),)


def test_an_invalid_api_key_is_credentials_expired(forum, tmp_path):
    report = ingest_once(_source(forum, key="revoked"), tmp_path)
    assert report.error.startswith("discourse: credentials expired for source discourse (HTTP 403")
    assert len(forum.server.log) == 1
