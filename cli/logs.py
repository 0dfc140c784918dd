"""Logging for the long-running commands (``serve``, ``socket``, ``worker``): text or JSON lines on stderr,
each with its request id or job name, messages redacted by ``core.privacy`` (no PII in logs)."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from groundswell.core.log_context import ContextFilter, RedactingFilter
from groundswell.core.privacy import PiiDetector, Redactor
from pythonjsonlogger.json import JsonFormatter

from groundswell.runtime import Runtime

__all__ = ["configure_logging", "lazy_redactor", "setup_logging"]

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(job)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(job)s"
_HANDLER_NAME = "groundswell"
QUIET_LOGGERS = ("presidio-analyzer", "presidio-anonymizer")  # a line per recognizer loaded at INFO


def lazy_redactor(key: bytes) -> Callable[[str], str]:
    """``text -> redacted text`` with a detector built on the first message that needs one (not at startup)."""
    lock = threading.Lock()
    built: list[Redactor] = []

    def redact(text: str) -> str:
        if not built:
            with lock:
                if not built:
                    built.append(Redactor(PiiDetector(), key))
        return built[0].redact(text).text

    return redact


def configure_logging(
    *, fmt: str, level: str, redact: Callable[[str], str], stream: TextIO | None = None
) -> logging.Handler:
    """One handler on the root logger (replacing ours from an earlier call): ``fmt`` is ``text`` or ``json``."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    if fmt == "json":
        handler.setFormatter(JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "name": "logger"}))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactingFilter(redact))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    return handler


def setup_logging(runtime: Runtime) -> logging.Handler:
    """The configured format and level, redacting with the runtime's PII key."""
    s = runtime.settings
    return configure_logging(fmt=s.log_format, level=s.log_level, redact=lazy_redactor(runtime.pii_key))
