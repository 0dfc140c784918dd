"""The one base query every analytics tool starts from: the units a viewer may see that match a plan.

Each row is one countable unit (not a duplicate, not deleted, a customer's words) with the facts the
tools group and filter by: its classification in ONE taxonomy version, and its account's segment, plan
and ARR from the snapshot valid at the unit's ``created_at`` (the earliest snapshot when the unit predates
them all, like ``storage.identity.facts_at``). Permissions are applied here, so nothing built on top can
count, cite or list a unit outside the viewer's sources, segments (at the time) or accounts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from groundswell.core.errors import QueryError
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from groundswell.core.segments import segment_key
from groundswell.storage.analytics.materialize import ScopeCache
from groundswell.storage.analytics.pipeline import lost_accounts
from groundswell.storage.db import as_utc
from groundswell.storage.models import Account, AccountSnapshot, Classification, FeedbackUnit, TaxonomyVersion, Theme
from groundswell.storage.taxonomy import latest_version
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select
from sqlmodel.sql.sqltypes import UTCDateTime

__all__ = [
    "Scope",
    "ThemeInfo",
    "current_snapshots",
    "open_scope",
    "scoped_units",
    "snapshot_at",
    "visible_unit_ids",
    "window_json",
]

SNAPSHOT = AccountSnapshot.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ThemeInfo:
    key: str
    name: str
    parent_key: str | None
    parent_name: str | None
    owner_team: str | None

    @property
    def label(self) -> str:
        return f"{self.parent_name} > {self.name}" if self.parent_name else self.name


@dataclass(frozen=True)
class Scope:
    """What a plan runs against: the taxonomy version used and its themes."""

    plan: QueryPlan
    viewer: Viewer
    version: int | None
    themes: dict[str, ThemeInfo] = field(default_factory=dict)
    cache: ScopeCache | None = None  # set by run_plan: each distinct scope is computed once per plan

    @property
    def restricted(self) -> bool:
        v = self.viewer
        return v.sources is not None or v.segments is not None or v.accounts is not None

    def meta(self, window: Window | None = None, **more: object) -> dict[str, object]:
        window = window if window is not None else self.plan.filters.window
        return {
            "taxonomy_version": self.version,
            "window": window_json(window),
            "as_of": self.plan.as_of.isoformat(),
            "viewer": self.viewer.name,
            "restricted": self.restricted,
            **more,
        }


def window_json(window: Window | None) -> dict[str, str] | None:
    if window is None:
        return None
    return {"start": window.start.isoformat(), "end": window.end.isoformat(), "label": window.label}


def open_scope(*, session: Session, plan: QueryPlan, viewer: Viewer, cache: ScopeCache | None = None) -> Scope:
    """Resolve the taxonomy version (the plan's, else the latest) and load its themes."""
    version = plan.taxonomy_version
    if version is None:
        version = latest_version(session=session)
    elif session.exec(select(TaxonomyVersion.id).where(TaxonomyVersion.version == version)).first() is None:
        raise QueryError(f"taxonomy version {version} does not exist")
    themes = load_themes(session=session, version=version)
    return Scope(plan=plan, viewer=viewer, version=version, themes=themes, cache=cache)


def load_themes(*, session: Session, version: int | None) -> dict[str, ThemeInfo]:
    if version is None:
        return {}
    rows = list(session.exec(select(Theme).where(Theme.version == version).order_by(col(Theme.id))))
    names = {r.key: r for r in rows}
    out = {}
    for r in rows:
        parent = names.get(r.parent_key) if r.parent_key else None
        owner = r.owner_team or (parent.owner_team if parent else None)
        out[r.key] = ThemeInfo(r.key, r.name, r.parent_key, parent.name if parent else None, owner)
    return out


def _expand(themes: dict[str, ThemeInfo], keys: Sequence[str], version: int | None) -> set[str]:
    """Each key and all its descendants (a parent key matches every theme below it)."""
    unknown = sorted(k for k in keys if k not in themes)
    if unknown:
        raise QueryError(f"unknown theme key(s) {', '.join(unknown)} in taxonomy version {version}")
    children: dict[str, list[str]] = {}
    for t in themes.values():
        if t.parent_key:
            children.setdefault(t.parent_key, []).append(t.key)
    found: set[str] = set()
    stack = list(keys)
    while stack:
        key = stack.pop()
        if key not in found:
            found.add(key)
            stack.extend(children.get(key, []))
    return found


def snapshot_at(account_id: ColumnElement[int | None], moment: ColumnElement[datetime]) -> ColumnElement[int]:
    """Id of the account's snapshot valid at ``moment``: the latest not after it, else the earliest.

    Two index probes on (account_id, valid_from) per row: a plan that does not depend on table statistics.
    """
    at, first = sa.alias(SNAPSHOT, "snap_at"), sa.alias(SNAPSHOT, "snap_first")
    latest = (
        sa.select(at.c.id)
        .where(at.c.account_id == account_id, at.c.valid_from <= moment)
        .order_by(at.c.valid_from.desc())
        .limit(1)
        .scalar_subquery()
    )
    earliest = (
        sa.select(first.c.id)
        .where(first.c.account_id == account_id)
        .order_by(first.c.valid_from)
        .limit(1)
        .scalar_subquery()
    )
    return sa.func.coalesce(latest, earliest)


def current_snapshots(as_of: datetime) -> sa.Subquery:
    """Each account's facts as they stand at ``as_of`` (``account_id``, ``arr``, ``plan``, ``segment`` …)."""
    snap = sa.alias(SNAPSHOT, "now_snap")
    moment = sa.literal(as_utc(as_of), UTCDateTime())
    return (
        sa.select(col(Account.id).label("account_id"), snap.c.arr, snap.c.plan, snap.c.segment, snap.c.renewal_date)
        .select_from(Account)
        .join(snap, snap.c.id == snapshot_at(col(Account.id), moment))
        .subquery("now")
    )


def _renewing(as_of: datetime, days: int) -> sa.Select:
    now = current_snapshots(as_of)
    start = as_utc(as_of).date()
    return sa.select(now.c.account_id).where(now.c.renewal_date.between(start, start + timedelta(days=days)))


def _in_any(created: ColumnElement[datetime], windows: Sequence[Window]) -> ColumnElement[bool]:
    return sa.or_(*(sa.and_(created >= as_utc(w.start), created < as_utc(w.end)) for w in windows))


def scoped_units(
    scope: Scope,
    *,
    windows: Sequence[Window] | None = None,
    filters: Filters | None = None,
    among: Sequence[str] | None = None,
) -> sa.Subquery:
    """The countable units of ``filters`` (default: the plan's) the viewer may see, one row each.

    ``windows`` replaces the filters' window (units in any of them: comparisons read two at once);
    ``among`` keeps only those unit ids (quotes found by semantic search are re-checked here).
    """
    filters = filters if filters is not None else scope.plan.filters
    u, c, a = FeedbackUnit, Classification, Account
    snap = sa.alias(SNAPSHOT, "snap")
    created = col(u.created_at)
    customer = sa.case(
        (col(u.account_id).is_not(None), sa.literal("a:") + sa.cast(col(u.account_id), sa.String)),
        (col(u.person_id).is_not(None), sa.literal("p:") + sa.cast(col(u.person_id), sa.String)),
        else_=sa.literal("u:") + col(u.id),
    )
    statement = (
        sa.select(
            col(u.id).label("unit_id"),
            created.label("created_at"),
            col(u.source).label("source"),
            col(u.account_id).label("account_id"),
            col(a.external_id).label("account_key"),
            col(a.name).label("account_name"),
            snap.c.segment.label("segment"),
            snap.c.plan.label("plan"),
            snap.c.arr.label("arr"),
            col(c.theme_key).label("parent_key"),
            sa.func.coalesce(col(c.subtheme_key), col(c.theme_key)).label("leaf_key"),
            col(c.sentiment).label("sentiment"),
            col(c.intent).label("intent"),
            col(c.severity).label("severity"),
            _owner_team(scope, sa.func.coalesce(col(c.subtheme_key), col(c.theme_key))).label("owner_team"),
            customer.label("customer"),
        )
        .select_from(u)
        .outerjoin(c, sa.and_(col(c.unit_id) == col(u.id), col(c.taxonomy_version) == scope.version))
        .outerjoin(snap, snap.c.id == snapshot_at(col(u.account_id), created))
        .outerjoin(a, col(a.id) == col(u.account_id))
        .where(
            col(u.duplicate_of).is_(None),
            col(u.deleted_at).is_(None),
            col(u.speaker_role) == "customer",
        )
    )
    windows = windows if windows is not None else ([filters.window] if filters.window else [])
    if windows:
        statement = statement.where(_in_any(created, windows))
    if filters.themes:
        leaves = _expand(scope.themes, filters.themes, scope.version)
        statement = statement.where(sa.func.coalesce(col(c.subtheme_key), col(c.theme_key)).in_(sorted(leaves)))
    if filters.segments:
        statement = statement.where(_segment_in(snap, filters.segments))
    either = filters.intents_or_lost_pipeline and filters.lost_pipeline_days is not None and bool(filters.intents)
    at_risk = filters.at_risk_signals
    if at_risk:  # negative OR churn risk, instead of the sentiments/intents conjunction
        statement = statement.where(sa.or_(col(c.sentiment) == "negative", col(c.intent) == "churn_risk"))
    for column, values in (
        (snap.c.plan, filters.plans),
        (col(a.external_id), filters.accounts),
        (col(u.source), filters.sources),
        (col(c.sentiment), [] if at_risk else filters.sentiments),
        (col(c.intent), [] if either or at_risk else filters.intents),
        (col(c.severity), filters.severities),
    ):
        if values:
            statement = statement.where(column.in_(sorted(values)))
    if filters.mixed is not None:
        statement = statement.where(col(c.mixed).is_(filters.mixed))
    if filters.arr_min is not None:
        statement = statement.where(snap.c.arr >= filters.arr_min)
    if filters.arr_max is not None:
        statement = statement.where(snap.c.arr <= filters.arr_max)
    if filters.renewing_within_days is not None:
        statement = statement.where(col(u.account_id).in_(_renewing(scope.plan.as_of, filters.renewing_within_days)))
    if filters.lost_pipeline_days is not None:
        lost = col(u.account_id).in_(lost_accounts(scope.plan.model_copy(update={"filters": filters}),
                                                   filters.lost_pipeline_days))  # fmt: skip
        statement = statement.where(sa.or_(col(c.intent).in_(sorted(filters.intents)), lost) if either else lost)
    if among is not None:
        statement = statement.where(col(u.id).in_(list(among)))
    statement = _permitted(_excluded(statement, scope, filters, snap), scope.viewer, snap)
    if scope.cache is not None and among is None:
        return scope.cache.subquery(statement, "scope")
    return statement.subquery("scope")


def _excluded(statement: sa.Select, scope: Scope, filters: Filters, snap: sa.Alias) -> sa.Select:
    """Drop units whose value is one the question ruled out; a unit without that value (no account, not yet
    classified) is kept: it is not one of them."""
    c, ex = Classification, filters.exclude
    leaf = sa.func.coalesce(col(c.subtheme_key), col(c.theme_key))
    outs: list[tuple[ColumnElement[str | None], ColumnElement[bool]]] = []
    if ex.themes:
        outs.append((leaf, leaf.in_(sorted(_expand(scope.themes, ex.themes, scope.version)))))
    if ex.segments:
        outs.append((snap.c.segment, _segment_in(snap, ex.segments)))
    for column, values in (
        (snap.c.plan, ex.plans),
        (col(FeedbackUnit.source), ex.sources),
        (col(c.intent), ex.intents),
        (col(c.sentiment), ex.sentiments),
    ):
        if values:
            outs.append((column, column.in_(sorted(values))))
    for column, ruled_out in outs:
        statement = statement.where(sa.or_(column.is_(None), sa.not_(ruled_out)))
    return statement


def _owner_team(scope: Scope, leaf: ColumnElement[str | None]) -> ColumnElement[str | None]:
    """The owner team of the unit's theme (a leaf inherits its parent's), from the scope's taxonomy version."""
    owners = {key: t.owner_team for key, t in scope.themes.items() if t.owner_team}
    if not owners:
        return sa.cast(sa.null(), sa.String)
    return sa.case(*((leaf == key, team) for key, team in sorted(owners.items())), else_=sa.null())


def _segment_in(snap: sa.Alias, names: Iterable[str]) -> ColumnElement[bool]:
    """The snapshot's segment is one of ``names``, compared as canonical keys ("Mid-Market" is "mid-market")."""
    keys = sorted({key for name in names if (key := segment_key(name))})
    return sa.func.lower(snap.c.segment).in_(keys)


def visible_unit_ids(*, session: Session, scope: Scope, unit_ids: Iterable[str]) -> set[str] | None:
    """Which of ``unit_ids`` the viewer may see, whatever the plan's filters (None: an unrestricted viewer)."""
    if not scope.restricted:
        return None
    wanted = sorted(set(unit_ids))
    if not wanted:
        return set()
    units = scoped_units(scope, filters=Filters(), among=wanted)
    return {str(i) for (i,) in session.exec(sa.select(units.c.unit_id))}  # type: ignore[call-overload]


def _permitted(statement: sa.Select, viewer: Viewer, snap: sa.Alias) -> sa.Select:
    """The viewer's scopes; an empty scope sees nothing, a unit without account fails account/segment scopes."""
    if viewer.sources is not None:
        statement = statement.where(col(FeedbackUnit.source).in_(sorted(viewer.sources)))
    if viewer.segments is not None:
        statement = statement.where(_segment_in(snap, viewer.segments))
    if viewer.accounts is not None:
        statement = statement.where(col(Account.external_id).in_(sorted(viewer.accounts)))
    return statement
