"""Framework hooks added for the CRM and call sources: error statuses a source reads its own way, field specs
per record kind, and next-page URLs carried in the body."""

from __future__ import annotations

from typing import ClassVar

import httpx
import pytest
from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.http import ApiClient, HttpSource, NextUrlPagination
from groundswell.core.errors import CredentialsExpired, RateLimited
from groundswell.core.models import RawRecord, RecordFailure

from tests.fakes.http import FakeClock


def _client(handler, **kw) -> ApiClient:
    return ApiClient(
        source="demo", base_url="https://api.test", transport=httpx.MockTransport(handler), clock=FakeClock(), **kw
    )


def test_check_error_sees_error_responses_before_the_defaults():
    def quota(response: httpx.Response) -> None:
        if "REQUEST_LIMIT_EXCEEDED" in response.text:
            raise RateLimited("demo", 3600)

    limited = _client(lambda r: httpx.Response(403, json=[{"errorCode": "REQUEST_LIMIT_EXCEEDED"}]), check_error=quota)
    with pytest.raises(RateLimited):
        limited.get("/x")
    expired = _client(lambda r: httpx.Response(403, json=[{"errorCode": "INVALID_SESSION_ID"}]), check_error=quota)
    with pytest.raises(CredentialsExpired):  # anything the hook lets through keeps the default meaning
        expired.get("/x")
    seen = []
    ok = _client(lambda r: httpx.Response(200, json={}), check_error=lambda resp: seen.append(resp))
    assert ok.get("/x").body == {} and seen == []  # never called on success


class _TwoKinds(HttpSource):
    kind = "account"
    DEFAULT_BASE_URL = "https://api.test"
    SPECS: ClassVar[dict[str, FieldSpec]] = {
        "account": FieldSpec({"name": "str"}),
        "contact": FieldSpec({"email": "str"}),
    }

    def field_spec(self, kind: str) -> FieldSpec:
        return self.SPECS[kind]


def test_records_are_checked_against_the_spec_of_their_kind():
    source = _TwoKinds(transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    assert isinstance(source.record("1", {"email": "a@b.c"}, url=None, kind="contact"), RawRecord)
    failure = source.record("2", {"email": "a@b.c"}, url=None)  # an account without a name
    assert isinstance(failure, RecordFailure) and failure.drift[0].path == "name"


def test_next_url_pagination_follows_the_body_until_done():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/query":
            assert request.url.params["q"] == "SELECT Id FROM Account"
            return httpx.Response(200, json={"done": False, "records": [1, 2], "nextRecordsUrl": "/query/loc-2"})
        if request.url.path == "/query/loc-2":
            assert not request.url.params  # the locator URL carries everything
            return httpx.Response(200, json={"done": False, "records": [3], "nextRecordsUrl": "/query/loc-3"})
        return httpx.Response(200, json={"done": True, "records": [4], "nextRecordsUrl": "/query/stale"})

    paginator = NextUrlPagination(items="records", next_path="nextRecordsUrl", done_path="done")
    pages = list(paginator.pages(_client(handler), "/query", params={"q": "SELECT Id FROM Account"}))
    assert [p.items for p in pages] == [[1, 2], [3], [4]]
    assert [p.more for p in pages] == [True, True, False] and pages[-1].next_token == "/query/loc-3"
