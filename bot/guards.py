"""Global middleware: refuse unknown workspaces; drop Slack's retries of events already handled."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from groundswell.core.audit import AuditLog
from groundswell.storage.cache import Cache
from slack_bolt import BoltContext, BoltRequest, BoltResponse

__all__ = ["EVENT_TTL_S", "allowed_teams_guard", "retry_guard"]

EVENT_TTL_S = 24 * 3600.0  # Slack retries within minutes; a day is ample

log = logging.getLogger("groundswell.bot")


def allowed_teams_guard(allowed: list[str], audit: AuditLog | None = None) -> Callable[..., Any]:
    """Only the listed workspaces (empty: the bot token's own) get an answer; others get 403 (and an audit event)."""
    configured = frozenset(allowed)

    def guard(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        own = context.authorize_result.team_id if context.authorize_result else None
        permitted = configured or frozenset(t for t in (own,) if t)
        team = context.team_id or context.enterprise_id
        if team not in permitted:
            log.warning("refused a request from workspace %s (allowed: %s)", team, ", ".join(sorted(permitted)))
            if audit is not None:
                user = context.user_id
                audit.denial(surface="slack", viewer=f"slack:{user or 'unknown'}", user_id=user,
                             action="slack.workspace", reason=f"workspace {team} is not allowed",
                             code="workspace_not_allowed")  # fmt: skip
            return BoltResponse(status=403, body="This workspace is not allowed to use this Groundswell server.")
        return next()

    return guard


def retry_guard(cache: Cache) -> Callable[..., Any]:
    """Each event id is handled once: Slack's retries (X-Slack-Retry-Num, same event_id) are acknowledged only."""

    def guard(request: BoltRequest, body: dict[str, Any], next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = body.get("event_id")
        if body.get("type") == "event_callback" and event_id and cache.seen(f"slack:event:{event_id}", EVENT_TTL_S):
            retry = (request.headers.get("x-slack-retry-num") or ["0"])[0]
            log.info("dropped duplicate delivery of %s (retry %s)", event_id, retry)
            return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        return next()

    return guard
