"""A made-up company's vocabulary (not the demo's): the planner's rules must work on names they never saw."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from groundswell.core.query import Exclusions, ThemeTerm, Vocabulary

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


def _leaf(key: str, name: str, parent: tuple[str, str], aliases: list[str], owner: str = "") -> ThemeTerm:
    return ThemeTerm(key=key, name=name, parent_key=parent[0], parent_name=parent[1], aliases=aliases,
                     owner_team=owner or None)  # fmt: skip


CHECKOUT, AUTH, LABELS, NOTIFY, SYNC = (("checkout", "Checkout"), ("auth", "Authentication"),
                                        ("labels", "Label printing"), ("notify", "Notifications"),
                                        ("sync", "Data sync"))  # fmt: skip
VOCAB = Vocabulary(
    taxonomy_version=3,
    themes=[ThemeTerm(key=key, name=name) for key, name in (CHECKOUT, AUTH, LABELS, NOTIFY, SYNC)]
    + [
        _leaf("checkout.payment_errors", "Payment page errors", CHECKOUT, ["card form", "3ds"], "Payments"),
        _leaf("checkout.coupons", "Coupon codes", CHECKOUT, ["discount code", "promo"], "Growth"),
        _leaf("auth.sso", "SSO login failures", AUTH, ["sso", "saml login"], "Identity"),
        _leaf("auth.mfa", "Two-factor codes", AUTH, ["2fa", "mfa"], "Identity"),
        _leaf("labels.drivers", "Printer drivers", LABELS, ["zebra printer"], "Hardware"),
        _leaf("labels.layout", "Label layout", LABELS, ["margins"], "Hardware"),
        _leaf("notify.email", "Email notifications", NOTIFY, ["email alerts"], "Messaging"),
        _leaf("notify.sms", "SMS notifications", NOTIFY, ["text messages"], "Messaging"),
        _leaf("sync.inventory", "Inventory sync", SYNC, ["stock levels", "sync delay"], "Integrations"),
        _leaf("sync.calendar", "Calendar sync", SYNC, ["pickup calendar", "sync delay"], "Integrations"),
    ],
    segments=["Enterprise", "Mid-Market", "SMB"],
    plans=["Starter", "Pro", "Enterprise"],
    sources=["zendesk", "googleplay", "gong", "discourse", "intercom"],
    accounts={"001A": "Northwind Traders", "001B": "Globex Inc."},
    releases={"2.3.0": datetime(2026, 10, 20, 16, tzinfo=UTC), "2.3.1": datetime(2026, 10, 24, tzinfo=UTC)},
)


@pytest.fixture
def vocab() -> Vocabulary:
    return VOCAB


_CONCEPTS = {
    "sso": ("sso", "single", "sign-on", "saml"),
    "login": ("login", "log", "logging", "signin"),
    "mfa": ("2fa", "mfa", "two-factor", "authenticator"),
    "printer": ("printer", "printers", "zebra", "drivers", "driver"),
    "coupon": ("coupon", "promo", "discount", "voucher", "vouchers"),
}


class ConceptEmbedder:
    """A deterministic test embedder: texts become bags of known concepts (unknown words are ignored)."""

    model_id = "test-concepts"
    dimension = len(_CONCEPTS)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for text in texts:
            words = re.findall(r"[a-z0-9-]+", text.lower())
            vec = [float(sum(w in syn for w in words)) for syn in _CONCEPTS.values()]
            norm = math.sqrt(sum(v * v for v in vec)) or 1.0
            out.append([v / norm for v in vec])
        return out


@pytest.fixture
def embedder() -> ConceptEmbedder:
    return ConceptEmbedder()


def _window(days: int) -> dict[str, Any]:
    return {"start": (AS_OF - timedelta(days=days)).isoformat(), "end": AS_OF.isoformat(), "label": f"last {days} days"}


def plan_reply(**overrides: Any) -> dict[str, Any]:
    """A complete QueryPlan reply as a model would give it (every field: strict structured output)."""
    filters = {"window": _window(30), "themes": [], "segments": [], "plans": [], "accounts": [],
               "renewing_within_days": None, "lost_pipeline_days": None, "intents_or_lost_pipeline": False,
               "sources": [], "sentiments": [], "mixed": None, "intents": [], "severities": [],
               "text": None, "arr_min": None, "arr_max": None, "at_risk_signals": False,
               "exclude": {f: [] for f in Exclusions.model_fields}}  # fmt: skip
    filters.update(overrides.pop("filters", {}))
    plan = {"kind": "count", "metric": "count", "group_by": "theme", "k": 5, "filters": filters,
            "previous_window": None, "weights": None, "bucket": "week", "quotes": 3, "clarification": None,
            "notes": [], "unsupported": []}  # fmt: skip
    plan.update(overrides)
    return plan
