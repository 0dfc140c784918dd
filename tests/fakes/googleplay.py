"""A Google Play Developer API fake: ``reviews.list`` of one package, OAuth bearer, token pagination.

Truth: Review objects (``reviewId``, ``authorName``, ``comments[]`` with a ``userComment`` and an optional
``developerComment``; ``lastModified`` as ``{"seconds": "<int64 as string>", "nanos"}``). As documented, only
reviews modified in the last week (relative to the fake's clock) are listed, newest first. Documented query
parameters only (``token``, ``startIndex``, ``maxResults``, ``translationLanguage`` and the standard ones);
a wrong bearer is 401 ``UNAUTHENTICATED``.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import FakeApi, LoopbackServer

TOKEN, PACKAGE = "ya29.play-secret", "io.brightloop.app"
CLIENT_EMAIL = "groundswell@brightloop-play.iam.gserviceaccount.com"
SCOPE = "https://www.googleapis.com/auth/androidpublisher"
GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_PEM = _KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()
WEEK_S = 7 * 86_400
STANDARD = {
    "alt",
    "fields",
    "key",
    "access_token",
    "prettyPrint",
    "quotaUser",
    "$.xgafv",
    "callback",
    "upload_protocol",
}
PARAMS = {"token", "startIndex", "maxResults", "translationLanguage"} | STANDARD


class FakeGooglePlay(FakeApi):
    def __init__(self, *, page_size: int = 4) -> None:
        super().__init__()
        self.reviews: dict[str, dict[str, Any]] = {}
        self.clock = 1_780_000_000
        self.page_size = page_size
        self.issued: list[str] = []  # access tokens handed out by /token
        self.disabled = False  # the service account key was disabled: invalid_grant
        self.server = LoopbackServer(self.app())

    def service_account(self) -> dict[str, str]:
        """A service account key file whose token URI is this fake's."""
        return {
            "type": "service_account",
            "client_email": CLIENT_EMAIL,
            "private_key_id": "k1",
            "private_key": _PEM,
            "token_uri": f"{self.server.url}/token",
        }

    # -- truth -----------------------------------------------------------------------------------

    def tick(self, seconds: int = 60) -> int:
        self.clock += seconds
        return self.clock

    def add(self, review_id: str, text: str, stars: int = 2, author: str = "Kim Lee") -> None:
        comment = {
            "text": f"\t{text}",  # the API prefixes user text with a tab
            "lastModified": {"seconds": str(self.tick()), "nanos": 0},
            "starRating": stars,
            "reviewerLanguage": "en",
            "device": "a52q",
            "androidOsVersion": 34,
            "appVersionCode": 412,
            "appVersionName": "4.1.2",
            "thumbsUpCount": 0,
            "thumbsDownCount": 0,
        }
        self.reviews[review_id] = {"reviewId": review_id, "authorName": author, "comments": [{"userComment": comment}]}

    def edit(self, review_id: str, text: str, stars: int | None = None) -> None:
        comment = self.reviews[review_id]["comments"][0]["userComment"]
        comment.update(text=f"\t{text}", lastModified={"seconds": str(self.tick()), "nanos": 0})
        if stars is not None:
            comment["starRating"] = stars

    def reply(self, review_id: str, text: str) -> None:
        developer = {"developerComment": {"text": text, "lastModified": {"seconds": str(self.tick()), "nanos": 0}}}
        self.reviews[review_id]["comments"][1:] = [developer]

    def visible(self) -> list[dict[str, Any]]:
        """Reviews modified in the last week, newest first: what the API lists."""
        listed = [r for r in self.reviews.values() if self.clock - _modified(r) <= WEEK_S]
        return sorted(listed, key=lambda r: (-_modified(r), r["reviewId"]))

    # -- wire ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/androidpublisher/v3/applications/{package}/reviews", self.list_reviews),
                Route("/token", self.token, methods=["POST"]),
                self.catch_all(),
            ]
        )

    async def list_reviews(self, request: Request) -> JSONResponse:
        if request.headers.get("authorization") not in {f"Bearer {t}" for t in [TOKEN, *self.issued]}:
            error = {
                "code": 401,
                "message": "Request had invalid authentication credentials.",
                "status": "UNAUTHENTICATED",
            }
            return JSONResponse({"error": error}, status_code=401)
        if (refused := self.refuse_params(request, PARAMS)) is not None:
            return refused
        if request.path_params["package"] != PACKAGE:
            return JSONResponse({"error": {"code": 404, "status": "NOT_FOUND"}}, status_code=404)
        size = min(self.integer(request, "maxResults", 100, 1, 100), self.page_size)
        token = request.query_params.get("token")
        start = int(base64.urlsafe_b64decode(token).decode()) if token else 0
        listed = self.visible()
        page = listed[start : start + size]
        body: dict[str, Any] = {
            "reviews": page,
            "pageInfo": {"totalResults": len(listed), "resultPerPage": size, "startIndex": start},
        }
        if start + size < len(listed):
            body["tokenPagination"] = {"nextPageToken": base64.urlsafe_b64encode(str(start + size).encode()).decode()}
        return JSONResponse(body)

    async def token(self, request: Request) -> JSONResponse:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        if form.get("grant_type") != GRANT:
            self.errors.append(f"/token: grant_type {form.get('grant_type')!r}")
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        try:
            claims = jwt.decode(
                form.get("assertion", ""),
                _KEY.public_key(),
                algorithms=["RS256"],
                audience=f"{self.server.url}/token",
                leeway=7200,
            )
        except jwt.PyJWTError as exc:
            self.errors.append(f"/token: bad assertion ({exc})")
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if claims.get("iss") != CLIENT_EMAIL or claims.get("scope") != SCOPE or claims["exp"] - claims["iat"] > 3600:
            self.errors.append(f"/token: bad claims {claims}")
            return JSONResponse({"error": "invalid_scope"}, status_code=400)
        if self.disabled:
            return JSONResponse({"error": "invalid_grant", "error_description": "Invalid JWT Signature."}, 400)
        self.issued.append(f"ya29.issued-{len(self.issued) + 1}")
        return JSONResponse({"access_token": self.issued[-1], "expires_in": 3599, "token_type": "Bearer"})


def _modified(review: dict[str, Any]) -> int:
    return max(int(c[k]["lastModified"]["seconds"]) for c in review["comments"] for k in c)
