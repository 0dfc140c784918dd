"""Identity rules that need no database: normalising identifiers, free-mail domains."""

from __future__ import annotations

import re

__all__ = ["FREE_MAIL_DOMAINS", "email_domain", "normalize_email", "normalize_phone"]

#: Personal mailbox providers: an address here never maps a person to an account.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "outlook.com", "live.com",
        "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.de",
        "gmx.net", "web.de", "mail.com", "yandex.ru", "qq.com", "163.com", "zoho.com", "fastmail.com",
    }
)  # fmt: skip
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(raw: str) -> str | None:
    """Lower-case, trimmed, plus-addressing removed (``Ana+sso@X.com`` → ``ana@x.com``); None if not an email."""
    value = raw.strip().strip("<>").lower()
    if not _EMAIL.match(value):
        return None
    local, domain = value.rsplit("@", 1)
    local = local.split("+", 1)[0]
    if domain in {"gmail.com", "googlemail.com"}:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}" if local else None


def email_domain(email: str) -> str | None:
    """The company domain of an address, or None for free-mail and malformed addresses."""
    if "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower()
    return None if domain in FREE_MAIL_DOMAINS or not domain else domain


def normalize_phone(raw: str) -> str | None:
    """Digits only, with a leading + kept; None when too short to identify anyone."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 7:
        return None
    return ("+" if raw.strip().startswith("+") else "") + digits
