"""What every log line carries besides its message: the request or job it belongs to, and never PII.

``log_context(request_id=…, job=…)`` sets context variables for the code it wraps (threads started through
``contextvars.copy_context`` inherit them); :class:`ContextFilter` copies them onto each record and
:class:`RedactingFilter` replaces the message (and any traceback) by its redacted text before a handler
formats it. Both are plain ``logging`` filters, installed on handlers by the entry point.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["ContextFilter", "RedactingFilter", "current_request_id", "log_context"]

_request_id: ContextVar[str | None] = ContextVar("groundswell_request_id", default=None)
_job: ContextVar[str | None] = ContextVar("groundswell_job", default=None)

WITHHELD = "[log message withheld: redaction failed]"


def current_request_id() -> str | None:
    return _request_id.get()


@contextmanager
def log_context(*, request_id: str | None = None, job: str | None = None) -> Iterator[None]:
    """Tag the log lines of the wrapped code with ``request_id`` and/or ``job`` (unset ones keep the outer value)."""
    tokens = []
    if request_id is not None:
        tokens.append((_request_id, _request_id.set(request_id)))
    if job is not None:
        tokens.append((_job, _job.set(job)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class ContextFilter(logging.Filter):
    """Adds ``request_id`` and ``job`` (None outside any context) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        record.job = _job.get()
        return True


class RedactingFilter(logging.Filter):
    """Replaces each record's message and traceback by ``redact(text)``; a redactor that fails withholds the
    message rather than letting the original through. Re-entrant logging from inside ``redact`` passes as is."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__()
        self.redact = redact
        self._busy = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(self._busy, "on", False):
            return True
        self._busy.on = True
        try:
            record.msg, record.args = self._clean(record.getMessage()), None
            if record.exc_info:
                record.exc_text = self._clean(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
            if record.stack_info:
                record.stack_info = self._clean(record.stack_info)
        finally:
            self._busy.on = False
        return True

    def _clean(self, text: str) -> str:
        try:
            return self.redact(text)
        except Exception:
            return WITHHELD
