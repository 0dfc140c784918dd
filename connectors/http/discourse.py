"""Discourse community posts, live: new posts from ``/posts.json``, read topic by topic.

- ``GET /posts.json`` (``latest_posts``, newest first; ``before`` = an id to page to older posts) down to the
  highest post id of the last sync: the topics with new posts.
- ``GET /t/{id}.json`` (the first posts and ``post_stream.stream``, every post id) and
  ``GET /t/{id}/posts.json?post_ids[]=...`` (the rest, 20 at a time): every post of a topic, with its
  ``topic_slug``/``topic_title``. Topics active within ``lookback_days`` (default 14) of the newest post are
  read again each sync, so edits, deletions and hidden posts there are seen: ``deleted_at`` or ``hidden`` ->
  tombstone, a post gone from the stream -> tombstone, a topic gone (404) -> tombstones for its posts. Older
  topics are not revisited.
- Small-action posts (``post_type`` 3: "closed this topic") are skipped; staff posts (``staff``, ``admin``,
  ``moderator``) are kept as agent messages, never customer words (the file normaliser's rule).
- Auth: ``Api-Key`` and ``Api-Username`` headers. Documented limit: 60 requests a minute per admin API key
  (``DISCOURSE_MAX_ADMIN_API_REQS_PER_MINUTE``); a 429 carries ``Retry-After``.
- Checkpoint: the highest post id, each recent topic's last activity and post ids, and the topics still to
  read, so a crashed sync resumes with the next topic.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.discourse import DiscourseExport
from groundswell.connectors.files.text import parse_timestamp
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded, vanished
from groundswell.connectors.http.budget import Rate
from groundswell.core.models import Channel, ConversationDoc, RawRecord

__all__ = ["DiscourseSource"]

SMALL_ACTION = 3
CHUNK = 20


class DiscourseSource(HttpSource):
    """Posts of a Discourse forum (``base_url``), read with an API key and user name."""

    kind = "post"
    channel = Channel.COMMUNITY
    expected_cadence_s = 6 * 3600
    DEFAULT_NAME = "discourse"
    DEFAULT_BASE_URL = ""  # the forum's URL: --base-url
    CREDENTIALS = ("api_key", "api_username")
    OPTIONS: ClassVar[dict[str, Any]] = {"lookback_days": 14, "requests_per_minute": 60}
    FIELDS = FieldSpec(
        {
            "id": "int",
            "username": "str",
            "created_at": "timestamp",
            "cooked": "str",
            "post_number": "int",
            "topic_id": "int",
            "topic_slug": "str",
            "staff": "bool?",
        }
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._export = DiscourseExport(Path("."), company_domains=self.company_domains, name=self.name)

    def rates(self) -> tuple[Rate, ...]:
        return (Rate(int(self.options["requests_per_minute"]), 60),)

    def headers(self) -> dict[str, str]:
        return {"Api-Key": self.credentials["api_key"], "Api-Username": self.credentials["api_username"]}

    def post_url(self, post: dict[str, Any]) -> str:
        return f"{self.base_url}/t/{post.get('topic_slug')}/{post.get('topic_id')}/{post.get('post_number')}"

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        streams, known = dict(state.streams), dict(state.known)
        if "pending" not in streams:
            streams = self._plan(streams)
            self.advance(streams=dict(streams))
        pending = [t for t in streams["pending"].split(",") if t]
        while pending:
            topic_id = pending.pop(0)
            yield from self._topic(topic_id, streams, known)
            streams["pending"] = ",".join(pending)
            self.advance(streams=dict(streams), known=dict(known))
        streams["high"] = streams.pop("new_high")
        streams.pop("pending")
        self._prune(streams, known)
        self.advance(cursor=None, streams=streams, known=known, updated_since=_when(streams.get("newest")))

    def _plan(self, streams: dict[str, str]) -> dict[str, str]:
        """New posts since the highest id seen: their topics, plus the topics active within the window."""
        high = int(streams.get("high") or 0)
        new_high, newest, topics = high, _when(streams.get("newest")), set()
        before: int | None = None
        while True:
            body = self.client.get("/posts.json", params={"before": before}).body or {}
            posts = [p for p in body.get("latest_posts") or [] if int(p.get("id") or 0) > high]
            for post in posts:
                new_high = max(new_high, int(post["id"]))
                topics.add(str(post.get("topic_id")))
                created = _when(post.get("created_at"))
                newest = max(newest, created) if newest and created else newest or created
            ids = [int(p.get("id") or 0) for p in body.get("latest_posts") or []]
            if not ids or min(ids) <= high + 1 or (before is not None and min(ids) >= before):
                break
            before = min(ids)
        start = newest - timedelta(days=float(self.options["lookback_days"])) if newest else None
        for key, value in streams.items():
            if key.startswith("topic:") and start and _when(value) and _when(value) >= start:
                topics.add(key.removeprefix("topic:"))
        ordered = sorted(topics, key=int)
        return {**streams, "pending": ",".join(ordered), "new_high": str(new_high), "newest": _iso(newest)}

    def _topic(self, topic_id: str, streams: dict[str, str], known: dict[str, list[str]]) -> Iterator[Yielded]:
        previous = known.get(f"topic:{topic_id}", [])
        response = self.client.get(f"/t/{topic_id}.json", allow=(404,))
        if response.status == 404:  # the topic was deleted (or made private): its posts go
            for post_id in previous:
                yield self.tombstone(post_id, {"id": post_id, "topic_id": topic_id, "deleted": True})
            known.pop(f"topic:{topic_id}", None)
            streams.pop(f"topic:{topic_id}", None)
            return
        topic = response.body or {}
        stream = (topic.get("post_stream") or {}).get("stream") or []
        posts = list((topic.get("post_stream") or {}).get("posts") or [])
        have = {p.get("id") for p in posts}
        missing = [i for i in stream if i not in have]
        for at in range(0, len(missing), CHUNK):
            params = {"post_ids[]": missing[at : at + CHUNK]}
            more = self.client.get(f"/t/{topic_id}/posts.json", params=params).body or {}
            posts.extend((more.get("post_stream") or {}).get("posts") or [])
        seen: list[str] = []
        activity = _when(streams.get(f"topic:{topic_id}"))
        for post in sorted(posts, key=lambda p: int(p.get("post_number") or 0)):
            if post.get("post_type") == SMALL_ACTION:
                continue
            for stamp in (post.get("created_at"), post.get("updated_at")):
                when = _when(stamp)
                activity = max(activity, when) if activity and when else activity or when
            if post.get("deleted_at") or post.get("hidden"):
                continue  # not live: a tombstone below when it was live last time
            slug = post.get("topic_slug") or topic.get("slug")
            payload = {"topic_title": topic.get("title"), **post, "topic_slug": slug}
            seen.append(str(post.get("id")))
            yield self.record(
                post.get("id"),
                payload,
                url=self.post_url(payload),
                created_at=post.get("created_at"),
                updated_at=post.get("updated_at"),
            )
        for gone in vanished(previous, seen):  # deleted, hidden, or gone from the stream
            yield self.tombstone(gone, {"id": gone, "topic_id": topic_id, "deleted": True})
        known[f"topic:{topic_id}"] = seen
        streams[f"topic:{topic_id}"] = _iso(activity)

    def _prune(self, streams: dict[str, str], known: dict[str, list[str]]) -> None:
        """Forget topics older than the window: they are not read again."""
        newest = _when(streams.get("newest"))
        if newest is None:
            return
        start = newest - timedelta(days=float(self.options["lookback_days"]))
        for key in [k for k, v in streams.items() if k.startswith("topic:") and (_when(v) or start) < start]:
            streams.pop(key)
            known.pop(key, None)

    def normalize(self, record: RawRecord) -> ConversationDoc:
        doc = self._export.normalize(record)
        return doc.model_copy(update={"url": record.url or self.post_url(record.payload)})


def _when(value: Any) -> datetime | None:
    return parse_timestamp(value) if value not in (None, "") else None


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""
