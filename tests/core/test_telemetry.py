"""The telemetry hub: recorders attached after it was handed out still hear everything; a failing one is
logged and never breaks the caller; nothing attached records nothing."""

from __future__ import annotations

import logging

import pytest
from groundswell.api.metrics import Metrics
from groundswell.core.telemetry import NO_TELEMETRY, NullTelemetry, Telemetry, TelemetryHub

from tests.api.test_metrics import parse


class Broken(NullTelemetry):
    def count_processed(self, stage: str, units: int) -> None:
        raise RuntimeError("recorder down")


def test_a_recorder_attached_later_hears_what_holders_of_the_hub_report() -> None:
    hub = TelemetryHub()
    held: Telemetry = hub  # e.g. captured by the audit log before `serve` attached its metrics
    held.count_processed("embed", 3)  # nobody listening yet: dropped
    metrics = Metrics()
    hub.attach(metrics)
    hub.attach(metrics)  # attaching twice does not double-count
    held.count_processed("embed", 2)
    held.count_processed("embed", 0)  # nothing processed: no call at all
    held.count_denial("rest", "unauthorized")
    held.count_alert("spike", "held", "budget")
    held.observe_slack_ack("event", 0.01)
    held.observe_answer("dm", "answered", 0.3)
    got = parse(metrics.render().decode())
    assert got[("groundswell_pipeline_units_total", (("stage", "embed"),))] == 2
    assert got[("groundswell_access_denials_total", (("reason", "unauthorized"), ("surface", "rest")))] == 1
    assert got[("groundswell_alerts_total", (("kind", "spike"), ("outcome", "held"), ("reason", "budget")))] == 1
    assert got[("groundswell_slack_ack_seconds_count", (("kind", "event"),))] == 1
    assert got[("groundswell_answers_total", (("outcome", "answered"), ("surface", "dm")))] == 1


def test_a_failing_recorder_is_logged_and_the_others_still_record(caplog: pytest.LogCaptureFixture) -> None:
    hub, metrics = TelemetryHub(), Metrics()
    hub.attach(Broken())
    hub.attach(metrics)
    with caplog.at_level(logging.ERROR):
        hub.count_processed("classify", 4)
    assert "telemetry recorder Broken failed on count_processed" in caplog.text
    assert parse(metrics.render().decode())[("groundswell_pipeline_units_total", (("stage", "classify"),))] == 4


def test_every_implementation_satisfies_the_protocol() -> None:
    for recorder in (NO_TELEMETRY, TelemetryHub(), Metrics()):
        assert isinstance(recorder, Telemetry)
