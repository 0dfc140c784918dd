"""RFC 9457 problem details: every refusal of the HTTP API is ``application/problem+json``, never a 500 page."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi.responses import JSONResponse

__all__ = ["Problem"]


class Problem(Exception):
    """A refusal: status, a human ``detail`` and any extra members (``errors``, ``rejected`` …)."""

    def __init__(self, status: int, detail: Any, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.detail, self.extra = status, detail, extra

    def response(self, headers: dict[str, str] | None = None) -> JSONResponse:
        body = {"type": "about:blank", "title": HTTPStatus(self.status).phrase, "status": self.status}
        body |= {"detail": self.detail, **self.extra}
        return JSONResponse(body, status_code=self.status, media_type="application/problem+json", headers=headers)
