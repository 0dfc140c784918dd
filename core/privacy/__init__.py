"""PII detection and redaction, offline (Presidio pattern recognizers, no NLP model, no network)."""

from __future__ import annotations

from core.privacy.detect import PiiDetector
from core.privacy.protect import Privacy, Protected
from core.privacy.redact import RedactionResult, Redactor, Vault
from core.privacy.spans import ENTITY_TYPES, PiiSpan

__all__ = ["ENTITY_TYPES", "PiiDetector", "PiiSpan", "Privacy", "Protected", "RedactionResult", "Redactor", "Vault"]
