"""What the Slack app needs, gathered in one object so tests and entry points can swap any part."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from groundswell.core.answer import Asker
from groundswell.core.audit import AuditLog
from groundswell.core.protocols import DigestRunner, TicketSink
from groundswell.core.query import Viewer
from groundswell.core.telemetry import NO_TELEMETRY, Telemetry
from groundswell.storage.cache import Cache
from groundswell.storage.db import Engine
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from groundswell.settings import Settings

__all__ = ["BotDeps", "ChannelPacer", "TrackingExecutor", "build_web_client", "no_digest"]

RATE_LIMIT_RETRIES = 3


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool; remembers pending work so the console, tests and benches can wait for it."""

    def __init__(self, max_workers: int = 16) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="slack-listener")
        self._pending: set[Future[Any]] = set()
        self._mutex = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Runs ``fn`` in a copy of the caller's context: the request id of the event it serves stays in its logs."""
        future = super().submit(contextvars.copy_context().run, fn, *args, **kwargs)
        with self._mutex:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[Any]) -> None:
        with self._mutex:
            self._pending.discard(future)

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """Block until every submitted listener finished (True) or the timeout passed (False)."""
        deadline = time.monotonic() + timeout_s
        while True:
            with self._mutex:
                pending = list(self._pending)
            if not pending:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            wait(pending, timeout=left)


class ChannelPacer:
    """Keeps chat.postMessage to one channel at most once per ``interval_s`` (Slack's ~1 message/s rule)."""

    def __init__(self, interval_s: float = 1.0) -> None:
        self.interval_s = interval_s
        self._next: dict[str, float] = {}
        self._mutex = threading.Lock()

    def wait(self, channel: str) -> float:
        """Sleep until ``channel`` may take a message; returns the seconds slept."""
        with self._mutex:
            now = time.monotonic()
            slot = max(now, self._next.get(channel, 0.0))
            self._next[channel] = slot + self.interval_s
        delay = slot - now
        if delay > 0:
            time.sleep(delay)
        return delay


def no_digest(*, channel: str, requested_by: str) -> str:
    """Stands in until the scheduler's digest job is configured."""
    return "Digests are not set up on this server yet; ask an admin to run `groundswell worker`."


def build_web_client(token: str | None, base_url: str) -> WebClient:
    """A Web API client that waits out HTTP 429 (Retry-After) and retries connection and 5xx errors."""
    return WebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            ConnectionErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


@dataclass
class BotDeps:
    """Everything `create_app` wires into the listeners."""

    settings: Settings
    asker: Asker
    engine: Engine
    cache: Cache
    ticket_sink: TicketSink
    digest: DigestRunner = no_digest
    client: WebClient | None = None  # default: build_web_client(bot token, settings.slack_api_url)
    executor: TrackingExecutor = field(default_factory=TrackingExecutor)
    pacer: ChannelPacer | None = None  # default: ChannelPacer(settings.slack_post_interval_s)
    viewers: Mapping[str, Viewer] = field(default_factory=dict)  # the agent's named viewers (role -> scopes)
    ticket_trackers: list[str] = field(default_factory=list)  # the modal's choices; empty: slack_ticket_trackers
    audit: AuditLog | None = None  # refusals are recorded here (questions: by the audited asker)
    telemetry: Telemetry = NO_TELEMETRY  # told of answers, acks, denials (the Prometheus recorder in `serve`)

    @property
    def tracker_choices(self) -> list[str]:
        return list(self.ticket_trackers or self.settings.slack_ticket_trackers)

    def __post_init__(self) -> None:
        if self.client is None:
            self.client = build_web_client(self.token, self.settings.slack_api_url)
        if self.pacer is None:
            self.pacer = ChannelPacer(self.settings.slack_post_interval_s)

    def deny(self, *, user: str, action: str, reason: str, code: str, text: str = "") -> None:
        """Record a refused Slack request (admin-only action …); ``code``: the metrics' reason label."""
        if self.audit is not None:
            self.audit.denial(surface="slack", viewer=f"slack:{user}", user_id=user, action=action, reason=reason,
                              code=code, text=text)  # fmt: skip

    @property
    def token(self) -> str | None:
        return self.settings.slack_bot_token.get_secret_value() if self.settings.slack_bot_token else None

    @property
    def signing_secret(self) -> str | None:
        secret = self.settings.slack_signing_secret
        return secret.get_secret_value() if secret else None
