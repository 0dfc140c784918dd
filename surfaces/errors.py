"""Errors the surfaces map to one shape (REST: problem+json; MCP: a tool error with the same title and detail)."""

from __future__ import annotations

from groundswell.core.errors import GroundswellError

__all__ = ["Forbidden", "InvalidRequest", "NotFound", "SurfaceError", "TooManyRequests", "Unauthorized"]


class SurfaceError(GroundswellError):
    """``status`` and ``title`` as an HTTP problem document would carry them."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Unauthorized(SurfaceError):
    status, title = 401, "Unauthorized"


class Forbidden(SurfaceError):
    status, title = 403, "Forbidden"


class NotFound(SurfaceError):
    status, title = 404, "Not found"


class InvalidRequest(SurfaceError):
    status, title = 422, "Invalid request"


class TooManyRequests(SurfaceError):
    status, title = 429, "Too many requests"

    def __init__(self, detail: str, retry_after: float) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
