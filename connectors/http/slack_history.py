"""Slack channels as a community source: threads read with conversations.history and conversations.replies.

One record per thread (``{channel}:{ts}``: the top-level message, its replies, and the authors from
``users.info``). Each sync re-reads the last ``lookback_days`` of every channel so edits, new replies and
deletions inside that window are seen: a thread read last time within the window and missing now is a
tombstone. Older threads are not revisited (Slack has no change feed for history).

Rate limits: since 2025-05-29 (existing installs from 2025-09-02), apps not approved for the Slack
Marketplace get 1 request a minute on conversations.history and conversations.replies, with ``limit`` at most
15; that is the default here. ``marketplace=true`` switches to Tier 3 (50/minute, 200 per page). users.info is
Tier 4 (100/minute). HTTP 429 with Retry-After is honoured by the shared client.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, ClassVar

from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.attachments import read_attachments
from groundswell.connectors.files.text import parse_timestamp
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded, vanished
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.client import ApiResponse, Retryable
from groundswell.connectors.http.pages import CursorPagination
from groundswell.core.errors import CredentialsExpired, SourceError
from groundswell.core.models import Channel, ConversationDoc, Message, RawRecord, SpeakerRole

__all__ = ["SlackHistorySource"]

PAGES = CursorPagination(
    items="messages", cursor_param="cursor", next_path="response_metadata.next_cursor", more_path="has_more"
)
AUTH_ERRORS = frozenset({"invalid_auth", "not_authed", "token_expired", "token_revoked", "account_inactive"})
SKIPPED_SUBTYPES = frozenset({"channel_join", "channel_leave", "channel_topic", "channel_purpose", "thread_broadcast"})
DAY_S = 86_400
# Slack file object: name, mimetype, permalink (opens in the workspace; url_private needs the token), size
SLACK_FILE = {"name": "name", "content_type": "mimetype", "url": "permalink", "size": "size"}


class SlackHistorySource(HttpSource):
    """Threads of the channels in option ``channels`` (comma-separated ids), read with a bot token."""

    kind = "thread"
    channel = Channel.COMMUNITY
    expected_cadence_s = 6 * 3600
    DEFAULT_NAME = "slack_community"
    DEFAULT_BASE_URL = "https://slack.com/api"
    CREDENTIALS = ("token",)
    OPTIONS: ClassVar[dict[str, Any]] = {
        "channels": "",
        "lookback_days": 7,
        "oldest": 0,
        "marketplace": False,
        "workspace_url": "https://slack.com",
    }
    FIELDS = FieldSpec(
        {
            "channel": "str",
            "message.ts": "str",
            "message.text": "str",
            "replies[].ts": "str",
            "replies[].text": "str",
        }
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        channels = self.options["channels"]
        self.channels = [c.strip() for c in channels.split(",")] if isinstance(channels, str) else list(channels)
        self.channels = [c for c in self.channels if c]
        marketplace = str(self.options["marketplace"]).lower() in ("true", "1", "yes")
        self.history_rates = (Rate(50, 60),) if marketplace else (Rate(1, 60),)
        self.page_size = 200 if marketplace else 15
        self._users: dict[str, dict[str, Any]] = {}

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials['token']}"}

    def check_body(self, response: ApiResponse) -> None:
        body = response.body if isinstance(response.body, dict) else {}
        if body.get("ok") is not False:
            return
        error = str(body.get("error"))
        if error in AUTH_ERRORS:
            raise CredentialsExpired(self.name, f"Slack error {error}")
        if error == "ratelimited":
            raise Retryable("ratelimited", 60.0, rate_limited=True)
        raise SourceError(self.name, f"{response.response.request.url.path}: Slack error {error}")

    def thread_url(self, channel: str, ts: str) -> str:
        return f"{self.options['workspace_url'].rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        for channel in self.channels:
            yield from self._channel(channel, state)

    def _channel(self, channel: str, state: HttpCheckpoint) -> Iterator[Yielded]:
        streams, known = dict(self.progress.streams), dict(self.progress.known)
        high = float(streams.get(f"{channel}:high") or self.options["oldest"])
        window = float(self.options["lookback_days"]) * DAY_S
        oldest = streams.get(f"{channel}:oldest") or f"{max(0.0, high - window):.6f}"
        seen = list(known.get(f"{channel}:run", []))
        for page in PAGES.pages(
            self.client,
            "/conversations.history",
            token=streams.get(channel) or None,
            params={"channel": channel, "oldest": oldest, "limit": self.page_size},
            rates=self.history_rates,
            budget_key="history",
        ):
            for message in page.items:
                if message.get("subtype") in SKIPPED_SUBTYPES or message.get("ts") in seen:
                    continue
                seen.append(str(message.get("ts")))
                high = max(high, float(message.get("ts") or 0))
                yield self._thread(channel, message)
            streams.update({channel: page.next_token or "", f"{channel}:oldest": oldest, f"{channel}:high": str(high)})
            known[f"{channel}:run"] = seen
            self.advance(streams=dict(streams), known=dict(known))
        previous = [ts for ts in known.get(channel, []) if float(ts) >= float(oldest)]
        for ts in vanished(previous, seen):
            yield self.tombstone(f"{channel}:{ts}", {"channel": channel, "ts": ts, "deleted": True})
        streams.pop(channel, None)
        streams.pop(f"{channel}:oldest", None)
        known.pop(f"{channel}:run", None)
        known[channel] = seen
        self.advance(streams=streams, known=known)

    def _thread(self, channel: str, message: dict[str, Any]) -> Yielded:
        ts = str(message.get("ts"))
        replies: list[dict[str, Any]] = []
        if message.get("reply_count") and message.get("thread_ts", ts) == ts:
            for page in PAGES.pages(
                self.client,
                "/conversations.replies",
                params={"channel": channel, "ts": ts, "limit": self.page_size},
                rates=self.history_rates,
                budget_key="replies",
            ):
                replies.extend(m for m in page.items if m.get("ts") != ts)
        users = {uid: self._user(uid) for uid in {m.get("user") for m in [message, *replies]} if uid}
        payload = {"channel": channel, "message": message, "replies": replies, "_users": users}
        return self.record(
            f"{channel}:{ts}", payload, url=self.thread_url(channel, ts), created_at=ts, updated_at=_latest(message)
        )

    def _user(self, user_id: str) -> dict[str, Any]:
        if user_id not in self._users:
            body = self.client.get(
                "/users.info", params={"user": user_id}, rates=(Rate(100, 60),), budget_key="users"
            ).body
            user = body.get("user") or {}
            self._users[user_id] = {
                "id": user_id,
                "name": user.get("real_name") or user.get("name"),
                "is_bot": bool(user.get("is_bot")),
                "email": (user.get("profile") or {}).get("email"),
            }
        return self._users[user_id]

    def normalize(self, record: RawRecord) -> ConversationDoc:
        payload = record.payload
        channel, parent = payload["channel"], payload["message"]
        users: dict[str, Any] = payload.get("_users") or {}
        messages = [
            self._message(m, users) for m in [parent, *payload.get("replies", [])] if m.get("subtype") != "tombstone"
        ]
        return ConversationDoc(
            source=self.name,
            external_id=record.external_id,
            channel=Channel.COMMUNITY,
            messages=[m for m in messages if m.text.strip()],
            created_at=record.created_at or _time(parent["ts"]),
            url=record.url or self.thread_url(channel, parent["ts"]),
        )

    def _message(self, message: dict[str, Any], users: dict[str, Any]) -> Message:
        user = users.get(str(message.get("user"))) or {}
        bot = bool(message.get("bot_id")) or message.get("subtype") == "bot_message" or user.get("is_bot")
        author = self.author(
            SpeakerRole.BOT if bot else SpeakerRole.CUSTOMER,
            external_id=message.get("user") or message.get("bot_id"),
            name=user.get("name"),
            email=user.get("email"),
        )
        return Message(
            external_id=str(message["ts"]),
            author=author,
            text=message.get("text") or "",
            created_at=_time(message["ts"]),
            attachments=read_attachments(message.get("files"), **SLACK_FILE),
        )


def _time(ts: str) -> datetime:
    return parse_timestamp(ts)


def _latest(message: dict[str, Any]) -> str:
    edited = (message.get("edited") or {}).get("ts")
    return max((t for t in (message.get("ts"), message.get("latest_reply"), edited) if t), key=float)
