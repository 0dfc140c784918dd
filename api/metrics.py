"""``/metrics`` for Prometheus: what this process did (answers and their latency, Slack acks, alerts, denials,
pipeline stages) and, read from the database at scrape time, the state every process shares (records per
source and status, freshness, classification, LLM tokens and cost, budget left). The database read is kept
for ``cache_s`` seconds (GROUNDSWELL_METRICS_CACHE_S), so frequent or concurrent scrapes cost one read.
One registry per app, never the library's global one."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from wsgiref.simple_server import WSGIServer

from fastapi import APIRouter, Response
from groundswell.core.budgets import SpendLimit
from groundswell.storage.db import Engine, session_scope, utcnow
from groundswell.storage.metrics import MetricsSnapshot, metrics_snapshot
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

__all__ = ["Metrics", "metrics_router", "serve_metrics"]

log = logging.getLogger("groundswell.api.metrics")

ANSWER_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
ACK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)  # Slack wants an ack within 3 s
DEFAULT_CACHE_S = 15.0


class Metrics:
    """The app's registry: what this process observed (implements :class:`core.telemetry.Telemetry`), plus the
    database's state if ``engine``."""

    def __init__(
        self,
        *,
        engine: Engine | None = None,
        spend_limit: SpendLimit | None = None,
        now: Callable[[], datetime] = utcnow,
        cache_s: float = DEFAULT_CACHE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.answers = Counter(
            "groundswell_answers", "Answers given, by surface and outcome.", ["surface", "outcome"],
            registry=self.registry,
        )  # fmt: skip
        self.answer_seconds = Histogram(
            "groundswell_answer_seconds", "Seconds from question to answer, by surface.", ["surface"],
            buckets=ANSWER_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.slack_ack_seconds = Histogram(
            "groundswell_slack_ack_seconds", "Seconds from receiving a Slack request to acknowledging it, by kind.",
            ["kind"], buckets=ACK_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.alerts = Counter(
            "groundswell_alerts", "Alerts and digests sent, or held back (reason: snoozed, budget, no_growth, "
            "already_told, post_failed, no_publisher), by kind.", ["kind", "outcome", "reason"], registry=self.registry,
        )  # fmt: skip
        self.denials = Counter(
            "groundswell_access_denials", "Requests refused (RBAC, scope, workspace, tokens), by surface and reason.",
            ["surface", "reason"], registry=self.registry,
        )  # fmt: skip
        self.processed = Counter(
            "groundswell_pipeline_units", "Units through each pipeline stage (ingest counts records read).",
            ["stage"], registry=self.registry,
        )  # fmt: skip
        if engine is not None:
            self.registry.register(
                StateCollector(engine, spend_limit=spend_limit, now=now, cache_s=cache_s, clock=clock)
            )

    def observe_answer(self, surface: str, outcome: str, seconds: float) -> None:
        self.answers.labels(surface=surface, outcome=outcome).inc()
        self.answer_seconds.labels(surface=surface).observe(seconds)

    def observe_slack_ack(self, kind: str, seconds: float) -> None:
        self.slack_ack_seconds.labels(kind=kind).observe(seconds)

    def count_alert(self, kind: str, outcome: str, reason: str = "") -> None:
        self.alerts.labels(kind=kind, outcome=outcome, reason=reason).inc()

    def count_denial(self, surface: str, reason: str) -> None:
        self.denials.labels(surface=surface, reason=reason).inc()

    def count_processed(self, stage: str, units: int) -> None:
        self.processed.labels(stage=stage).inc(units)

    def render(self) -> bytes:
        return generate_latest(self.registry)


@dataclass(frozen=True)
class _Read:
    snapshot: MetricsSnapshot
    budget_left: float | None
    at: float  # the clock's reading when it was taken


class StateCollector(Collector):
    """Reads one :class:`~storage.metrics.MetricsSnapshot` (and the LLM budget left) at most every ``cache_s``
    seconds, one read at a time; a database error reports ``up 0`` and is not kept."""

    def __init__(
        self,
        engine: Engine,
        *,
        spend_limit: SpendLimit | None = None,
        now: Callable[[], datetime] = utcnow,
        cache_s: float = DEFAULT_CACHE_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.engine = engine
        self.spend_limit = spend_limit
        self.now = now
        self.cache_s = cache_s
        self.clock = clock
        self._last: _Read | None = None
        self._mutex = threading.Lock()

    def _read(self) -> _Read:
        with self._mutex:  # concurrent scrapes wait for the one read instead of each running it
            last = self._last
            if last is not None and self.clock() - last.at < self.cache_s:
                return last
            with session_scope(self.engine) as session:
                snapshot = metrics_snapshot(session=session, now=self.now())
            left = self.spend_limit.remaining() if self.spend_limit is not None else None
            self._last = _Read(snapshot, left, self.clock())
            return self._last

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("groundswell_database_up", "1 when the metrics read from the database succeeded.")
        try:
            read = self._read()
        except Exception as exc:  # a scrape never fails: it says the database is down
            log.warning("metrics: database read failed: %s", type(exc).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from _families(read.snapshot)
        if self.spend_limit is not None and read.budget_left is not None:
            left = GaugeMetricFamily(
                "groundswell_llm_budget_remaining_usd", "USD left of today's LLM limit, all workers.", labels=["name"]
            )
            left.add_metric([self.spend_limit.name], read.budget_left)
            yield left


def _families(s: MetricsSnapshot) -> Iterator[Metric]:
    records = GaugeMetricFamily(
        "groundswell_ingest_records", "Ingested records by source and status (live, deleted, rejected).",
        labels=["source", "status"],
    )  # fmt: skip
    for (source, status), count in sorted(s.records.items()):
        records.add_metric([source, status], count)
    units = GaugeMetricFamily("groundswell_units", "Live feedback units by source.", labels=["source"])
    for source, count in sorted(s.units.items()):
        units.add_metric([source], count)
    fresh = GaugeMetricFamily(
        "groundswell_source_freshness_seconds", "Seconds since the source's last successful sync.", labels=["source"]
    )
    never = GaugeMetricFamily(
        "groundswell_source_never_synced", "1 when the source has no successful sync yet.", labels=["source"]
    )
    stale = GaugeMetricFamily(
        "groundswell_source_stale", "1 when the last success is older than the expected cadence.", labels=["source"]
    )
    failing = GaugeMetricFamily(
        "groundswell_source_failing", "1 when the source's last sync ended in an error.", labels=["source"]
    )
    drift = GaugeMetricFamily(
        "groundswell_source_drift_events", "Open schema-drift events (fields records stopped carrying).",
        labels=["source"],
    )  # fmt: skip
    for source, seconds in sorted(s.freshness_s.items()):
        never.add_metric([source], 1 if seconds is None else 0)
        if seconds is not None:
            fresh.add_metric([source], seconds)
        stale.add_metric([source], 1 if s.stale.get(source) else 0)
        failing.add_metric([source], 1 if s.failing.get(source) else 0)
        drift.add_metric([source], s.drift_events.get(source, 0))
    classified = GaugeMetricFamily(
        "groundswell_classified_units", "Units classified in the latest taxonomy, by kind (classified, themed, "
        "needs_review).", labels=["kind", "taxonomy_version"],
    )  # fmt: skip
    for kind, count in sorted(s.classified.items()):
        classified.add_metric([kind, str(s.taxonomy_version)], count)
    calls = CounterMetricFamily("groundswell_llm_calls", "LLM requests sent.", labels=["purpose", "model"])
    tokens = CounterMetricFamily("groundswell_llm_tokens", "LLM tokens.", labels=["purpose", "model", "kind"])
    cost = CounterMetricFamily("groundswell_llm_cost_usd", "LLM cost in USD.", labels=["purpose", "model"])
    for (purpose, model), t in sorted(s.llm.items()):
        calls.add_metric([purpose, model], t["calls"])
        tokens.add_metric([purpose, model, "prompt"], t["prompt"])
        tokens.add_metric([purpose, model, "completion"], t["completion"])
        cost.add_metric([purpose, model], t["cost"])
    yield from (records, units, fresh, never, stale, failing, drift, classified, calls, tokens, cost)


def metrics_router(metrics: Metrics) -> APIRouter:
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    def scrape() -> Response:
        """Prometheus text exposition of this app's registry."""
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return router


def serve_metrics(metrics: Metrics, *, host: str, port: int) -> WSGIServer:
    """Serve ``metrics`` on http://host:port/metrics from a daemon thread (for the worker, which has no web app);
    ``port`` 0 takes a free one (``server.server_port``)."""
    server, _thread = start_http_server(port, addr=host, registry=metrics.registry)
    return server
