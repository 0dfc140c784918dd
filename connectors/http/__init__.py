"""Live API sources: one small class per source on a shared base (client, budgets, retries, pagination)."""

from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded, vanished
from groundswell.connectors.http.budget import Budget, Clock, Rate, SystemClock
from groundswell.connectors.http.client import ApiClient, ApiResponse, Retryable
from groundswell.connectors.http.pages import (
    CursorPagination,
    LinkHeaderPagination,
    NextUrlPagination,
    OffsetPagination,
    Page,
    Paginator,
    TimeWindowPagination,
    dig,
)

__all__ = [
    "ApiClient",
    "ApiResponse",
    "Budget",
    "Clock",
    "CursorPagination",
    "HttpCheckpoint",
    "HttpSource",
    "LinkHeaderPagination",
    "NextUrlPagination",
    "OffsetPagination",
    "Page",
    "Paginator",
    "Rate",
    "Retryable",
    "SystemClock",
    "TimeWindowPagination",
    "Yielded",
    "dig",
    "vanished",
]
