"""Pagination strategies, written once: cursor, offset/page number, Link header, incremental time windows.

Every strategy turns a request into a stream of :class:`Page` values. ``Page.next_token`` is an opaque string
that resumes the stream *after* that page: a source stores it in its checkpoint once the page's records are
yielded, so a crash re-fetches at most the page being read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from groundswell.connectors.http.client import ApiClient, ApiResponse
from groundswell.core.errors import SourceError

__all__ = [
    "CursorPagination",
    "LinkHeaderPagination",
    "NextUrlPagination",
    "OffsetPagination",
    "Page",
    "Paginator",
    "TimeWindowPagination",
    "dig",
]


def dig(data: Any, path: str) -> Any:
    """``data["a"]["b"]`` for ``"a.b"``; None when any step is missing; ``""`` is ``data`` itself."""
    value = data
    for key in path.split(".") if path else ():
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _put(data: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``data`` with ``path`` set (nested dicts created)."""
    out = dict(data)
    head, _, rest = path.partition(".")
    out[head] = _put(dict(out.get(head) or {}), rest, value) if rest else value
    return out


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_token: str | None  # resumes after this page (kept even on the last page, e.g. Zendesk's after_cursor)
    more: bool  # False on the last page
    response: ApiResponse


@dataclass(frozen=True)
class Paginator:
    """Base: ``items`` is the dotted path of the record list in the body (``""``: the body is the list)."""

    items: str

    def pages(
        self,
        client: ApiClient,
        url: str,
        *,
        token: str | None = None,
        params: Mapping[str, Any] | None = None,
        first_params: Mapping[str, Any] | None = None,
        json_body: Mapping[str, Any] | None = None,
        method: str = "GET",
        **request: Any,
    ) -> Iterator[Page]:
        """Fetch pages from ``token`` (None: the first page) until the last one. ``params`` go with every
        request, ``first_params`` only with a request without token (e.g. Zendesk's ``start_time``)."""
        while True:
            base = {**(first_params or {}), **(params or {})} if token is None else dict(params or {})
            page_url, page_params, page_body = self.prepare(url, base, json_body, token)
            response = client.request(method, page_url, params=page_params, json_body=page_body, **request)
            page = self.parse(response, token)
            yield page
            if not page.more:
                return
            if page.next_token == token:
                raise SourceError(client.source, f"{url}: pagination did not advance (token {token!r})")
            token = page.next_token

    def prepare(
        self, url: str, params: dict[str, Any], body: Mapping[str, Any] | None, token: str | None
    ) -> tuple[str, dict[str, Any], Any]:
        return url, params, dict(body) if body is not None else None

    def parse(self, response: ApiResponse, token: str | None) -> Page:
        raise NotImplementedError

    def records(self, response: ApiResponse) -> list[Any]:
        items = dig(response.body, self.items)
        if items is None:
            return []
        if not isinstance(items, list):
            raise SourceError("http", f"{response.url}: '{self.items}' is {type(items).__name__}, not a list")
        return items


@dataclass(frozen=True)
class CursorPagination(Paginator):
    """An opaque cursor from the body (``next_path``) sent back as ``cursor_param`` (query or, with
    ``body_path``, inside the JSON body). The end is ``more_path`` false, ``done_path`` true, or no cursor."""

    cursor_param: str = "cursor"
    next_path: str = "next_cursor"
    more_path: str | None = None
    done_path: str | None = None
    body_path: str | None = None

    def prepare(
        self, url: str, params: dict[str, Any], body: Mapping[str, Any] | None, token: str | None
    ) -> tuple[str, dict[str, Any], Any]:
        data = dict(body) if body is not None else None
        if token is not None and self.body_path and data is not None:
            data = _put(data, self.body_path, token)
        elif token is not None:
            params[self.cursor_param] = token
        return url, params, data

    def parse(self, response: ApiResponse, token: str | None) -> Page:
        cursor = dig(response.body, self.next_path)
        cursor = str(cursor) if cursor not in (None, "") else None
        if self.more_path:
            more = bool(dig(response.body, self.more_path)) and cursor is not None
        elif self.done_path:
            more = not dig(response.body, self.done_path) and cursor is not None
        else:
            more = cursor is not None
        return Page(self.records(response), cursor if cursor is not None else token, more, response)


@dataclass(frozen=True)
class OffsetPagination(Paginator):
    """``offset_param`` (or a 1-based page number with ``page_numbers``) and ``limit_param``;
    a short page is the last one."""

    offset_param: str = "offset"
    limit_param: str = "limit"
    page_size: int = 100
    page_numbers: bool = False

    def prepare(
        self, url: str, params: dict[str, Any], body: Mapping[str, Any] | None, token: str | None
    ) -> tuple[str, dict[str, Any], Any]:
        params[self.offset_param] = int(token) if token else (1 if self.page_numbers else 0)
        params[self.limit_param] = self.page_size
        return url, params, dict(body) if body is not None else None

    def parse(self, response: ApiResponse, token: str | None) -> Page:
        items = self.records(response)
        start = int(token) if token else (1 if self.page_numbers else 0)
        following = start + 1 if self.page_numbers else start + len(items)
        return Page(items, str(following), len(items) >= self.page_size, response)


@dataclass(frozen=True)
class LinkHeaderPagination(Paginator):
    """RFC 8288 ``Link: <url>; rel="next"`` (GitHub, Discourse-style APIs): the token is the next URL."""

    def prepare(
        self, url: str, params: dict[str, Any], body: Mapping[str, Any] | None, token: str | None
    ) -> tuple[str, dict[str, Any], Any]:
        return (token, {}, None) if token else (url, params, dict(body) if body is not None else None)

    def parse(self, response: ApiResponse, token: str | None) -> Page:
        following = response.response.links.get("next", {}).get("url")
        return Page(self.records(response), following or token, following is not None, response)


@dataclass(frozen=True)
class NextUrlPagination(LinkHeaderPagination):
    """The next page's URL (absolute or a path on the base URL) in the body at ``next_path``: JSON:API
    ``links.next`` (App Store Connect), Salesforce's ``nextRecordsUrl``; the end is ``done_path`` true or no URL.
    The token is that URL."""

    next_path: str = "links.next"
    done_path: str | None = None

    def parse(self, response: ApiResponse, token: str | None) -> Page:
        following = dig(response.body, self.next_path)
        following = str(following) if following not in (None, "") else None
        done = bool(dig(response.body, self.done_path)) if self.done_path else False
        more = following is not None and not done
        return Page(self.records(response), following if more else token, more, response)


@dataclass(frozen=True)
class TimeWindowPagination(Paginator):
    """Time-based incremental exports: ``start_param`` = the previous page's ``end_path`` value, until
    ``done_path`` (e.g. Zendesk's ``end_of_stream``) is true. ``first_start`` is used without a token."""

    start_param: str = "start_time"
    end_path: str = "end_time"
    done_path: str = "end_of_stream"
    first_start: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def prepare(
        self, url: str, params: dict[str, Any], body: Mapping[str, Any] | None, token: str | None
    ) -> tuple[str, dict[str, Any], Any]:
        params[self.start_param] = int(token) if token else self.first_start
        return url, {**self.extra, **params}, dict(body) if body is not None else None

    def parse(self, response: ApiResponse, token: str | None) -> Page:
        end = dig(response.body, self.end_path)
        following = str(end) if end is not None else token
        return Page(self.records(response), following, not dig(response.body, self.done_path), response)
