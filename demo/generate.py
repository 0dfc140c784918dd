"""``generate_demo``: the whole Brightloop corpus, deterministically from a seed.

Same ``seed`` + same ``end`` -> byte-identical files. Only ``random.Random(seed)`` is used.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from groundswell.demo.pipeline import OPPORTUNITY_HEADER, build_opportunities
from groundswell.demo.planning import SOURCES, RecordPlan, Signal, _all_signals, plan_records
from groundswell.demo.population import Population, build_population
from groundswell.demo.questions import build_questions
from groundswell.demo.sources_intercom import Intercom
from groundswell.demo.sources_other import Delighted, Discourse, Gong, GooglePlay
from groundswell.demo.sources_support import Zendesk
from groundswell.demo.textbuild import Context
from groundswell.demo.timeline import Timeline
from groundswell.demo.truth import write_truth
from groundswell.demo.writers import (
    write_csv,
    write_delighted,
    write_discourse,
    write_gong,
    write_googleplay,
    write_intercom,
    write_releases,
    write_salesforce,
    write_zendesk,
)
from pydantic import BaseModel

__all__ = ["DemoSummary", "generate_demo"]


class DemoSummary(BaseModel):
    """What ``generate_demo`` wrote."""

    out_dir: Path
    truth_dir: Path
    files: dict[str, list[Path]]  # source -> files written
    records: dict[str, int]  # source -> raw feedback records (tickets, conversations, reviews, ...)
    signals: dict[str, int]  # source -> planted customer signals (duplicates included)
    accounts: int
    people: int
    contacts: int
    questions: int
    as_of: datetime
    window_start: datetime
    release_412: datetime

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    @property
    def total_signals(self) -> int:
        return sum(self.signals.values())


def _opportunities(out: Path, seed: int, pop: Population, signals: list[Signal], tl: Timeline) -> list[Path]:
    path = out / "salesforce" / "Opportunity.csv"
    write_csv(path, OPPORTUNITY_HEADER, build_opportunities(seed, pop, signals, tl))
    return [path]


def _default_end() -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def _build(ctx: Context, plans: list[RecordPlan]) -> dict[str, Any]:
    builders: dict[str, Any] = {
        "zendesk": Zendesk(ctx), "intercom": Intercom(ctx), "googleplay": GooglePlay(ctx),
        "delighted": Delighted(ctx), "gong": Gong(ctx), "discourse": Discourse(ctx),
    }  # fmt: skip
    methods = {"zendesk": "ticket", "intercom": "conversation", "googleplay": "review", "delighted": "response",
               "gong": "call", "discourse": "topic"}  # fmt: skip
    order = sorted(range(len(plans)), key=lambda i: (SOURCES.index(plans[i].source), plans[i].at, i))
    for i in order:
        getattr(builders[plans[i].source], methods[plans[i].source])(plans[i])
    return builders


def generate_demo(
    out_dir: Path, *, seed: int = 7, records: int = 20_000, days: int = 180, end: datetime | None = None
) -> DemoSummary:
    """Write the Brightloop demo corpus (vendor exports + ``_truth/``) into ``out_dir``.

    ``end`` is the corpus's last moment (UTC, default now rounded down to the hour); all feedback
    falls in ``[end - days, end)``. ``records`` is the number of raw feedback records across the six
    feedback sources (Zendesk tombstones come on top).
    """
    end = (end or _default_end()).astimezone(UTC).replace(microsecond=0)
    out_dir = Path(out_dir)
    rng = random.Random(seed)
    tl = Timeline(end - timedelta(days=days), end)
    pop = build_population(rng, max(24, round(330 * records / 20_000)), tl.start - timedelta(days=60), end)
    plans = plan_records(rng, pop, tl, records)
    ctx = Context(rng, pop, tl)
    builders = _build(ctx, plans)
    zendesk: Zendesk = builders["zendesk"]
    for _ in range(max(1, records // 500)):
        zendesk.tombstone(tl.sample(rng))
    signals: list[Signal] = [s for p in plans for s in _all_signals(p)]
    signals.sort(key=lambda s: (s.at, s.source, s.external_id, s.message_id, s.char_start))
    for n, sig in enumerate(signals, start=1):
        sig.id = f"sig_{n:06d}"
    for person in pop.people:
        if person.contact_id:
            ctx.identity("salesforce", "contact", person.contact_id, person, name=person.full, email=person.email,
                         phone=person.phone)  # fmt: skip
            if person.secondary_email:
                ctx.identity("salesforce", "contact_secondary", person.contact_id, person, email=person.secondary_email)
    files = {
        "zendesk": write_zendesk(out_dir, zendesk),
        "intercom": write_intercom(out_dir, builders["intercom"]),
        "googleplay": write_googleplay(out_dir, builders["googleplay"]),
        "delighted": write_delighted(out_dir, builders["delighted"]),
        "gong": write_gong(out_dir, builders["gong"]),
        "discourse": write_discourse(out_dir, builders["discourse"]),
        "salesforce": write_salesforce(out_dir, pop) + _opportunities(out_dir, seed, pop, signals, tl),
        "releases": write_releases(out_dir, tl),
    }
    record_counts = {
        "zendesk": sum(1 for t in zendesk.tickets if t["status"] != "deleted"),
        "intercom": len(builders["intercom"].conversations),
        "googleplay": len(builders["googleplay"].rows),
        "delighted": len(builders["delighted"].rows),
        "gong": len(builders["gong"].calls),
        "discourse": len(builders["discourse"].posts),
    }
    signal_counts = {s: sum(1 for sig in signals if sig.source == s) for s in SOURCES}
    counts = {"records": record_counts, "signals": signal_counts, "zendesk_tombstones": max(1, records // 500),
              "accounts": len(pop.accounts), "people": len(pop.people), "pii": len(ctx.pii)}  # fmt: skip
    truth = write_truth(
        out_dir, signals=signals, pop=pop, tl=tl, pii=ctx.pii, people_rows=ctx.people_rows, counts=counts,
        questions_fn=lambda units: build_questions(units, pop, tl.start, end, tl.release_412), seed=seed,
    )  # fmt: skip
    files["_truth"] = [out_dir / "_truth" / n for n in ("truth.json", "units.jsonl", "people.csv",
                                                          "questions.jsonl", "seed_taxonomy.json")]  # fmt: skip
    return DemoSummary(
        out_dir=out_dir, truth_dir=out_dir / "_truth", files=files, records=record_counts, signals=signal_counts,
        accounts=len(pop.accounts), people=len(pop.people), contacts=sum(1 for p in pop.people if p.contact_id),
        questions=truth["questions"], as_of=end, window_start=tl.start, release_412=tl.release_412,
    )  # fmt: skip
