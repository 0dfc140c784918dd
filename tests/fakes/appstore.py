"""An App Store Connect fake: ``GET /v1/apps/{id}/customerReviews`` with JWT (ES256) auth and ``links.next``.

Truth: reviews of one app (JSON:API ``customerReviews`` resources) and their developer responses
(``customerReviewResponses``, returned in ``included`` with ``include=response``). Every request must carry a
JWT signed with the generated key (``kid``, ``iss``, ``aud`` appstoreconnect-v1, at most 20 minutes of life),
else 401 with a JSON:API error. Parameters are checked against the documented list (sort values, limit <= 200).
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import FakeApi, LoopbackServer

ISSUER, KEY_ID, APP_ID = "57246542-96fe-1a63-e053-0824d011072a", "2X9R4HXF34", "682658836"
_KEY = ec.generate_private_key(ec.SECP256R1())
PRIVATE_KEY = _KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()
PARAMS = {
    "sort",
    "limit",
    "include",
    "cursor",
    "filter[rating]",
    "filter[territory]",
    "exists[publishedResponse]",
    "fields[customerReviews]",
    "fields[customerReviewResponses]",
}
PACIFIC = timezone(timedelta(hours=-8))
SORTS = {"createdDate", "-createdDate", "rating", "-rating"}


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=PACIFIC).isoformat()  # Apple's example: 2017-11-15T08:10:34-08:00


class FakeAppStore(FakeApi):
    def __init__(self, *, page_size: int = 4) -> None:
        super().__init__()
        self.reviews: dict[str, dict[str, Any]] = {}
        self.responses: dict[str, dict[str, Any]] = {}
        self.clock = 1_780_000_000
        self.page_size = page_size
        self.overlap_next_page = False  # fault: the next page repeats the previous page's last review
        self.server = LoopbackServer(self.app())

    # -- truth -----------------------------------------------------------------------------------

    def add(self, review_id: str, body: str, rating: int = 2, *, age_days: float = 0, **attributes: Any) -> None:
        self.clock += 60
        created = self.clock - int(age_days * 86_400)
        self.reviews[review_id] = {
            "type": "customerReviews",
            "id": review_id,
            "attributes": {
                "rating": rating,
                "title": attributes.get("title", f"Review {review_id}"),
                "body": body,
                "reviewerNickname": attributes.get("nickname", "Anne Johnson"),
                "createdDate": _iso(created),
                "territory": attributes.get("territory", "USA"),
            },
        }

    def respond(self, review_id: str, text: str) -> None:
        self.clock += 60
        self.responses[review_id] = {
            "type": "customerReviewResponses",
            "id": f"r-{review_id}",
            "attributes": {"responseBody": text, "lastModifiedDate": _iso(self.clock), "state": "PUBLISHED"},
        }

    def live_truth(self) -> dict[str, list[str]]:
        """Review id -> [body, developer response?]."""
        return {
            rid: [r["attributes"]["body"]]
            + ([self.responses[rid]["attributes"]["responseBody"]] if rid in self.responses else [])
            for rid, r in self.reviews.items()
        }

    # -- wire ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/apps/{app_id}/customerReviews", self.list_reviews), self.catch_all()])

    def _authorized(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return False
        token = header.removeprefix("Bearer ")
        try:
            if jwt.get_unverified_header(token).get("kid") != KEY_ID:
                return False
            claims = jwt.decode(
                token, _KEY.public_key(), algorithms=["ES256"], audience="appstoreconnect-v1", issuer=ISSUER
            )
        except jwt.PyJWTError:
            return False
        if claims["exp"] - claims["iat"] > 1200:
            self.errors.append("JWT lives longer than 20 minutes")
            return False
        return True

    async def list_reviews(self, request: Request) -> JSONResponse:
        if not self._authorized(request):
            error = {
                "status": "401",
                "code": "NOT_AUTHORIZED",
                "title": "Authentication credentials are missing or invalid.",
            }
            return JSONResponse({"errors": [error]}, status_code=401)
        if (refused := self.refuse_params(request, PARAMS)) is not None:
            return refused
        if request.path_params["app_id"] != APP_ID:
            return JSONResponse({"errors": [{"status": "404", "code": "NOT_FOUND"}]}, status_code=404)
        params = request.query_params
        sort = params.get("sort", "-createdDate")
        if sort not in SORTS or params.get("include", "response") != "response":
            self.errors.append(f"customerReviews: bad sort/include {dict(params)}")
            return JSONResponse({"errors": [{"status": "400", "code": "PARAMETER_ERROR.INVALID"}]}, status_code=400)
        limit = min(self.integer(request, "limit", 50, 1, 200), self.page_size)
        key = "createdDate" if sort.endswith("createdDate") else "rating"
        ordered = sorted(self.reviews.values(), key=lambda r: (r["attributes"][key], r["id"]), reverse=sort[0] == "-")
        start = int(base64.urlsafe_b64decode(params["cursor"]).decode()) if "cursor" in params else 0
        if self.overlap_next_page and start:
            start, self.overlap_next_page = start - 1, False
        page = ordered[start : start + limit]
        data, included = [], []
        for review in page:
            response = self.responses.get(review["id"])
            link = {"type": "customerReviewResponses", "id": response["id"]} if response else None
            data.append({**review, "relationships": {"response": {"data": link}}})
            if response and "include" in params:
                included.append(response)
        links: dict[str, str] = {"self": str(request.url)}
        if start + limit < len(ordered):
            query = {**dict(params), "cursor": base64.urlsafe_b64encode(str(start + limit).encode()).decode()}
            links["next"] = f"{self.server.url}{request.url.path}?{urlencode(query)}"
        body: dict[str, Any] = {
            "data": data,
            "links": links,
            "meta": {"paging": {"total": len(ordered), "limit": limit}},
        }
        if "include" in params:
            body["included"] = included
        return JSONResponse(body)
