"""Accounts (with dated history) and people (with messy identifiers) for the Brightloop demo.

Account facts are generated forward from the start of the history window; every change is
kept so ``facts_at(t)`` answers "what did the CRM say at time t" exactly as an importer that
undoes later AccountHistory rows would.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from groundswell.demo.names import (
    CHILD_SUFFIXES,
    COMPANY_HEADS,
    COMPANY_TAILS,
    FIRST_NAMES,
    LAST_NAMES,
    LEGAL_SUFFIXES,
    PLANS,
    REGIONS,
    STAFF,
    TITLES,
)

__all__ = ["Account", "Change", "Person", "Population", "build_population", "segment_for_arr"]

SEGMENT_FLOORS = (("Enterprise", 150_000.0), ("Mid-Market", 30_000.0), ("SMB", 0.0))
_ARR_RANGE = {"Enterprise": (150_000, 1_600_000), "Mid-Market": (30_000, 149_000), "SMB": (2_400, 29_000)}
_PEOPLE = {"Enterprise": (10, 18), "Mid-Market": (5, 10), "SMB": (2, 5)}
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def segment_for_arr(arr: float) -> str:
    return next(name for name, floor in SEGMENT_FLOORS if arr >= floor)


def sf_id(prefix: str, n: int) -> str:
    """An 18-character Salesforce-looking id, unique per (prefix, n)."""
    body = ""
    for _ in range(9):
        n, r = divmod(n, 62)
        body = _B62[r] + body
    return f"{prefix}8d0{body}AAM"


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class Change:
    at: datetime
    field: str  # Salesforce API name
    old: str
    new: str


@dataclass
class Account:
    id: str
    name: str
    parent_id: str | None
    domains: list[str]
    region: str
    created: datetime
    initial: dict[str, str]  # API name -> value at the start of history
    changes: list[Change] = field(default_factory=list)

    def facts_at(self, at: datetime) -> dict[str, str]:
        facts = dict(self.initial)
        for change in self.changes:
            if change.at <= at:
                facts[change.field] = change.new
        return facts

    @property
    def current(self) -> dict[str, str]:
        return self.facts_at(datetime.max.replace(tzinfo=self.created.tzinfo))

    def segment_at(self, at: datetime) -> str:
        return self.facts_at(at)["Segment__c"]

    def arr_at(self, at: datetime) -> float:
        return float(self.facts_at(at)["ARR__c"])


@dataclass
class Person:
    id: str
    first: str
    last: str
    account_id: str | None
    title: str
    email: str  # primary work (or personal, for people without an account)
    secondary_email: str | None
    personal_email: str | None  # used in the app (Intercom) and community
    phone: str | None
    contact_id: str | None  # Salesforce Contact id, None when not in the CRM
    username: str
    typo_name: str | None = None  # how one source misspells them
    shared_inbox: str | None = None  # shared address they file tickets from

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Population:
    accounts: list[Account]
    people: list[Person]
    staff: list[tuple[str, str, str]]  # (name, title, email)

    def account(self, account_id: str | None) -> Account | None:
        return self._by_id.get(account_id) if account_id else None

    def __post_init__(self) -> None:
        self._by_id = {a.id: a for a in self.accounts}


def _typo_name(rng: random.Random, first: str, last: str) -> str:
    swaps = {"Katherine": "Katharine", "Jon": "John", "Sofia": "Sophia", "Mohammed": "Mohamed", "Ana": "Anna"}
    if first in swaps:
        return f"{swaps[first]} {last}"
    if len(last) > 4 and rng.random() < 0.6:
        i = rng.randrange(1, len(last) - 2)
        return f"{first} {last[:i]}{last[i + 1]}{last[i]}{last[i + 2 :]}"
    return f"{first[0]}. {last}"


def _phone(rng: random.Random, region: str) -> str:
    if region == "EMEA":
        return f"+44 20 7946 {rng.randrange(1000):04d}"
    return f"+1 ({rng.choice((415, 312, 646, 206, 512))}) 555-{rng.randrange(100, 200):04d}"


def _history(rng: random.Random, acct: Account, start: datetime, end: datetime) -> None:
    """Dated ARR/plan/segment/health/lifecycle/renewal changes between ``start`` and ``end``."""
    span = int((end - start).total_seconds())
    state = dict(acct.initial)
    events: list[tuple[datetime, str]] = []
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
        events.append((start + timedelta(seconds=rng.randrange(span)), "arr"))
    if rng.random() < 0.18:
        events.append((start + timedelta(seconds=rng.randrange(span)), "health_drop"))
    renewal = date.fromisoformat(state["Renewal_Date__c"])
    if datetime(renewal.year, renewal.month, renewal.day, 9, tzinfo=start.tzinfo) < end:
        events.append((datetime(renewal.year, renewal.month, renewal.day, 9, tzinfo=start.tzinfo), "renew"))
    for at, kind in sorted(events):
        before = dict(state)
        if kind == "arr":
            factor = rng.uniform(1.1, 1.7) if rng.random() < 0.7 else rng.uniform(0.55, 0.9)
            state["ARR__c"] = str(round(float(state["ARR__c"]) * factor / 100) * 100)
            state["Segment__c"] = segment_for_arr(float(state["ARR__c"]))
            plans = PLANS[state["Segment__c"]]
            if state["Plan__c"] not in plans or (factor > 1.3 and rng.random() < 0.5):
                state["Plan__c"] = plans[-1] if factor > 1 else plans[0]
        elif kind == "health_drop":
            state["Health_Score__c"] = str(rng.randrange(18, 45))
            state["Lifecycle_Stage__c"] = "At-Risk"
        else:
            state["Renewal_Date__c"] = (renewal + timedelta(days=365)).isoformat()
        for key, value in state.items():
            if before[key] != value:
                acct.changes.append(Change(at, key, before[key], value))


def _accounts(rng: random.Random, n: int, hist_start: datetime, end: datetime) -> list[Account]:
    names = [f"{h} {t}" for h in COMPANY_HEADS for t in COMPANY_TAILS]
    rng.shuffle(names)
    accounts: list[Account] = []
    parents: list[Account] = []
    for i in range(n):
        parent = rng.choice(parents) if parents and rng.random() < 0.14 else None
        if parent is not None:
            base = parent.name.split(" Inc.")[0].split(" LLC")[0]
            name = f"{base} {rng.choice(CHILD_SUFFIXES)}"
            segment = rng.choice(("Mid-Market", "SMB", parent.initial["Segment__c"]))
        else:
            name = names[i] + rng.choice(LEGAL_SUFFIXES)
            segment = rng.choices(("Enterprise", "Mid-Market", "SMB"), weights=(18, 35, 47))[0]
        root = slug(name.split(" Inc.")[0].split(" LLC")[0].split(" Ltd")[0].split(" GmbH")[0].split(" Group")[0])
        domains = [f"{root}.com"]
        if rng.random() < 0.35:
            domains.append(rng.choice((f"{root}.io", f"{root.split('-')[0]}.co.uk", f"get{root.replace('-', '')}.com")))
        lo, hi = _ARR_RANGE[segment]
        arr = round(lo * (hi / lo) ** (rng.random() ** 1.6) / 100) * 100
        renewal = (end + timedelta(days=rng.randrange(-120, 300))).date()
        initial = {
            "ARR__c": str(arr),
            "Plan__c": rng.choice(PLANS[segment]),
            "Segment__c": segment,
            "Health_Score__c": str(rng.randrange(55, 98)),
            "Renewal_Date__c": renewal.isoformat(),
            "Lifecycle_Stage__c": rng.choice(("Active", "Active", "Active", "Onboarding")),
        }
        created = hist_start - timedelta(days=rng.randrange(30, 1500), seconds=rng.randrange(86_400))
        acct = Account(
            sf_id("001", i),
            name,
            parent.id if parent else None,
            domains,
            parent.region if parent else rng.choice(REGIONS),
            created,
            initial,
        )
        _history(rng, acct, hist_start, end)
        accounts.append(acct)
        if parent is None and segment != "SMB":
            parents.append(acct)
    return accounts


def _person(rng: random.Random, pid: int, acct: Account | None, usernames: set[str]) -> Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    f, l_ = slug(first).replace("-", ""), slug(last).replace("-", "")
    personal = f"{f}.{l_}{rng.randrange(10, 99)}@{rng.choice(('gmail.com', 'gmail.com', 'outlook.com', 'yahoo.com'))}"
    username = rng.choice((f"{f[0]}{l_}", f"{f}_{l_[0]}", f"{f}{rng.randrange(100)}", f"{l_}.{f}"))
    while username in usernames:
        username += str(rng.randrange(10))
    usernames.add(username)
    if acct is None:
        return Person(
            f"P{pid:05d}", first, last, None, rng.choice(TITLES), personal, None, personal, None, None, username
        )
    domain = acct.domains[0]
    email = rng.choice((f"{f}.{l_}@{domain}", f"{f[0]}{l_}@{domain}", f"{f}@{domain}"))
    secondary = None
    if rng.random() < 0.15:
        secondary = rng.choice([personal, *(f"{f}.{l_}@{d}" for d in acct.domains[1:])])
    return Person(
        f"P{pid:05d}",
        first,
        last,
        acct.id,
        rng.choice(TITLES),
        email,
        secondary,
        personal if rng.random() < 0.3 else None,
        _phone(rng, acct.region) if rng.random() < 0.6 else None,
        sf_id("003", pid),
        username,
        _typo_name(rng, first, last) if rng.random() < 0.1 else None,
    )


def build_population(rng: random.Random, n_accounts: int, hist_start: datetime, end: datetime) -> Population:
    accounts = _accounts(rng, n_accounts, hist_start, end)
    people: list[Person] = []
    usernames: set[str] = set()
    for acct in accounts:
        lo, hi = _PEOPLE[acct.initial["Segment__c"]]
        members = [_person(rng, len(people) + k, acct, usernames) for k in range(rng.randint(lo, hi))]
        if len(members) >= 3 and rng.random() < 0.12:
            inbox = f"{rng.choice(('support', 'ops', 'it', 'admin'))}@{acct.domains[0]}"
            for member in rng.sample(members, rng.randint(2, min(4, len(members)))):
                member.shared_inbox = inbox
        people.extend(members)
    for _ in range(max(3, len(people) // 20)):  # community/app users the CRM does not know
        people.append(_person(rng, len(people), None, usernames))
    staff = [(name, title, f"{slug(name.split()[0])}.{slug(name.split()[1])}@brightloop.io") for name, title in STAFF]
    return Population(accounts, people, staff)
