"""The naive baseline ``eval answers`` compares against: retrieve the k most similar units, count what came back.

No planner, no filters, no permissions: the question's embedding pulls ``k`` units from the vector index and
every answer is read off those units (a count is how many came back, a ranking groups them, a set lists their
accounts). This is what "chat with your feedback" over top-k retrieval gives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from groundswell.core.protocols import Embedder, VectorIndex
from groundswell.core.query import Viewer, Vocabulary
from groundswell.graph.tools import is_visible
from groundswell.storage.citations import CitedUnit, get_cited_units
from groundswell.storage.classifications import theme_keys
from groundswell.storage.db import Engine, session_scope

__all__ = ["BaselineAnswer", "baseline_answer", "in_spec"]


@dataclass(frozen=True)
class BaselineAnswer:
    value: Any
    units: list[CitedUnit]


def _labels(vocabulary: Vocabulary) -> dict[str, str]:
    return {t.key: f"{t.parent_name} > {t.name}" if t.parent_name else t.name for t in vocabulary.themes}


def baseline_answer(
    question: str,
    spec: Mapping[str, Any],
    *,
    engine: Engine,
    embedder: Embedder,
    vectors: VectorIndex,
    vocabulary: Vocabulary,
    k: int = 50,
) -> BaselineAnswer:
    """Answer ``question`` in the shape of ``spec["value"]`` from the top-k similar units only."""
    hits = vectors.query(embedder.embed([question])[0], k=k)
    ids = [hit.unit_id for hit in hits]
    with session_scope(engine) as session:
        units = get_cited_units(session=session, ids=ids)
        version = vocabulary.taxonomy_version
        themes = theme_keys(session=session, version=version, ids=ids) if version is not None else {}
    kind = spec["kind"]
    if kind == "count":
        return BaselineAnswer(len(units), units)
    if kind == "comparison":
        return BaselineAnswer({"current": len(units), "previous": 0, "delta": len(units)}, units)
    if kind == "set":
        return BaselineAnswer(sorted({u.account_id for u in units if u.account_id}), units)
    if kind == "ranking":
        labels = _labels(vocabulary)
        group_by = spec.get("group_by", "theme")
        keys = [
            u.source
            if group_by == "source"
            else u.segment
            if group_by == "segment"
            else labels.get(themes.get(u.id) or "")
            for u in units
        ]
        top = sorted(Counter(key for key in keys if key).items(), key=lambda kv: (-kv[1], kv[0]))[: spec.get("k", 5)]
        return BaselineAnswer([{"key": key, "value": n} for key, n in top], units)
    return BaselineAnswer(None, units)  # an ARR sum cannot be read off retrieved units


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def in_spec(unit: CitedUnit, spec: Mapping[str, Any], viewer: Viewer) -> bool:
    """Would the exact answer count this unit (window, source, segment) and may the viewer see it?"""
    filters = spec.get("filters", {})
    window = filters.get("window")
    if window and not (_moment(window["start"]) <= unit.created_at < _moment(window["end"])):
        return False
    if filters.get("source") and unit.source != filters["source"]:
        return False
    if filters.get("segment") and unit.segment != filters["segment"]:
        return False
    return is_visible(viewer, unit.source, unit.account_id, unit.segment)
