"""The review, survey and community connectors are registered and need credentials; NextUrlPagination."""

from __future__ import annotations

import httpx
import pytest
from groundswell.connectors.http import ApiClient, NextUrlPagination
from groundswell.connectors.http.base import HttpSource
from groundswell.connectors.registry import LIVE_SOURCES, build_live_source
from groundswell.core.errors import ConfigurationError

TYPES = ["appstore", "googleplay", "delighted", "discourse", "typeform"]


@pytest.mark.parametrize("source_type", TYPES)
def test_registered_with_declared_fields_and_credentials(source_type):
    source_class = LIVE_SOURCES[source_type]
    assert issubclass(source_class, HttpSource) and source_type == source_class.DEFAULT_NAME
    assert source_class.FIELDS.fields and source_class.CREDENTIALS
    credentials = dict.fromkeys(source_class.CREDENTIALS, "x")
    source = build_live_source(
        source_type, name="mine", credentials=credentials, base_url="http://127.0.0.1:9", options={}
    )
    assert source.name == "mine" and "x" not in repr(source)
    with pytest.raises(ConfigurationError, match="missing credentials"):
        build_live_source(source_type, name="mine", credentials={}, base_url="http://127.0.0.1:9")


def test_discourse_needs_the_forum_url():
    with pytest.raises(ConfigurationError, match="no base URL"):
        build_live_source("discourse", name="forum", credentials={"api_key": "k", "api_username": "system"})


def test_next_url_pagination_follows_links_next_and_keeps_its_query():
    def handler(request):
        page = int(request.url.params.get("cursor", "1"))
        links = {"self": str(request.url)}
        if page < 3:
            links["next"] = f"https://api.test/v1/items?sort=-createdDate&cursor={page + 1}"
        assert request.url.params["sort"] == "-createdDate"
        return httpx.Response(200, json={"data": [page], "links": links})

    client = ApiClient(source="demo", base_url="https://api.test", transport=httpx.MockTransport(handler))
    pages = list(NextUrlPagination(items="data").pages(client, "/v1/items", params={"sort": "-createdDate"}))
    assert [p.items for p in pages] == [[1], [2], [3]]
    assert pages[1].next_token.endswith("cursor=3") and pages[-1].more is False
