"""Apple App Store reviews, live: App Store Connect API customer reviews of one app.

- ``GET /v1/apps/{id}/customerReviews?sort=-createdDate&limit=200&include=response``, pages followed through
  ``links.next``; the included ``customerReviewResponses`` are the developer's answers (staff words, never
  the customer's).
- Auth: a JWT signed ES256 with the team's API key (``kid`` = key id, ``iss`` = issuer id, ``aud`` =
  ``appstoreconnect-v1``, at most 20 minutes of life), regenerated before it expires (PyJWT).
- Incremental: newest first, stopping at the checkpoint's newest ``createdDate`` minus ``lookback_days``
  (default 7): the API has no last-modified date, so reviews inside that window are re-read to catch edits and
  new developer responses, and a review read last time inside the window and missing now (removed by Apple or
  the customer) becomes a tombstone. Older reviews are not revisited.
- Documented limit: 3,600 requests an hour per key (``X-Rate-Limit: user-hour-lim:3600``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import httpx
import jwt
from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.text import parse_timestamp
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded, vanished
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.pages import NextUrlPagination
from groundswell.core.models import Channel, ConversationDoc, Message, RawRecord, SpeakerRole

__all__ = ["AppStoreJwt", "AppStoreSource"]

PAGES = NextUrlPagination(items="data", next_path="links.next")
AUDIENCE = "appstoreconnect-v1"


class AppStoreJwt(httpx.Auth):
    """``Authorization: Bearer <JWT>`` for App Store Connect; a new token once less than a minute is left."""

    def __init__(
        self, issuer_id: str, key_id: str, private_key: str, ttl_s: int = 1200, now: Callable[[], float] = time.time
    ) -> None:
        self.issuer_id, self.key_id, self.ttl_s, self.now = issuer_id, key_id, min(ttl_s, 1200), now
        self.private_key = _pem(private_key)
        self._token, self._expires = "", 0.0

    def token(self) -> str:
        now = self.now()
        if now > self._expires - 60:
            claims = {"iss": self.issuer_id, "iat": int(now), "exp": int(now) + self.ttl_s, "aud": AUDIENCE}
            headers = {"kid": self.key_id, "typ": "JWT"}
            self._token = jwt.encode(claims, self.private_key, algorithm="ES256", headers=headers)
            self._expires = now + self.ttl_s
        return self._token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        yield request


class AppStoreSource(HttpSource):
    """Customer reviews (and developer responses) of the app ``app_id`` (App Store Connect API key)."""

    kind = "review"
    channel = Channel.REVIEW
    expected_cadence_s = 24 * 3600
    DEFAULT_NAME = "appstore"
    DEFAULT_BASE_URL = "https://api.appstoreconnect.apple.com"
    CREDENTIALS = ("issuer_id", "key_id", "private_key")  # private_key: the .p8 PEM text or its path
    OPTIONS: ClassVar[dict[str, Any]] = {"app_id": "", "page_size": 200, "lookback_days": 7}
    FIELDS = FieldSpec(
        {
            "id": "str",
            "type": "str",
            "attributes.rating": "int",
            "attributes.title": "str?",
            "attributes.body": "str?",
            "attributes.reviewerNickname": "str?",
            "attributes.createdDate": "timestamp",
            "attributes.territory": "str?",
        }
    )
    RESPONSE_FIELDS = FieldSpec(
        {"id": "str", "attributes.responseBody": "str", "attributes.lastModifiedDate": "timestamp"}
    )
    RATES = (Rate(3600, 3600),)

    def auth(self) -> httpx.Auth:
        c = self.credentials
        return AppStoreJwt(c["issuer_id"], c["key_id"], c["private_key"])

    def review_url(self, review_id: Any) -> str:
        return f"{self.base_url}/v1/customerReviews/{review_id}"

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        streams, window = dict(state.streams), float(self.options["lookback_days"]) * 86_400
        if "stop" not in streams:  # a new run (a resumed one keeps its stop and newest)
            since = state.updated_since
            streams = {"stop": (since - timedelta(seconds=window)).isoformat() if since else "", "newest": ""}
            streams["newest"] = since.isoformat() if since else ""
        stop = _when(streams["stop"])
        newest = _when(streams["newest"])
        seen = list(state.known.get("run", []))
        params = {"sort": "-createdDate", "limit": int(self.options["page_size"]), "include": "response"}
        url = f"/v1/apps/{self.options['app_id']}/customerReviews"
        for page in PAGES.pages(self.client, url, token=state.cursor, params=params):
            included = {(r.get("type"), r.get("id")): r for r in page.response.body.get("included") or []}
            reached = False
            for review in page.items:
                created = _when((review.get("attributes") or {}).get("createdDate"))
                if stop and created and created < stop:
                    reached = True
                    break
                if created:
                    seen.append(f"{created.isoformat()}|{review.get('id')}")
                    newest = max(newest, created) if newest else created
                yield self._review(review, included)
            streams["newest"] = newest.isoformat() if newest else ""
            cursor = page.next_token if page.more and not reached else None
            self.advance(cursor=cursor, streams=dict(streams), known={**state.known, "run": seen})
            if reached:
                break
        previous = [e for e in state.known.get("window", []) if not stop or _when(e.split("|")[0]) >= stop]
        for gone in vanished([_id(e) for e in previous], [_id(e) for e in seen]):
            yield self.tombstone(gone, url=self.review_url(gone))
        keep_from = newest - timedelta(seconds=window) if newest else None
        kept = sorted({e for e in seen if keep_from is None or _when(e.split("|")[0]) >= keep_from})
        self.advance(cursor=None, streams={}, known={"window": kept}, updated_since=newest)

    def _review(self, review: dict[str, Any], included: dict[tuple[Any, Any], dict[str, Any]]) -> Yielded:
        link = ((review.get("relationships") or {}).get("response") or {}).get("data") or {}
        response = included.get((link.get("type"), link.get("id"))) if link else None
        if response is not None and (drift := self.RESPONSE_FIELDS.check(response)):
            findings = [f.model_copy(update={"path": f"_response.{f.path}"}) for f in drift]
            return self.drift_failure(review.get("id"), {**review, "_response": response}, findings)
        created = (review.get("attributes") or {}).get("createdDate")
        return self.record(
            review.get("id"),
            {**review, "_response": response},
            url=self.review_url(review.get("id")),
            created_at=created,
            updated_at=((response or {}).get("attributes") or {}).get("lastModifiedDate") or created,
        )

    def normalize(self, record: RawRecord) -> ConversationDoc:
        review = record.payload
        attributes = review["attributes"]
        created = parse_timestamp(attributes["createdDate"])
        messages: list[Message] = []
        if (attributes.get("body") or "").strip():
            author = self.author(SpeakerRole.CUSTOMER, name=attributes.get("reviewerNickname"))
            messages.append(
                Message(external_id=record.external_id, author=author, text=attributes["body"], created_at=created)
            )
        answer = ((review.get("_response") or {}).get("attributes")) or {}
        if (answer.get("responseBody") or "").strip():  # the developer's words: staff, never the customer's
            when = parse_timestamp(answer["lastModifiedDate"]) if answer.get("lastModifiedDate") else created
            author = self.author(SpeakerRole.AGENT)
            text = answer["responseBody"]
            messages.append(
                Message(external_id=f"{record.external_id}:response", author=author, text=text, created_at=when)
            )
        territory = attributes.get("territory")
        return ConversationDoc(
            source=self.name,
            external_id=record.external_id,
            channel=Channel.REVIEW,
            title=(attributes.get("title") or "").strip() or None,
            messages=messages,
            created_at=created,
            url=record.url or self.review_url(record.external_id),
            rating=float(attributes["rating"]),
            tags=[f"territory:{territory}"] if territory else [],
        )


def _pem(value: str) -> str:
    """The PEM text of a private key given as text or as the path of a ``.p8`` file."""
    if "-----BEGIN" in value:
        return value
    path = Path(value).expanduser()
    return path.read_text() if path.is_file() else value


def _when(value: Any) -> datetime | None:
    return parse_timestamp(value) if value not in (None, "") else None


def _id(entry: str) -> str:
    return entry.split("|", 1)[1]
