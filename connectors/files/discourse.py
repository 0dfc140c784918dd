"""Discourse export: ``posts.jsonl``, one Post object a line as ``GET /posts.json`` returns it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from groundswell.connectors.files.base import FileExportSource, Yielded, html_to_text
from groundswell.core.models import Channel, ConversationDoc, Message, RawRecord, RecordFailure, SpeakerRole

__all__ = ["DiscourseExport", "topic_tag"]

POST_PATH = "/t/{slug}/{topic_id}/{post_number}"  # under the forum base, e.g. https://community.acme.com


def topic_tag(topic_id: Any) -> str:
    """The tag threading a post to its topic: ``topic:<topic_id>``."""
    return f"topic:{topic_id}"


class DiscourseExport(FileExportSource):
    """Community posts; payload = the Post object verbatim. One post is one single-message conversation."""

    kind = "post"
    RECORD_FILES: ClassVar[tuple[str, ...]] = ("posts.jsonl",)
    REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = (
        "id",
        "username",
        "created_at",
        "cooked",
        "post_number",
        "topic_id",
        "topic_slug",
        "deleted_at",
    )
    NON_EMPTY_FIELDS: ClassVar[tuple[str, ...]] = (
        "id",
        "username",
        "created_at",
        "post_number",
        "topic_id",
        "topic_slug",
    )
    TIMESTAMP_FIELDS: ClassVar[tuple[str, ...]] = ("created_at", "updated_at", "deleted_at")

    def __init__(
        self,
        path: Path,
        *,
        company_domains: Sequence[str] = (),
        name: str = "discourse",
        link_base: str | None = None,
    ) -> None:
        super().__init__(path, company_domains=company_domains, name=name, link_base=link_base)

    def _read(self, path: Path) -> Iterator[Yielded]:
        for item in self.record_rows(path, id_field="id"):
            if isinstance(item, RecordFailure):
                yield item
                continue
            post = item.data
            yield self.record(
                post["id"],
                post,
                url=self._url(post),
                created_at=post["created_at"],
                updated_at=post.get("updated_at"),
                deleted=post.get("deleted_at") not in (None, ""),
            )

    def normalize(self, record: RawRecord) -> ConversationDoc:
        post = record.payload
        post_id = self.need(post, "id")
        created_at = self.need_time(self.need(post, "created_at"), "created_at")
        topic_id = self.need(post, "topic_id")
        staff = any(post.get(flag) is True for flag in ("staff", "moderator", "admin"))
        author = self.author(
            SpeakerRole.AGENT if staff else SpeakerRole.CUSTOMER,
            external_id=post.get("user_id"),
            name=post.get("name"),
            handle=self.need(post, "username"),
        )
        text = html_to_text(post.get("cooked")) or (post.get("raw") or "").strip()
        messages = [Message(external_id=str(post_id), author=author, text=text, created_at=created_at)] if text else []
        return ConversationDoc(
            source=self.name,
            external_id=str(post_id),
            channel=Channel.COMMUNITY,
            title=post.get("topic_title") or None,
            messages=messages,
            created_at=created_at,
            url=record.url or self._url(post),
            tags=[topic_tag(topic_id)],
        )

    def _url(self, post: dict[str, Any]) -> str | None:
        if any(post.get(key) in (None, "") for key in ("topic_slug", "topic_id", "post_number")):
            return None
        return self.link(POST_PATH, slug=post["topic_slug"], topic_id=post["topic_id"], post_number=post["post_number"])
