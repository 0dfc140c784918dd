"""Google Play reviews, live: the Google Play Developer API (Reply to Reviews) for one package.

- ``GET /androidpublisher/v3/applications/{packageName}/reviews`` (``maxResults``, then
  ``token = tokenPagination.nextPageToken``), OAuth bearer token with scope ``androidpublisher``: from a
  service account key (credential ``service_account``: the JSON key file or its path; tokens renewed by
  :mod:`connectors.http.google_auth`), or a ready access token in the same credential.
- The API returns only the reviews created or modified in the last week, and only reviews with text: each sync
  reads that whole list (a sync at least weekly, the expected cadence being daily, loses nothing; a longer gap
  can only be filled from the Console's monthly CSV export, ``connectors/files/googleplay.py``).
- Edits: a changed ``userComment.lastModified`` (or a new developer reply) is a changed payload, so a new
  version of the record; unchanged reviews are not stored twice. Deletions cannot be told apart from reviews
  ageing out of the one-week window, so they are not detected.
- Documented quota: 200 GET requests an hour for reviews (the default budget).

The payload is the API's Review object verbatim; ``normalize`` maps it to the Console export's row and
delegates to :class:`~connectors.files.googleplay.GooglePlayExport` (developer replies are staff words).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import httpx
from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.googleplay import GooglePlayExport
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.google_auth import ServiceAccountAuth, load_service_account
from groundswell.connectors.http.pages import CursorPagination
from groundswell.core.models import Channel, ConversationDoc, FieldDrift, RawRecord

__all__ = ["GooglePlaySource", "export_row"]

PAGES = CursorPagination(items="reviews", cursor_param="token", next_path="tokenPagination.nextPageToken")
REVIEW_LINK = "https://play.google.com/store/apps/details?id={package}&reviewId={review_id}"


class GooglePlaySource(HttpSource):
    """Reviews of the app ``package_name`` (an OAuth access token with the androidpublisher scope)."""

    kind = "review"
    channel = Channel.REVIEW
    expected_cadence_s = 24 * 3600
    DEFAULT_NAME = "googleplay"
    DEFAULT_BASE_URL = "https://androidpublisher.googleapis.com"
    CREDENTIALS = ("service_account",)  # the service account's JSON key (text or path), or an access token
    SCOPE = "https://www.googleapis.com/auth/androidpublisher"
    OPTIONS: ClassVar[dict[str, Any]] = {"package_name": "", "page_size": 100, "requests_per_hour": 200}
    FIELDS = FieldSpec(
        {
            "reviewId": "str",
            "authorName": "str?",
            "comments": "list",
        }
    )
    USER_FIELDS = FieldSpec({"text": "str", "starRating": "int", "lastModified.seconds": "id"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.package = str(self.options["package_name"])
        self._export = GooglePlayExport(Path("."), company_domains=self.company_domains, name=self.name)

    def rates(self) -> tuple[Rate, ...]:
        return (Rate(int(self.options["requests_per_hour"]), 3600),)

    def headers(self) -> dict[str, str]:
        value = self.credentials["service_account"]
        return {} if load_service_account(value) else {"Authorization": f"Bearer {value}"}

    def auth(self) -> httpx.Auth | None:
        key = load_service_account(self.credentials["service_account"])
        return ServiceAccountAuth(self.name, key, self.SCOPE) if key else None

    def review_url(self, review_id: Any) -> str:
        return REVIEW_LINK.format(package=self.package, review_id=review_id)

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        newest = state.updated_since
        for page in PAGES.pages(
            self.client,
            f"/androidpublisher/v3/applications/{self.package}/reviews",
            token=state.cursor,
            params={"maxResults": int(self.options["page_size"])},
        ):
            for review in page.items:
                item = self._review(review)
                if isinstance(item, RawRecord) and item.updated_at and (newest is None or item.updated_at > newest):
                    newest = item.updated_at
                yield item
            self.advance(cursor=page.next_token if page.more else None, updated_since=newest)

    def _review(self, review: dict[str, Any]) -> Yielded:
        review_id = review.get("reviewId")
        user = _comment(review, "userComment")
        findings = self.USER_FIELDS.check(user) if user is not None else []
        if user is None or findings:
            findings = [f.model_copy(update={"path": f"comments[].userComment.{f.path}"}) for f in findings]
            missing = FieldDrift(path="comments[].userComment", problem="missing", expected="dict")
            return self.drift_failure(review_id, review, findings or [missing])
        reply = _comment(review, "developerComment") or {}
        modified = max(_seconds(user), _seconds(reply))
        return self.record(
            review_id, review, url=self.review_url(review_id), created_at=_seconds(user), updated_at=modified
        )

    def normalize(self, record: RawRecord) -> ConversationDoc:
        row = export_row(record.payload, self.package, url=record.url or self.review_url(record.external_id))
        return self._export.normalize(record.model_copy(update={"payload": row}))


def export_row(review: dict[str, Any], package: str, *, url: str) -> dict[str, str]:
    """The Play Console CSV row of an API Review (the submit time is the review's last modification: the API
    has no other)."""
    user = _comment(review, "userComment") or {}
    reply = _comment(review, "developerComment") or {}
    submitted = _seconds(user)
    replied = _seconds(reply) if reply else None
    return {
        "Package Name": package,
        "App Version Code": str(user.get("appVersionCode") or ""),
        "App Version Name": str(user.get("appVersionName") or ""),
        "Reviewer Language": str(user.get("reviewerLanguage") or ""),
        "Device": str(user.get("device") or ""),
        "Review Submit Date and Time": _iso(submitted),
        "Review Submit Millis Since Epoch": str(submitted * 1000),
        "Review Last Update Date and Time": _iso(submitted),
        "Review Last Update Millis Since Epoch": str(submitted * 1000),
        "Star Rating": str(user.get("starRating") or ""),
        "Review Title": "",
        "Review Text": str(user.get("text") or "").strip(),
        "Developer Reply Date and Time": _iso(replied) if replied else "",
        "Developer Reply Millis Since Epoch": str(replied * 1000) if replied else "",
        "Developer Reply Text": str(reply.get("text") or ""),
        "Review Link": url,
    }


def _comment(review: dict[str, Any], kind: str) -> dict[str, Any] | None:
    return next((c[kind] for c in review.get("comments") or [] if isinstance(c, dict) and kind in c), None)


def _seconds(comment: dict[str, Any]) -> int:
    return int((comment.get("lastModified") or {}).get("seconds") or 0)


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
