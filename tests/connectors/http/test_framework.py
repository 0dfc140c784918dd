"""The shared HTTP machinery: budgets, retries, error mapping, pagination strategies, declared fields."""

from __future__ import annotations

import httpx
import pytest
from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.http import (
    ApiClient,
    Budget,
    CursorPagination,
    LinkHeaderPagination,
    OffsetPagination,
    Rate,
    TimeWindowPagination,
    vanished,
)
from groundswell.core.errors import CredentialsExpired, RateLimited, SourceError

from tests.fakes.http import FakeClock


def _client(handler, clock=None, **kw) -> ApiClient:
    return ApiClient(
        source="demo",
        base_url="https://api.test",
        transport=httpx.MockTransport(handler),
        clock=clock or FakeClock(),
        **kw,
    )


def test_budget_spaces_calls_and_refuses_waits_beyond_the_cap():
    clock = FakeClock()
    budget = Budget("gong", (Rate(3, 1), Rate(10, 86_400)), clock, max_wait_s=60)
    for _ in range(9):
        budget.acquire()
    assert clock.t - 1000 == pytest.approx(2.0)  # 3 at once, then one every 1/3 s
    budget.acquire()  # the tenth of the day
    with pytest.raises(RateLimited):
        budget.acquire()  # the daily budget is spent: no hours-long sleep


def test_retries_5xx_and_timeouts_with_backoff_then_gives_up():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(503 if len(calls) < 3 else 200, json={"ok": True})

    clock = FakeClock()
    assert _client(handler, clock).get("/x").body == {"ok": True}
    assert clock.sleeps == [0.5, 1.0]
    always = _client(lambda r: httpx.Response(500), max_attempts=3)
    with pytest.raises(SourceError, match="HTTP 500 \\(after 3 attempts\\)"):
        always.get("/x")


def test_429_waits_retry_after_and_auth_errors_are_not_retried():
    replies = iter([httpx.Response(429, headers={"Retry-After": "12"}), httpx.Response(200, json=[1])])
    clock = FakeClock()
    assert _client(lambda r: next(replies), clock).get("/x").body == [1]
    assert clock.sleeps == [12.0]
    calls = []
    client = _client(lambda r: calls.append(r) or httpx.Response(401))
    with pytest.raises(CredentialsExpired, match="credentials expired for source demo"):
        client.get("/x")
    assert len(calls) == 1
    with pytest.raises(RateLimited):
        _client(lambda r: httpx.Response(429, headers={"Retry-After": "1"}), max_attempts=2).get("/x")


def test_truncated_body_is_retried():
    replies = iter([httpx.Response(200, content=b'{"items": [1, 2'), httpx.Response(200, json={"items": [1, 2]})])
    assert _client(lambda r: next(replies)).get("/x").body == {"items": [1, 2]}


def _collect(paginator, handler, **kw) -> list:
    return [page.items for page in paginator.pages(_client(handler), "/items", **kw)]


def test_link_header_offset_and_time_window_pagination():
    def linked(request):
        page = int(request.url.params.get("page", "1"))
        headers = {"Link": f'<https://api.test/items?page={page + 1}>; rel="next"'} if page < 3 else {}
        return httpx.Response(200, json=[page], headers=headers)

    assert _collect(LinkHeaderPagination(items=""), linked) == [[1], [2], [3]]

    def offset(request):
        start, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        return httpx.Response(200, json={"data": list(range(start, min(start + limit, 5)))})

    assert _collect(OffsetPagination(items="data", page_size=2), offset) == [[0, 1], [2, 3], [4]]

    def window(request):
        start = int(request.url.params["start_time"])
        return httpx.Response(200, json={"tickets": [start], "end_time": start + 10, "end_of_stream": start >= 20})

    assert _collect(TimeWindowPagination(items="tickets"), window) == [[0], [10], [20]]

    def cursor(request):
        after = request.url.params.get("cursor")
        return httpx.Response(200, json={"items": [after], "next": None if after else "c2", "more": not after})

    pages = list(CursorPagination(items="items", next_path="next", more_path="more").pages(_client(cursor), "/i"))
    assert [p.items for p in pages] == [[None], ["c2"]] and pages[-1].more is False


def test_field_spec_reports_missing_renamed_and_retyped_fields():
    spec = FieldSpec({"id": "int", "body": "str", "parts[].at": "timestamp", "note": "str?"})
    findings = spec.check({"id": "7", "text_body": "x", "parts": [{"at": "nope"}], "note": None})
    assert [(f.path, f.problem, f.found) for f in findings] == [
        ("id", "retyped", "str"),
        ("body", "renamed", "text_body"),
        ("parts[].at", "retyped", "str"),
    ]
    assert spec.check({"id": 1, "body": "b", "parts": [], "note": None}) == []
    with pytest.raises(ValueError, match="unknown type"):
        FieldSpec({"x": "string"})
    assert vanished(["a", "b", "c"], ["c", "a"]) == ["b"]
