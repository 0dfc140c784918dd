"""Google OAuth 2.0 for server-to-server calls: a service account's signed JWT exchanged for access tokens.

The key file (``client_email``, ``private_key``, ``token_uri``) signs an RS256 assertion (``iss`` = the
account, ``scope``, ``aud`` = the token URI, one hour at most); ``POST token_uri`` with
``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`` returns ``access_token`` and ``expires_in``. The
token is renewed a minute before it expires, inside the request's auth flow (same transport, same retries).
A refused exchange (``invalid_grant``: key deleted or disabled) is :class:`~core.errors.CredentialsExpired`;
a 5xx is retried like any request.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import httpx
import jwt
from groundswell.connectors.http.client import Retryable
from groundswell.core.errors import CredentialsExpired

__all__ = ["ServiceAccountAuth", "load_service_account"]

GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def load_service_account(value: str) -> dict[str, Any] | None:
    """The key file's fields from its JSON text or path; None when ``value`` is neither (an access token)."""
    text = value.strip()
    if not text.startswith("{"):
        path = Path(text).expanduser()
        if len(text) > 1024 or not path.is_file():
            return None
        text = path.read_text()
    try:
        key = json.loads(text)
    except json.JSONDecodeError:
        return None
    return key if isinstance(key, dict) and {"client_email", "private_key", "token_uri"} <= set(key) else None


class ServiceAccountAuth(httpx.Auth):
    """``Authorization: Bearer <access token>`` obtained with a service account key for ``scope``."""

    requires_response_body = True

    def __init__(self, source: str, key: dict[str, Any], scope: str, now: Callable[[], float] = time.time) -> None:
        self.source, self.key, self.scope, self.now = source, key, scope, now
        self._token, self._expires = "", 0.0

    def assertion(self) -> str:
        issued = int(self.now())
        claims = {
            "iss": self.key["client_email"],
            "scope": self.scope,
            "aud": self.key["token_uri"],
            "iat": issued,
            "exp": issued + 3600,
        }
        headers = {"kid": self.key["private_key_id"]} if self.key.get("private_key_id") else None
        return jwt.encode(claims, self.key["private_key"], algorithm="RS256", headers=headers)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.now() > self._expires - 60:
            form = {"grant_type": GRANT, "assertion": self.assertion()}
            response = yield httpx.Request("POST", self.key["token_uri"], data=form)
            if response.status_code in (400, 401, 403):
                error = _error(response)
                raise CredentialsExpired(self.source, f"token exchange refused ({error})")
            if response.status_code >= 300:
                raise Retryable(f"token endpoint HTTP {response.status_code}")
            body = response.json()
            self._token = str(body["access_token"])
            self._expires = self.now() + float(body.get("expires_in") or 3600)
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def _error(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    return str(body.get("error") or f"HTTP {response.status_code}") if isinstance(body, dict) else "refused"
