"""Synthetic corpus growth for benchmarks: bulk copies of an ingested corpus with its distributions.

``grow_corpus`` multiplies the countable units of a (small, really ingested) corpus until the database holds
``target`` units: each copy clones every account (name suffixed ``#n``, ARR jittered ±20 %, the same snapshot
history), every unit (same text, source, channel and labels; time jittered by up to half a day) and its
classification in the latest taxonomy version. Themes, sentiment, intent, segment and time distributions are
therefore the template's, accounts scale with units, and every row goes in with multi-row bulk inserts (no
per-unit round trips). Copies keep the original's raw record (so citations resolve) and carry no person and no
vector: quote ordering falls back to recency for them. Benchmarks only: nothing else calls this.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from time import perf_counter
from typing import Any

import sqlalchemy as sa
from groundswell.storage.models import Account, AccountSnapshot, Classification, FeedbackUnit, TaxonomyVersion
from sqlalchemy.engine import Engine
from sqlmodel import col

__all__ = ["GrowReport", "grow_corpus"]

UNIT = FeedbackUnit.__table__  # type: ignore[attr-defined]
CLASSIFICATION = Classification.__table__  # type: ignore[attr-defined]
ACCOUNT = Account.__table__  # type: ignore[attr-defined]
SNAPSHOT = AccountSnapshot.__table__  # type: ignore[attr-defined]
UNIT_COPY = ("raw_record_id", "source", "external_id", "message_id", "ordinal", "text", "text_hash",
             "speaker_role", "channel", "thread_ref", "context", "char_start", "char_end", "created_at",
             "locale", "url", "rating", "score", "account_id", "embedded_at")  # fmt: skip
LABEL_COPY = ("theme_key", "subtheme_key", "sentiment", "sentiment_score", "intent", "severity", "confidence",
              "classifier", "classifier_version", "needs_review", "mixed", "created_at")  # fmt: skip
SNAPSHOT_COPY = ("valid_from", "plan", "segment", "region", "renewal_date", "health", "lifecycle", "churn_risk")


@dataclass(frozen=True)
class GrowReport:
    template_units: int
    units_before: int
    units_after: int
    accounts_added: int
    seconds: float

    def as_dict(self) -> dict[str, int | float]:
        return {
            "template_units": self.template_units,
            "units_before": self.units_before,
            "units_after": self.units_after,
            "accounts_added": self.accounts_added,
            "seconds": round(self.seconds, 2),
            "units_per_s": round((self.units_after - self.units_before) / max(self.seconds, 1e-9), 1),
        }


def _template(connection: sa.Connection, version: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(unit, classification) of every countable (a customer's, not a duplicate, not deleted), classified
    original unit (copies are never templates)."""
    u, c = UNIT.c, CLASSIFICATION.c
    statement = (
        sa.select(u.id, *[u[n] for n in UNIT_COPY], *[c[n].label(f"c_{n}") for n in LABEL_COPY])
        .join(CLASSIFICATION, sa.and_(c.unit_id == u.id, c.taxonomy_version == version))
        .where(u.deleted_at.is_(None), u.duplicate_of.is_(None), u.speaker_role == "customer")
        .where(sa.not_(u.id.contains("~")))
        .order_by(u.id)
    )
    rows = []
    for row in connection.execute(statement).mappings():
        rows.append(({n: row[n] for n in ("id", *UNIT_COPY)}, {n: row[f"c_{n}"] for n in LABEL_COPY}))
    return rows


def _clone_accounts(connection: sa.Connection, copy: int, rng: random.Random) -> dict[int, int]:
    """Every original account cloned once for copy ``copy`` with its snapshot history: old id -> new id."""
    originals = connection.execute(
        sa.select(ACCOUNT.c.id, ACCOUNT.c.external_id, ACCOUNT.c.name, ACCOUNT.c.created_at)
        .where(sa.not_(sa.func.coalesce(ACCOUNT.c.external_id, "").contains("~")))
        .order_by(ACCOUNT.c.id)
    ).all()
    mapping: dict[int, int] = {}
    for old, external, name, created in originals:
        ext = f"{external or old}~{copy}"
        mapping[old] = connection.execute(
            sa.insert(ACCOUNT)
            .values(external_id=ext, name=f"{name} #{copy}", created_at=created)
            .returning(ACCOUNT.c.id)
        ).scalar_one()
    snapshots = connection.execute(
        sa.select(SNAPSHOT.c.account_id, SNAPSHOT.c.arr, *[SNAPSHOT.c[n] for n in SNAPSHOT_COPY]).where(
            col(SNAPSHOT.c.account_id).in_(list(mapping))
        )
    ).mappings()
    factor: dict[int, float] = {}
    rows = []
    for s in snapshots:
        f = factor.setdefault(s["account_id"], rng.uniform(0.8, 1.2))  # one factor per account: trends survive
        arr = round(s["arr"] * f, 2) if s["arr"] is not None else None
        rows.append({"account_id": mapping[s["account_id"]], "arr": arr, **{n: s[n] for n in SNAPSHOT_COPY}})
    if rows:
        connection.execute(sa.insert(SNAPSHOT), rows)
    return mapping


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert_copy(
    connection: sa.Connection,
    template: Sequence[tuple[dict[str, Any], dict[str, Any]]],
    *,
    copy: int,
    version: int,
    accounts: dict[int, int],
    rng: random.Random,
    batch: int,
) -> int:
    for chunk in _batches(template, batch):
        units, labels = [], []
        for unit, label in chunk:
            new_id = f"{unit['id']}~{copy}"
            jitter = timedelta(seconds=rng.randint(-43_200, 43_200))
            units.append(
                {
                    **{n: unit[n] for n in UNIT_COPY},
                    "id": new_id,
                    "external_id": f"{unit['external_id']}~{copy}",
                    "thread_ref": f"{unit['thread_ref']}~{copy}",
                    "created_at": unit["created_at"] + jitter,
                    "account_id": accounts.get(unit["account_id"]) if unit["account_id"] is not None else None,
                }
            )
            labels.append({**label, "unit_id": new_id, "taxonomy_version": version})
        connection.execute(sa.insert(UNIT), units)
        connection.execute(sa.insert(CLASSIFICATION), labels)
    return len(template)


def _count_units(connection: sa.Connection) -> int:
    return int(connection.execute(sa.select(sa.func.count()).select_from(UNIT)).scalar_one())


def grow_corpus(engine: Engine, *, target: int, seed: int = 0, batch: int = 5_000) -> GrowReport:
    """Copy the ingested corpus until about ``target`` units are stored (the last copy is cut short). Raises
    ``ValueError`` without a classified corpus to copy."""
    started = perf_counter()
    rng = random.Random(seed)
    with engine.begin() as connection:
        before = _count_units(connection)
        version = connection.execute(sa.select(sa.func.max(col(TaxonomyVersion.version)))).scalar_one()
        template = _template(connection, version) if version is not None else []
        if not template:
            raise ValueError("grow_corpus needs an ingested, classified corpus to copy (run the demo first)")
        existing = int(
            connection.execute(sa.select(sa.func.count()).select_from(UNIT).where(UNIT.c.id.contains("~"))).scalar_one()
        )
    first = math.ceil(existing / len(template)) + 1
    added_accounts = 0
    copy = first
    remaining = target - before
    while remaining > 0:
        part = template[: min(len(template), remaining)]
        with engine.begin() as connection:  # one transaction per copy: a stopped run leaves whole copies
            accounts = _clone_accounts(connection, copy, rng)
            remaining -= _insert_copy(
                connection, part, copy=copy, version=int(version or 0), accounts=accounts, rng=rng, batch=batch
            )
        added_accounts += len(accounts)
        copy += 1
    with engine.begin() as connection:
        connection.execute(sa.text("ANALYZE"))  # fresh planner statistics after the bulk load
        after = _count_units(connection)
    return GrowReport(len(template), before, after, added_accounts, perf_counter() - started)
