"""What the planner may match question words against, and how fresh each source is."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from groundswell.core.query import ThemeTerm, Viewer, Vocabulary
from groundswell.core.segments import segment_key
from groundswell.storage.db import as_utc
from groundswell.storage.models import Account, AccountSnapshot, FeedbackUnit, Source, SyncState, Theme
from groundswell.storage.taxonomy import latest_version
from sqlmodel import Session, col, select

__all__ = ["source_freshness", "vocabulary"]


def vocabulary(
    *,
    session: Session,
    taxonomy_version: int | None = None,
    as_of: datetime | None = None,
    viewer: Viewer | None = None,
) -> Vocabulary:
    """Themes (with parents, aliases, owners) of one taxonomy version, segments and plans seen in snapshots,
    sources, and accounts (CRM id -> name); narrowed to what ``viewer`` may see. ``releases`` stays empty."""
    version = taxonomy_version if taxonomy_version is not None else latest_version(session=session)
    rows = list(session.exec(select(Theme).where(Theme.version == version).order_by(col(Theme.id)))) if version else []
    by_key = {r.key: r for r in rows}
    themes = []
    for r in rows:
        if r.status == "retired":
            continue
        parent = by_key.get(r.parent_key) if r.parent_key else None
        themes.append(
            ThemeTerm(
                key=r.key,
                name=r.name,
                parent_key=r.parent_key,
                parent_name=parent.name if parent else None,
                aliases=list(r.aliases or []),
                owner_team=r.owner_team or (parent.owner_team if parent else None),
            )
        )
    segments = _distinct(session, col(AccountSnapshot.segment))
    plans = _distinct(session, col(AccountSnapshot.plan))
    sources = sorted(set(_distinct(session, col(Source.name))) | set(_distinct(session, col(FeedbackUnit.source))))
    accounts_q = select(Account.external_id, Account.name).where(col(Account.external_id).is_not(None))
    accounts = {str(ext): name for ext, name in session.exec(accounts_q)}
    hidden: list[str] = []
    if viewer is not None:
        if viewer.segments is not None:
            allowed = {segment_key(s) for s in viewer.segments}
            hidden += [s for s in segments if segment_key(s) not in allowed]
            segments = [s for s in segments if segment_key(s) in allowed]
        if viewer.sources is not None:
            hidden += [s for s in sources if s not in viewer.sources]
            sources = [s for s in sources if s in viewer.sources]
        if viewer.accounts is not None:
            accounts = {k: v for k, v in accounts.items() if k in viewer.accounts}
        if viewer.segments is not None:  # an account of another segment is not confirmed by a fuzzy match either
            visible = _accounts_in_segments(session, viewer)
            accounts = {k: v for k, v in accounts.items() if k in visible}
    return Vocabulary(
        taxonomy_version=version,
        themes=themes,
        segments=segments,
        plans=plans,
        sources=sources,
        accounts=dict(sorted(accounts.items())),
        as_of=as_of,
        out_of_scope=hidden,
    )


def _accounts_in_segments(session: Session, viewer: Viewer) -> set[str]:
    """External ids of accounts whose latest snapshot's segment ``viewer`` may see."""
    latest: dict[str, tuple[Any, str | None]] = {}
    statement = select(Account.external_id, AccountSnapshot.valid_from, AccountSnapshot.segment).join(
        AccountSnapshot, col(AccountSnapshot.account_id) == col(Account.id)
    )
    for external, valid_from, segment in session.exec(statement):
        if external is not None and (external not in latest or as_utc(valid_from) >= latest[external][0]):
            latest[external] = (as_utc(valid_from), segment)
    return {ext for ext, (_, segment) in latest.items() if segment is not None and viewer.may_see_segment(segment)}


def _distinct(session: Session, column: Any) -> list[str]:
    statement = sa.select(column).where(column.is_not(None)).distinct().order_by(column)
    return [str(v) for (v,) in session.exec(statement)]


def source_freshness(*, session: Session, now: datetime, viewer: Viewer | None = None) -> dict[str, dict[str, Any]]:
    """Per source: last successful sync, newest live unit, expected cadence, and whether it is stale.

    Stale: the last successful sync (or, without sync state, the newest unit) is older than the cadence.
    """
    now = as_utc(now)  # type: ignore[assignment]
    states = {s.source: s for s in session.exec(select(SyncState))}
    newest_q = (
        sa.select(col(FeedbackUnit.source), sa.func.max(col(FeedbackUnit.created_at)))
        .where(col(FeedbackUnit.deleted_at).is_(None))
        .group_by(col(FeedbackUnit.source))
    )
    newest = {src: as_utc(at) for src, at in session.exec(newest_q)}
    out: dict[str, dict[str, Any]] = {}
    for source in session.exec(select(Source).order_by(col(Source.name))):
        if viewer is not None and viewer.sources is not None and source.name not in viewer.sources:
            continue
        state = states.get(source.name)
        success = as_utc(state.last_success_at) if state else None
        reference = success or newest.get(source.name)
        stale = reference is None or (now - reference).total_seconds() > source.expected_cadence_s
        out[source.name] = {
            "last_success_at": success,
            "newest_unit_at": newest.get(source.name),
            "expected_cadence_s": source.expected_cadence_s,
            "stale": stale,
        }
    return out
