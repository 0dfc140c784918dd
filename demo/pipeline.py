"""CRM opportunities for the demo (``salesforce/Opportunity.csv``): deals per account, some closed lost.

Drawn from their own random stream (``Random(f"opportunities:{seed}")``) after everything else, so adding them
changes no other file and no truth figure. A lost deal's reason names the theme its account complained about
most (negative or churn-risk signals in the 60 days before the close), so lost pipeline ties to planted themes;
accounts without such signals lose on budget, price or timing.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from groundswell.demo.catalog import theme_by_id
from groundswell.demo.planning import Signal
from groundswell.demo.population import Population, sf_id
from groundswell.demo.sources_support import iso
from groundswell.demo.timeline import Timeline

__all__ = ["OPPORTUNITY_HEADER", "build_opportunities"]

OPPORTUNITY_HEADER = ["Id", "AccountId", "Name", "StageName", "Amount", "CloseDate", "IsClosed", "IsWon",
                      "Loss_Reason__c", "CreatedDate"]  # fmt: skip
_KINDS = ("Renewal", "Expansion", "Upsell", "New seats")
_OPEN_STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation")
_GENERIC_REASONS = ("Budget cut", "Chose a cheaper competitor", "No decision: project shelved", "Timing")
_TIED_REASONS = ("Lost to a competitor over {theme} problems", "{theme} issues blocked the rollout",
                 "Champion left after repeated {theme} complaints")  # fmt: skip
LOOKBACK = timedelta(days=60)


def _unhappy(signals: list[Signal]) -> dict[str, list[Signal]]:
    """Per account id: its negative or churn-risk signals (not duplicates), oldest first."""
    out: dict[str, list[Signal]] = {}
    for sig in signals:
        if sig.account and sig.duplicate_of is None and (sig.intent == "churn_risk" or sig.sentiment == "negative"):
            out.setdefault(sig.account.id, []).append(sig)
    return out


def _reason(rng: random.Random, complaints: list[Signal], close: datetime) -> str:
    recent = Counter(s.theme for s in complaints if close - LOOKBACK <= s.at < close)
    if not recent or rng.random() < 0.25:
        return rng.choice(_GENERIC_REASONS)
    theme = min(recent, key=lambda t: (-recent[t], t))
    return rng.choice(_TIED_REASONS).format(theme=theme_by_id(theme).name)


def build_opportunities(seed: int, pop: Population, signals: list[Signal], tl: Timeline) -> list[dict[str, str]]:
    """Deterministic Opportunity rows (Data Loader text), in account order."""
    rng = random.Random(f"opportunities:{seed}")
    complaints = _unhappy(signals)
    rows: list[dict[str, str]] = []
    span = (tl.end - tl.start).days
    for acct in sorted(pop.accounts, key=lambda a: a.id):
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            created = tl.start + timedelta(days=rng.uniform(-30, span - 10))
            close = created + timedelta(days=rng.randint(14, 90))
            kind = rng.choice(_KINDS)
            amount = round(acct.arr_at(min(created, tl.end)) * rng.uniform(0.15, 0.6), -2)
            lost = won = False
            if close < tl.end:
                lost = rng.random() < (0.6 if acct.id in complaints else 0.3)
                won = not lost
            stage = "Closed Lost" if lost else "Closed Won" if won else rng.choice(_OPEN_STAGES)
            reason = _reason(rng, complaints.get(acct.id, []), close) if lost else ""
            rows.append({
                "Id": sf_id("006", len(rows) + 1), "AccountId": acct.id, "Name": f"{acct.name} {kind}",
                "StageName": stage, "Amount": f"{amount:.0f}", "CloseDate": close.date().isoformat(),
                "IsClosed": "true" if lost or won else "false", "IsWon": "true" if won else "false",
                "Loss_Reason__c": reason, "CreatedDate": iso(created),
            })  # fmt: skip
    return rows
