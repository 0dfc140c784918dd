"""The demo tenant, Brightloop: its own email domain and the URLs its citation links go under.

Production code knows no tenant; ``groundswell demo`` (and the demo's tests) pass these in as settings.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEMO_COMPANY_DOMAINS", "DEMO_LINK_BASES", "demo_settings_overrides"]

DEMO_COMPANY_DOMAINS: list[str] = ["brightloop.io"]
DEMO_LINK_BASES: dict[str, str] = {
    "zendesk": "https://brightloop.zendesk.com",
    "salesforce": "https://brightloop.my.salesforce.com",
    "intercom": "https://app.intercom.com/a/inbox/brightloop",
    "discourse": "https://community.brightloop.io",
}


def demo_settings_overrides(env: dict[str, str]) -> dict[str, Any]:
    """The demo tenant's settings, except those the environment already sets (the user's choice wins)."""
    overrides: dict[str, Any] = {}
    if "GROUNDSWELL_COMPANY_DOMAINS" not in env:
        overrides["company_domains"] = list(DEMO_COMPANY_DOMAINS)
    if "GROUNDSWELL_SOURCE_LINK_BASES" not in env:
        overrides["source_link_bases"] = dict(DEMO_LINK_BASES)
    return overrides
