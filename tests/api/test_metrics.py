"""/metrics scraped over HTTP: the database's shared state and the answers this process gave."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from groundswell.api.app import create_api
from groundswell.api.metrics import Metrics
from groundswell.core.budgets import MemoryBudgetStore, SpendLimit
from groundswell.core.llm_usage import LlmCall
from groundswell.core.models import RawRecord, RecordFailure
from groundswell.storage.db import create_db_engine, migrate, session_scope, utcnow
from groundswell.storage.llm import record_llm_call
from groundswell.storage.raw import add_rejected, ensure_source, save_sync_state, store_raw_record
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    """Every sample of a Prometheus text exposition, keyed by name and sorted labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


def _engine(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    return engine


def test_metrics_report_records_freshness_llm_usage_and_budget(tmp_path):
    engine = _engine(tmp_path)
    with session_scope(engine) as session:
        for name in ("zendesk", "gong"):
            ensure_source(session=session, name=name, cadence_s=3600)
        for n in range(3):
            store_raw_record(
                session=session, record=RawRecord(source="zendesk", external_id=str(n), kind="t", payload={"n": n})
            )
        add_rejected(session=session, failure=RecordFailure(source="zendesk", external_id="x", reason="bad", raw="{"))
        save_sync_state(session=session, source="zendesk", checkpoint={}, counts={})
        save_sync_state(session=session, source="gong", checkpoint=None, counts={}, error="HTTP 503")
        record_llm_call(
            session=session, call=LlmCall("classify", "m1", prompt_tokens=100, completion_tokens=20, cost_usd=0.5)
        )
    limit = SpendLimit(MemoryBudgetStore(), name="llm", limit=2.0)
    limit.record(0.5)
    later = utcnow() + timedelta(hours=2)
    metrics = Metrics(engine=engine, spend_limit=limit, now=lambda: later)
    got = scrape(TestClient(create_api(slack=None, engine=engine, metrics=metrics)))
    assert got[("groundswell_database_up", ())] == 1
    assert got[("groundswell_ingest_records", (("source", "zendesk"), ("status", "live")))] == 3
    assert got[("groundswell_ingest_records", (("source", "zendesk"), ("status", "rejected")))] == 1
    assert got[("groundswell_source_freshness_seconds", (("source", "zendesk"),))] >= 7200
    assert got[("groundswell_source_stale", (("source", "zendesk"),))] == 1  # two hours > its hourly cadence
    assert got[("groundswell_source_never_synced", (("source", "gong"),))] == 1
    assert got[("groundswell_source_failing", (("source", "gong"),))] == 1
    assert got[("groundswell_source_failing", (("source", "zendesk"),))] == 0
    assert got[("groundswell_source_drift_events", (("source", "zendesk"),))] == 0
    assert ("groundswell_source_freshness_seconds", (("source", "gong"),)) not in got
    tokens = ("groundswell_llm_tokens_total", (("kind", "prompt"), ("model", "m1"), ("purpose", "classify")))
    assert got[tokens] == 100
    assert got[("groundswell_llm_cost_usd_total", (("model", "m1"), ("purpose", "classify")))] == 0.5
    assert got[("groundswell_llm_budget_remaining_usd", (("name", "llm"),))] == 1.5


def test_an_unreachable_database_reports_down_instead_of_failing_the_scrape():
    engine = create_db_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    got = scrape(TestClient(create_api(slack=None, engine=engine, metrics=Metrics(engine=engine))))
    assert got[("groundswell_database_up", ())] == 0


def test_two_apps_keep_separate_registries(tmp_path):
    first, second = Metrics(), Metrics()
    first.observe_answer("dm", "answered", 0.2)
    assert b"groundswell_answers_total" in first.render()
    assert 'surface="dm"' not in second.render().decode()


def test_the_database_snapshot_is_reused_for_its_ttl_then_read_again(tmp_path):
    engine = _engine(tmp_path)
    clock = [100.0]

    def add_record(n: int) -> None:
        with session_scope(engine) as session:
            store_raw_record(
                session=session, record=RawRecord(source="zendesk", external_id=str(n), kind="t", payload={"n": n})
            )

    with session_scope(engine) as session:
        ensure_source(session=session, name="zendesk")
    add_record(1)
    metrics = Metrics(engine=engine, cache_s=15.0, clock=lambda: clock[0])
    client = TestClient(create_api(slack=None, engine=engine, metrics=metrics))
    live = ("groundswell_ingest_records", (("source", "zendesk"), ("status", "live")))
    assert scrape(client)[live] == 1
    add_record(2)
    clock[0] += 14.9
    assert scrape(client)[live] == 1  # within the TTL: the same snapshot, no database read
    clock[0] += 0.2
    assert scrape(client)[live] == 2  # past it: read again
    uncached = Metrics(engine=engine, cache_s=0, clock=lambda: clock[0])
    add_record(3)
    assert parse(uncached.render().decode())[live] == 3
    add_record(4)
    assert parse(uncached.render().decode())[live] == 4


def test_a_failed_read_is_not_kept(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")  # no tables yet: the read fails
    metrics = Metrics(engine=engine, cache_s=3600)
    assert parse(metrics.render().decode())[("groundswell_database_up", ())] == 0
    migrate(engine)
    assert parse(metrics.render().decode())[("groundswell_database_up", ())] == 1  # well within the TTL
