"""PII detection and redaction, offline (Presidio pattern recognizers, no NLP model, no network)."""

from __future__ import annotations

from groundswell.core.privacy.detect import PiiDetector
from groundswell.core.privacy.protect import Privacy, Protected
from groundswell.core.privacy.redact import RedactionResult, Redactor, Vault
from groundswell.core.privacy.spans import ENTITY_TYPES, PiiSpan

__all__ = ["ENTITY_TYPES", "PiiDetector", "PiiSpan", "Privacy", "Protected", "RedactionResult", "Redactor", "Vault"]
