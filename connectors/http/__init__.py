"""Live API sources: one small class per source on a shared base (client, budgets, retries, pagination)."""

from connectors.http.base import HttpCheckpoint, HttpSource, Yielded, vanished
from connectors.http.budget import Budget, Clock, Rate, SystemClock
from connectors.http.client import ApiClient, ApiResponse, Retryable
from connectors.http.pages import (
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
