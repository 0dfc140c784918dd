"""How good the theme labels are: per-theme precision measured by ``eval gold`` on reviewed units, read back for
answers whose numbers rest on theme labels.

``eval gold`` refits the classifier without the gold units and records, per leaf theme, how many reviewed units
it put there (``predicted``) and how many of those a reviewer put there too (``correct``). A parent theme's
figures add up its leaves'. Answers state these figures (they are attached to the tool result's ``meta``, so
the verifier accepts them); a theme with no reviewed units predicted in it is "not yet measured".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from groundswell.core.answer import ToolResult
from groundswell.core.query import QueryPlan
from groundswell.storage.analytics.scope import load_themes
from groundswell.storage.models import LabelQuality
from groundswell.storage.taxonomy import latest_version
from sqlmodel import Session, col, delete, select

__all__ = ["MAX_THEMES", "attach_label_quality", "label_quality", "save_label_quality", "themes_behind"]

MAX_THEMES = 5
THEME_GROUPS = frozenset({"theme", "parent_theme"})


def save_label_quality(
    *, session: Session, version: int, gold_set: str, counts: Mapping[str, tuple[int, int]], measured_at: datetime
) -> None:
    """Replace ``version``/``gold_set``'s figures with ``counts`` (leaf key -> (predicted, correct))."""
    session.exec(  # type: ignore[call-overload]
        delete(LabelQuality).where(
            col(LabelQuality.taxonomy_version) == version, col(LabelQuality.gold_set) == gold_set
        )
    )
    for key, (predicted, correct) in sorted(counts.items()):
        session.add(LabelQuality(taxonomy_version=version, gold_set=gold_set, theme_key=key, predicted=predicted,
                                 correct=correct, measured_at=measured_at))  # fmt: skip
    session.flush()


def label_quality(
    *, session: Session, version: int, keys: Sequence[str], gold_set: str = "default"
) -> list[dict[str, Any]]:
    """Per theme key (leaf or parent): its name, ``reviewed`` units predicted in it, ``precision`` (None: not yet
    measured) and when it was measured."""
    themes = load_themes(session=session, version=version)
    rows = {
        r.theme_key: r
        for r in session.exec(
            select(LabelQuality).where(LabelQuality.taxonomy_version == version, LabelQuality.gold_set == gold_set)
        )
    }
    out: list[dict[str, Any]] = []
    for key in keys:
        leaves = [k for k, t in themes.items() if t.parent_key == key] or [key]
        found = [rows[k] for k in leaves if k in rows]
        predicted = sum(r.predicted for r in found)
        correct = sum(r.correct for r in found)
        theme = themes.get(key)
        out.append(
            {
                "key": key,
                "name": theme.label if theme is not None else key,
                "reviewed": predicted,
                "precision": round(correct / predicted, 4) if predicted else None,
                "measured_at": max(r.measured_at for r in found).isoformat() if found else None,
            }
        )
    return out


def themes_behind(plan: QueryPlan, results: Sequence[ToolResult]) -> list[str]:
    """The themes an answer's numbers rest on: the theme filter, else the theme rows shown (top ``k``)."""
    keys = list(plan.filters.themes)
    if not keys and plan.group_by in THEME_GROUPS and plan.kind in ("ranking", "comparison", "trend"):
        keys = [row.key for result in results for row in result.rows[: plan.k]]
    return list(dict.fromkeys(keys))[:MAX_THEMES]


def attach_label_quality(*, session: Session, plan: QueryPlan, results: Sequence[ToolResult]) -> None:
    """Put the label quality of the themes behind ``results`` into the first result's ``meta``."""
    keys = themes_behind(plan, results)
    if not keys or not results:
        return
    version = next((r.meta["taxonomy_version"] for r in results if isinstance(r.meta.get("taxonomy_version"), int)),
                   None) or plan.taxonomy_version or latest_version(session=session)  # fmt: skip
    if version is None:
        return
    results[0].meta["label_quality"] = label_quality(session=session, version=version, keys=keys)
