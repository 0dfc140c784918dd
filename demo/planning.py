"""What gets said, by whom, when: the signal plan, before any export format is involved.

Themes are drawn per record from time-, source- and segment-dependent weights, which is
where the planted structure comes from (rising, falling, spike after 4.12, enterprise-only);
the ARR-heavy theme and the cross-source duplicates are planted afterwards.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from groundswell.demo.catalog import THEMES, role_theme, theme_by_id
from groundswell.demo.population import Account, Person, Population
from groundswell.demo.textgen import pick, render_signal, sample_labels
from groundswell.demo.timeline import Timeline

__all__ = ["SOURCES", "RecordPlan", "Signal", "plan_records"]

SOURCES = ("zendesk", "intercom", "googleplay", "delighted", "gong", "discourse")
SHARES = {"zendesk": 0.245, "intercom": 0.235, "googleplay": 0.13, "delighted": 0.18, "gong": 0.03, "discourse": 0.18}
_PERSON_WEIGHT = {  # per source: segment -> weight of each person (None = not in the CRM)
    "zendesk": {"Enterprise": 1.6, "Mid-Market": 1.2, "SMB": 1.0, None: 0.0},
    "intercom": {"Enterprise": 0.8, "Mid-Market": 1.0, "SMB": 1.3, None: 1.0},
    "delighted": {"Enterprise": 1.0, "Mid-Market": 1.0, "SMB": 1.0, None: 0.0},
    "gong": {"Enterprise": 6.0, "Mid-Market": 2.5, "SMB": 0.4, None: 0.0},
    "discourse": {"Enterprise": 0.5, "Mid-Market": 1.0, "SMB": 1.2, None: 3.0},
}
_FOREIGN_P = {"googleplay": 0.07, "discourse": 0.02}


@dataclass(eq=False)
class Signal:
    """One planted customer signal; location fields are filled when a record is written."""

    theme: str
    intent: str
    sentiment: str
    severity: str
    at: datetime
    source: str
    person: Person | None
    account: Account | None
    text: str = ""
    language: str = "en"
    duplicate_of: Signal | None = None
    id: str = ""
    external_id: str = ""
    message_id: str = ""
    char_start: int = 0
    char_end: int = 0


@dataclass(eq=False)
class RecordPlan:
    source: str
    at: datetime
    person: Person | None
    account: Account | None
    signals: list[Signal] = field(default_factory=list)  # in the opening customer message
    followup: list[Signal] = field(default_factory=list)  # in a later customer message
    replies: list[RecordPlan] = field(default_factory=list)  # discourse: customer replies in the topic
    score_only: bool = False  # survey answer / review without a comment
    duplicate_of: RecordPlan | None = None


class _Planner:
    def __init__(self, rng: random.Random, pop: Population, tl: Timeline) -> None:
        self.rng, self.pop, self.tl = rng, pop, tl
        self.spike = role_theme("spike").id
        self._pools: dict[str, tuple[list[Person], list[float]]] = {}
        for source, weights in _PERSON_WEIGHT.items():
            people = [p for p in pop.people if weights[self._segment0(p)] > 0]
            cum, total = [], 0.0
            for p in people:
                total += weights[self._segment0(p)]
                cum.append(total)
            self._pools[source] = (people, cum)

    def _segment0(self, person: Person) -> str | None:
        acct = self.pop.account(person.account_id)
        return acct.initial["Segment__c"] if acct else None

    def person(self, source: str) -> Person | None:
        if source == "googleplay":
            return None
        people, cum = self._pools[source]
        return self.rng.choices(people, cum_weights=cum)[0]

    def _modifier(self, role: str | None, at: datetime, segment: str | None) -> float:
        if role == "rising":
            return 0.3 + 2.6 * self.tl.frac(at)
        if role == "falling":
            return 2.7 - 2.4 * self.tl.frac(at)
        if role == "spike":
            since = (at - self.tl.release_412).total_seconds() / 86_400
            return 1.0 if since < 0 else 6.5 if since < 6 else 2.5 if since < 10 else 1.3
        if role == "enterprise_only":
            return 1.2 if segment == "Enterprise" else 0.0
        return 0.0 if role == "arr_heavy" else 1.0

    def signal(self, source: str, at: datetime, person: Person | None, *, avoid: str | None = None) -> Signal:
        acct = self.pop.account(person.account_id) if person else None
        segment = acct.segment_at(at) if acct else None
        weights = {
            t.id: t.weight * t.sources.get(source, 1.0) * self._modifier(t.role, at, segment)
            for t in THEMES
            if t.id != avoid
        }
        theme = theme_by_id(pick(self.rng, weights))
        health = float(acct.facts_at(at)["Health_Score__c"]) if acct else 100.0
        intent, sentiment, severity = sample_labels(self.rng, theme.intents, 3.0 if health < 50 else 1.0)
        return Signal(theme.id, intent, sentiment, severity, at, source, person, acct)

    def record(self, source: str, *, at: datetime | None = None, person: Person | None = None) -> RecordPlan:
        at = at or self.tl.sample(self.rng, latest=self.tl.end - timedelta(hours=3))
        person = person or self.person(source)
        plan = RecordPlan(source, at, person, self.pop.account(person.account_id) if person else None)
        rng = self.rng
        if (source == "delighted" and rng.random() < 0.4) or (source == "googleplay" and rng.random() < 0.05):
            plan.score_only = True
            return plan
        n = rng.randint(2, 4) if source == "gong" else 1
        for _ in range(n):
            plan.signals.append(self.signal(source, at, person))
        mixed_p = {"zendesk": 0.08, "intercom": 0.07, "discourse": 0.05, "delighted": 0.04}.get(source, 0.0)
        if rng.random() < mixed_p:
            plan.signals.append(self.signal(source, at, person, avoid=plan.signals[0].theme))
        if source in ("zendesk", "intercom") and rng.random() < 0.06:
            plan.followup.append(self.signal(source, at, person, avoid=plan.signals[0].theme))
        return plan

    def topic(self, budget: int) -> RecordPlan:
        """A discourse topic: opening post plus customer replies about the same theme."""
        plan = self.record("discourse")
        for _ in range(min(budget, self.rng.choice((0, 0, 1, 1, 2, 3)))):
            reply_at = plan.at + timedelta(seconds=self.rng.randrange(3600, 96 * 3600))
            if reply_at >= self.tl.end:
                break
            if self.rng.random() < 0.3:  # a staff answer: never a signal
                plan.replies.append(RecordPlan("discourse", reply_at, None, None))
                continue
            reply = RecordPlan("discourse", reply_at, self.person("discourse"), None)
            reply.account = self.pop.account(reply.person.account_id) if reply.person else None
            segment = reply.account.segment_at(reply_at) if reply.account else None
            allowed = theme_by_id(plan.signals[0].theme).role != "enterprise_only" or segment == "Enterprise"
            if plan.signals and allowed and self.rng.random() < 0.75:
                sig = self.signal("discourse", reply_at, reply.person)
                sig.theme = plan.signals[0].theme
                reply.signals.append(sig)
            plan.replies.append(reply)
        plan.replies.sort(key=lambda r: r.at)
        return plan


def _counts(records: int) -> dict[str, int]:
    counts = {s: max(2, round(records * share)) for s, share in SHARES.items()}
    counts["zendesk"] += records - sum(counts.values())
    return counts


def _plant_arr_heavy(rng: random.Random, pop: Population, plans: list[RecordPlan], n: int) -> None:
    theme = role_theme("arr_heavy")
    top = sorted(pop.accounts, key=lambda a: (-float(a.current["ARR__c"]), a.id))[
        : max(3, min(8, len(pop.accounts) // 40))
    ]
    top_ids = {a.id for a in top}
    special = {t.id for t in THEMES if t.role or t.praise}
    candidates = [
        s
        for p in plans
        if p.source in ("zendesk", "intercom", "gong") and p.account and p.account.id in top_ids
        for s in p.signals
        if s.theme not in special
    ]
    for sig in rng.sample(candidates, min(n, len(candidates))):
        sig.theme = theme.id
        sig.intent, sig.sentiment, sig.severity = sample_labels(rng, theme.intents)


def _near_copy(rng: random.Random, text: str) -> str:
    choice = rng.randrange(5)
    if choice == 0:
        return text.rstrip(".!")
    if choice == 1:
        return text[:1].lower() + text[1:]
    if choice == 2:
        return "As I said in my ticket, " + text[:1].lower() + text[1:]
    return text


def _plant_duplicates(
    rng: random.Random, tl: Timeline, plans: list[RecordPlan], source: str, target: str, n: int
) -> list[RecordPlan]:
    pool = [p for p in plans if p.source == source and len(p.signals) == 1 and not p.followup and not p.score_only]
    dups: list[RecordPlan] = []
    for orig in rng.sample(pool, len(pool)):
        if len(dups) >= n:
            break
        hours = (12, 96) if target == "intercom" else (48, 240)
        at = orig.at + timedelta(seconds=rng.randrange(hours[0] * 3600, hours[1] * 3600))
        if at >= tl.end - timedelta(hours=3):
            continue
        first = orig.signals[0]
        copy = Signal(
            first.theme,
            first.intent,
            first.sentiment,
            first.severity,
            at,
            target,
            orig.person,
            orig.account,
            text=_near_copy(rng, first.text) if target == "intercom" else first.text,
            language=first.language,
            duplicate_of=first,
        )
        dups.append(RecordPlan(target, at, orig.person, orig.account, [copy], duplicate_of=orig))
    return dups


def plan_records(rng: random.Random, pop: Population, tl: Timeline, records: int) -> list[RecordPlan]:
    """Every record of every source, with rendered signal texts (duplicates included)."""
    planner = _Planner(rng, pop, tl)
    counts = _counts(records)
    n_chat_dups, n_review_dups = round(records * 0.012), round(records * 0.004)
    counts["intercom"] -= n_chat_dups
    counts["googleplay"] -= n_review_dups
    plans: list[RecordPlan] = []
    for source in ("zendesk", "intercom", "googleplay", "delighted", "gong"):
        plans.extend(planner.record(source) for _ in range(counts[source]))
    remaining = counts["discourse"]
    while remaining > 0:
        topic = planner.topic(remaining - 1)
        plans.append(topic)
        remaining -= 1 + len(topic.replies)
    _plant_arr_heavy(rng, pop, plans, max(4, round(16 * records / 20_000)))
    for plan in plans:
        for sig in _all_signals(plan):
            version = tl.version_at(sig.at)[0]
            sig.text, sig.language = render_signal(
                rng,
                sig.theme,
                sig.intent,
                sig.sentiment,
                sig.severity,
                version,
                foreign_p=_FOREIGN_P.get(sig.source, 0.015),
            )
    plans += _plant_duplicates(rng, tl, plans, "zendesk", "intercom", n_chat_dups)
    plans += _plant_duplicates(rng, tl, plans, "googleplay", "googleplay", n_review_dups)
    return plans


def _all_signals(plan: RecordPlan) -> list[Signal]:
    return [*plan.signals, *plan.followup, *(s for r in plan.replies for s in r.signals)]
