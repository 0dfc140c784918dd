"""One mapping from a tracker's HTTP answer to ``TrackerError``s, shared by Jira and Linear."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from groundswell.core.errors import (
    TrackerAuthFailed,
    TrackerError,
    TrackerRateLimited,
    TrackerRejected,
    TrackerUnavailable,
)

__all__ = ["http_error", "label_for", "retry_after"]

DEFAULT_RETRY_AFTER_S = 60.0


def retry_after(headers: Mapping[str, str]) -> float:
    """Seconds from ``Retry-After`` (or Linear's reset header, ms since epoch, is ignored): default 60."""
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else DEFAULT_RETRY_AFTER_S
    except ValueError:
        return DEFAULT_RETRY_AFTER_S


def http_error(tracker: str, status: int, headers: Mapping[str, str], body: Any) -> TrackerError:
    """The error for a non-2xx answer; ``body`` is the parsed JSON (or text) the tracker sent."""
    if status in (401, 403):
        return TrackerAuthFailed(tracker, f"HTTP {status}: check the API token and its permissions")
    if status == 429:
        return TrackerRateLimited(tracker, retry_after(headers))
    if status >= 500:
        return TrackerUnavailable(tracker, f"HTTP {status}: the tracker is having trouble, try again later")
    fields: dict[str, str] = {}
    messages: list[str] = []
    if isinstance(body, dict):
        fields = (
            {str(k): str(v) for k, v in (body.get("errors") or {}).items()}
            if isinstance(body.get("errors"), dict)
            else {}
        )
        messages = [str(m) for m in body.get("errorMessages") or []]
    return TrackerRejected(tracker, fields, "; ".join(messages) or f"HTTP {status}")


def label_for(dedupe_key: str) -> str:
    """A tracker label naming the theme/insight (labels allow no spaces): ``gs:theme:auth.sso_login``."""
    return "gs:" + re.sub(r"[^A-Za-z0-9._:-]+", "-", dedupe_key)[:250]
