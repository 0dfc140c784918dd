"""Redaction and vault together: what the ingest path calls before text is stored, embedded or sent anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field

from groundswell.core.privacy.redact import Redactor, Vault

__all__ = ["Privacy", "Protected"]


@dataclass(frozen=True)
class Protected:
    text: str
    vault_entries: dict[str, bytes] = field(default_factory=dict)  # token -> encrypted original


@dataclass(frozen=True)
class Privacy:
    redactor: Redactor
    vault: Vault

    def protect(self, text: str) -> Protected:
        """``text`` with PII replaced by stable pseudonyms, and the encrypted originals for the vault."""
        result = self.redactor.redact(text)
        if not result.pseudonyms:
            return Protected(text)
        return Protected(result.text, {t: self.vault.encrypt(o) for t, o in result.pseudonyms.items()})
