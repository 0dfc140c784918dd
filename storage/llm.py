"""The language-model ledger: cached labels by content hash, one usage row per call, and usage summaries."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from groundswell.core.llm_usage import LlmCall
from groundswell.storage.db import Engine, as_utc, session_scope, utcnow
from groundswell.storage.models import LlmLabelCache, LlmUsage
from sqlalchemy import case, func
from sqlmodel import Session, col, select

__all__ = [
    "DatabaseLlmLedger",
    "UsageSummary",
    "get_cached_labels",
    "record_llm_call",
    "save_cached_labels",
    "summarise_llm_usage",
]

_IN_CHUNK = 500  # keys per IN (...) query


def get_cached_labels(*, session: Session, keys: Collection[str]) -> dict[str, dict[str, Any]]:
    """Cached labels for whichever of ``keys`` are known."""
    wanted = sorted(set(keys))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start : start + _IN_CHUNK]
        for row in session.exec(select(LlmLabelCache).where(col(LlmLabelCache.key).in_(chunk))):
            found[row.key] = dict(row.labels)
    return found


def save_cached_labels(
    *,
    session: Session,
    entries: Mapping[str, Mapping[str, Any]],
    model: str,
    prompt_version: str,
    taxonomy_version: int,
) -> int:
    """Store labels under their keys; keys already cached are left as they are. Returns rows added."""
    known = set(get_cached_labels(session=session, keys=entries))
    now = utcnow()
    rows = [
        LlmLabelCache(
            key=key,
            model=model,
            prompt_version=prompt_version,
            taxonomy_version=taxonomy_version,
            labels=dict(labels),
            created_at=now,
        )
        for key, labels in entries.items()
        if key not in known
    ]
    session.add_all(rows)
    session.flush()
    return len(rows)


def record_llm_call(*, session: Session, call: LlmCall) -> None:
    session.add(
        LlmUsage(
            at=as_utc(call.at) or utcnow(),
            purpose=call.purpose,
            model=call.model,
            prompt_tokens=call.prompt_tokens,
            completion_tokens=call.completion_tokens,
            cost_usd=call.cost_usd,
            cached=call.cached,
            items=call.items,
            seconds=call.seconds,
            error=call.error,
        )
    )
    session.flush()


@dataclass(frozen=True)
class UsageSummary:
    day: str  # YYYY-MM-DD (UTC)
    purpose: str
    model: str
    calls: int  # requests sent (cache hits excluded)
    cached_batches: int
    errors: int
    items: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _day(value: date | datetime | str) -> str:
    return value.isoformat()[:10] if isinstance(value, date | datetime) else str(value)[:10]


def summarise_llm_usage(*, session: Session, since: datetime | None = None) -> list[UsageSummary]:
    """Usage per UTC day, purpose and model (oldest day first)."""
    day = func.date(LlmUsage.at)
    cached = col(LlmUsage.cached)
    statement = select(
        day,
        LlmUsage.purpose,
        LlmUsage.model,
        func.count(),
        func.sum(case((cached, 1), else_=0)),
        func.sum(case((col(LlmUsage.error).is_not(None), 1), else_=0)),
        func.sum(LlmUsage.items),
        func.sum(LlmUsage.prompt_tokens),
        func.sum(LlmUsage.completion_tokens),
        func.sum(LlmUsage.cost_usd),
    )
    if since is not None:
        statement = statement.where(col(LlmUsage.at) >= since)
    statement = statement.group_by(day, LlmUsage.purpose, LlmUsage.model).order_by(day, LlmUsage.purpose)
    return [
        UsageSummary(
            day=_day(d),
            purpose=purpose,
            model=model,
            calls=int(total) - int(hits),
            cached_batches=int(hits),
            errors=int(errors),
            items=int(items or 0),
            prompt_tokens=int(prompt or 0),
            completion_tokens=int(completion or 0),
            cost_usd=round(float(cost or 0.0), 6),
        )
        for d, purpose, model, total, hits, errors, items, prompt, completion, cost in session.exec(statement)  # type: ignore[call-overload]
    ]


class DatabaseLlmLedger:
    """The database as the LLM classifier's label cache and as a usage log (each operation its own session)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get_labels(self, keys: Collection[str]) -> dict[str, dict[str, Any]]:
        with session_scope(self.engine) as session:
            return get_cached_labels(session=session, keys=keys)

    def put_labels(
        self, entries: Mapping[str, Mapping[str, Any]], *, model: str, prompt_version: str, taxonomy_version: int
    ) -> None:
        with session_scope(self.engine) as session:
            save_cached_labels(
                session=session,
                entries=entries,
                model=model,
                prompt_version=prompt_version,
                taxonomy_version=taxonomy_version,
            )

    def record(self, call: LlmCall) -> None:
        with session_scope(self.engine) as session:
            record_llm_call(session=session, call=call)
