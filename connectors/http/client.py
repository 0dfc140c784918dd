"""One HTTP client for every API source: budgets, bounded retries, and errors that say what happened.

- every request first takes a token of the source's :class:`~connectors.http.budget.Budget`;
- 429 waits ``Retry-After`` then retries; 5xx, timeouts, dropped connections and truncated (unparseable)
  bodies retry with exponential backoff (tenacity, bounded by ``max_attempts``);
- 401/403 raise :class:`~core.errors.CredentialsExpired` at once ("credentials expired for source X"):
  never retried (a source's ``check_error`` sees every error response first, e.g. Salesforce's 403
  ``REQUEST_LIMIT_EXCEEDED`` is a rate limit, not an expired credential);
- anything else non-2xx raises :class:`~core.errors.SourceError` with the method, path and a body excerpt.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from groundswell.connectors.http.budget import Budget, Clock, Rate, SystemClock, parse_retry_after
from groundswell.core.budgets import BudgetStore, MemoryBudgetStore
from groundswell.core.errors import CredentialsExpired, RateLimited, SourceError
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

__all__ = ["ApiClient", "ApiResponse", "Retryable"]

AUTH_STATUSES = frozenset({401, 403})


class Retryable(Exception):
    """A transient failure; ``wait`` (seconds) when the server said how long, else exponential backoff."""

    def __init__(self, reason: str, wait: float | None = None, *, rate_limited: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.rate_limited = rate_limited


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: Any
    response: httpx.Response

    @property
    def url(self) -> str:
        return str(self.response.request.url)


BodyCheck = Callable[[ApiResponse], None]
ErrorCheck = Callable[[httpx.Response], None]


class ApiClient:
    """An ``httpx.Client`` bound to one source: base URL, auth headers, budget, retries."""

    def __init__(
        self,
        *,
        source: str,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        rates: Sequence[Rate] = (),
        timeout_s: float = 30.0,
        max_attempts: int = 6,
        backoff_s: float = 0.5,
        max_backoff_s: float = 60.0,
        max_wait_s: float = 300.0,
        check_body: BodyCheck | None = None,
        check_error: ErrorCheck | None = None,
        budget_store: BudgetStore | None = None,
    ) -> None:
        self.source = source
        self.clock = clock or SystemClock()
        store = budget_store or MemoryBudgetStore()
        self.budget = Budget(source, tuple(rates), self.clock, max_wait_s=max_wait_s, store=store)
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.check_body = check_body
        self.check_error = check_error
        self.requests = 0
        self.retries = 0
        self._http = httpx.Client(
            base_url=base_url,
            headers=dict(headers or {}),
            auth=auth,
            transport=transport,
            timeout=timeout_s,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._http.close()

    def get(self, url: str, *, params: Mapping[str, Any] | None = None, **kw: Any) -> ApiResponse:
        return self.request("GET", url, params=params, **kw)

    def post(self, url: str, *, json_body: Any = None, **kw: Any) -> ApiResponse:
        return self.request("POST", url, json_body=json_body, **kw)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        rates: Sequence[Rate] = (),
        budget_key: str = "",
        allow: Collection[int] = (),
    ) -> ApiResponse:
        """Send one request with budget and retries. ``rates`` are extra limits of this method (``budget_key``)
        on top of the source-wide ones; statuses in ``allow`` are returned (body None) instead of raised."""
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type(Retryable),
            sleep=self.clock.sleep,
            before_sleep=self._count_retry,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._once(method, url, params, json_body, rates, budget_key, allow)
        except Retryable as exc:
            if exc.rate_limited:
                raise RateLimited(self.source, exc.wait or 0.0) from exc
            detail = f"{method} {url}: {exc.reason} (after {self.max_attempts} attempts)"
            raise SourceError(self.source, detail) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        json_body: Any,
        rates: Sequence[Rate],
        budget_key: str,
        allow: Collection[int],
    ) -> ApiResponse:
        self.budget.acquire(budget_key, rates)
        self.requests += 1
        try:
            response = self._http.request(method, url, params=_clean(params), json=json_body)
        except httpx.TimeoutException as exc:
            raise Retryable(f"timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise Retryable(f"connection failed ({type(exc).__name__}: {exc})") from exc
        status = response.status_code
        if status >= 400 and self.check_error is not None:
            self.check_error(response)
        if status in AUTH_STATUSES:
            raise CredentialsExpired(self.source, f"HTTP {status} on {method} {response.request.url.path}")
        if status == 429:
            wait = parse_retry_after(response.headers.get("Retry-After"), default=self.backoff_s)
            raise Retryable("HTTP 429", wait, rate_limited=True)
        if status >= 500:
            raise Retryable(f"HTTP {status}")
        if status in allow:
            return ApiResponse(status, None, response)
        if status >= 400:
            detail = f"{method} {response.request.url.path}: HTTP {status}: {response.text[:200]}"
            raise SourceError(self.source, detail)
        try:
            body = response.json() if response.content else None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise Retryable(f"unreadable body ({len(response.content)} bytes; truncated?)") from exc
        result = ApiResponse(status, body, response)
        if self.check_body is not None:
            self.check_body(result)
        return result

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, Retryable) and exc.wait is not None:
            return exc.wait
        return min(self.max_backoff_s, self.backoff_s * 2 ** (state.attempt_number - 1))

    def _count_retry(self, state: RetryCallState) -> None:
        self.retries += 1


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Drop None values; booleans as lowercase words; None when empty (a next-page URL keeps its own query)."""
    if not params:
        return None
    return {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in params.items() if v is not None}
