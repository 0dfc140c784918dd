"""Logs of the long-running commands: JSON lines with request id and job, PII redacted, context in threads."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from groundswell.api.app import create_api
from groundswell.bot.deps import TrackingExecutor
from groundswell.cli.logs import configure_logging, lazy_redactor
from groundswell.core.log_context import WITHHELD, log_context
from groundswell.storage.db import create_db_engine

KEY = b"k" * 32
log = logging.getLogger("groundswell.test")


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = configure_logging(fmt="json", level="INFO", redact=lazy_redactor(KEY), stream=stream)
    yield stream
    logging.getLogger().removeHandler(handler)


def _records(stream: io.StringIO) -> list[dict]:
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    return [r for r in records if r["logger"] == "groundswell.test"]


def test_json_lines_carry_request_id_and_job_and_no_pii(lines):
    with log_context(request_id="req-1"), log_context(job="sync:zendesk"):
        log.info("reply sent to %s at +44 20 7946 0958", "jane.doe@example.com")
    log.warning("outside any context")
    inside, outside = _records(lines)
    assert inside["request_id"] == "req-1" and inside["job"] == "sync:zendesk" and inside["level"] == "INFO"
    assert inside["logger"] == "groundswell.test"
    assert "jane.doe@example.com" not in inside["message"] and "<EMAIL_" in inside["message"]
    assert "7946" not in inside["message"]
    assert outside["request_id"] is None and outside["job"] is None


def test_tracebacks_are_redacted_too(lines):
    try:
        raise ValueError("no account for jane.doe@example.com")
    except ValueError:
        log.exception("lookup failed")
    (record,) = _records(lines)
    assert "ValueError" in record["exc_info"] and "jane.doe@example.com" not in record["exc_info"]


def test_a_failing_redactor_withholds_the_message():
    stream = io.StringIO()

    def broken(text: str) -> str:
        raise RuntimeError("detector down")

    handler = configure_logging(fmt="text", level="INFO", redact=broken, stream=stream)
    try:
        log.info("mail jane.doe@example.com")
    finally:
        logging.getLogger().removeHandler(handler)
    assert WITHHELD in stream.getvalue() and "jane.doe" not in stream.getvalue()


def test_requests_get_an_id_echoed_and_logged(lines, tmp_path):
    router = APIRouter()

    @router.get("/ping")
    def ping() -> dict[str, str]:
        log.info("pinged")
        return {"ok": "yes"}

    client = TestClient(create_api(slack=None, engine=create_db_engine(f"sqlite:///{tmp_path / 'x.db'}"),
                                   extra_routers=[router]))  # fmt: skip
    given = client.get("/ping", headers={"X-Request-ID": "abc-123"})
    fresh = client.get("/ping", headers={"X-Request-ID": "bad id\nwith newline"})
    assert given.headers["X-Request-ID"] == "abc-123"
    assert fresh.headers["X-Request-ID"] != "bad id\nwith newline" and len(fresh.headers["X-Request-ID"]) == 16
    ids = [r["request_id"] for r in _records(lines) if r["message"] == "pinged"]
    assert ids == ["abc-123", fresh.headers["X-Request-ID"]]


def test_listener_threads_keep_the_request_id(lines):
    executor = TrackingExecutor(max_workers=1)
    with log_context(request_id="evt-9"):
        executor.submit(log.info, "slow work").result()
    executor.shutdown()
    assert _records(lines)[-1]["request_id"] == "evt-9"
