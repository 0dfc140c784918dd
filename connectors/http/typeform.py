"""Typeform survey responses, live: ``GET /forms/{form_id}/responses`` with response tokens as cursors.

- Backfill: the newest page first (default order), then ``before=<last token>`` (processing order, newest
  first) until a short page; the first response's token is kept.
- Incremental: ``after=<newest token>`` lists what Typeform processed since, oldest first, without repeats;
  each page's last token is the next cursor. ``after``/``before`` are never combined with ``sort``
  (Typeform refuses it). ``page_size`` at most 1,000.
- Submitted responses do not change; deleted responses are not reported by the API (not detected).
- Auth: a personal access token (``responses:read``) as bearer. Documented limit: 2 requests a second per
  account for the Responses API.

One record per response. Text answers (``short_text``, ``long_text``) are the respondent's words; an ``nps``
answer is the score, ``rating``/``opinion_scale`` the rating; hidden fields ``email``, ``name``, ``company``
identify the respondent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.text import parse_timestamp
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded
from groundswell.connectors.http.budget import Rate
from groundswell.core.models import Channel, ConversationDoc, Message, RawRecord, SpeakerRole

__all__ = ["TypeformSource"]

TEXT_FIELDS = frozenset({"short_text", "long_text"})
RATING_FIELDS = frozenset({"rating", "opinion_scale"})
MAX_PAGE = 1000


class TypeformSource(HttpSource):
    """Responses of the form ``form_id`` (personal access token)."""

    kind = "survey_response"
    channel = Channel.SURVEY
    expected_cadence_s = 6 * 3600
    DEFAULT_NAME = "typeform"
    DEFAULT_BASE_URL = "https://api.typeform.com"
    CREDENTIALS = ("token",)
    OPTIONS: ClassVar[dict[str, Any]] = {"form_id": "", "page_size": 200}
    FIELDS = FieldSpec(
        {
            "token": "str",
            "submitted_at": "timestamp",
            "answers": "list?",
            "answers[].field.id": "str",
            "answers[].field.type": "str",
            "answers[].type": "str",
        }
    )
    RATES = (Rate(2, 1),)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials['token']}"}

    def results_url(self) -> str:
        return f"https://admin.typeform.com/form/{self.options['form_id']}/results#responses"

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        size = min(MAX_PAGE, int(self.options["page_size"]))
        url = f"/forms/{self.options['form_id']}/responses"
        if state.cursor:  # incremental: everything processed after the newest token, oldest first
            cursor = state.cursor
            while True:
                items = (self.client.get(url, params={"page_size": size, "after": cursor}).body or {}).get(
                    "items"
                ) or []
                yield from (self._response(r) for r in items)
                cursor = str(items[-1]["token"]) if items else cursor
                self.advance(cursor=cursor)
                if len(items) < size:
                    return
        newest, before = state.streams.get("newest"), state.streams.get("before")
        while True:  # backfill: newest first
            params = {"page_size": size, "before": before} if before else {"page_size": size}
            items = (self.client.get(url, params=params).body or {}).get("items") or []
            yield from (self._response(r) for r in items)
            newest = newest or (str(items[0]["token"]) if items else None)
            before = str(items[-1]["token"]) if items else before
            if len(items) < size:
                break
            self.advance(streams={"newest": newest or "", "before": before or ""})
        self.advance(cursor=newest, streams={})

    def _response(self, response: dict[str, Any]) -> Yielded:
        return self.record(
            response.get("token"), response, url=self.results_url(), created_at=response.get("submitted_at")
        )

    def normalize(self, record: RawRecord) -> ConversationDoc:
        response = record.payload
        submitted = parse_timestamp(response["submitted_at"])
        hidden = response.get("hidden") or {}
        answers = response.get("answers") or []
        email = hidden.get("email") or next((a.get("email") for a in answers if a.get("type") == "email"), None)
        author = self.author(
            SpeakerRole.CUSTOMER, name=hidden.get("name"), email=email, organization=hidden.get("company")
        )
        messages = [
            Message(
                external_id=f"{record.external_id}:{a['field']['id']}",
                author=author,
                text=a["text"],
                created_at=submitted,
            )
            for a in answers
            if a["field"]["type"] in TEXT_FIELDS and str(a.get("text") or "").strip()
        ]
        score = next((a.get("number") for a in answers if a["field"]["type"] == "nps"), None)
        rating = next((a.get("number") for a in answers if a["field"]["type"] in RATING_FIELDS), None)
        return ConversationDoc(
            source=self.name,
            external_id=record.external_id,
            channel=Channel.SURVEY,
            messages=messages,
            created_at=submitted,
            url=record.url or self.results_url(),
            score=int(score) if score is not None else None,
            rating=float(rating) if rating is not None else None,
            account_ref=hidden.get("company") or None,
        )
