"""Scoring duplicate links against planted truth (pure).

Truth comes as signals (a customer statement at ``[char_start, char_end)`` of one message) and pairs "signal X
repeats signal Y". Units are whatever the splitter made of each message, so a signal is mapped to the unit of the
same message whose span overlaps it most (never by assuming one unit per message or a fixed ordinal). Both sides
become clusters (an original and everything linked to it) and are scored pairwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from groundswell.core.matching_eval import Pair, cluster_pairs, score_pairs

__all__ = ["Located", "clusters_from_links", "map_signals_to_units", "score_duplicates"]


@dataclass(frozen=True)
class Located:
    """A truth signal or a stored unit: ``id`` at ``[char_start, char_end)`` of one message of one record."""

    id: str
    source: str
    external_id: str
    message_id: str
    char_start: int
    char_end: int

    @property
    def message(self) -> tuple[str, str, str]:
        return self.source, self.external_id, self.message_id


def _overlap(a: Located, b: Located) -> int:
    return min(a.char_end, b.char_end) - max(a.char_start, b.char_start)


def map_signals_to_units(signals: Iterable[Located], units: Iterable[Located]) -> dict[str, str]:
    """signal id -> id of the unit in the same message overlapping it most (ties: the earlier unit).

    A zero-length signal maps to the unit containing its position. Signals whose message has no overlapping
    unit (dropped, or not customer words) are left out.
    """
    by_message: dict[tuple[str, str, str], list[Located]] = defaultdict(list)
    for unit in units:
        by_message[unit.message].append(unit)
    mapped: dict[str, str] = {}
    for signal in signals:
        best: tuple[int, int, str] | None = None
        for unit in by_message.get(signal.message, ()):
            overlap = _overlap(signal, unit)
            point = signal.char_start == signal.char_end and unit.char_start <= signal.char_start < unit.char_end
            if (overlap > 0 or point) and (best is None or (overlap, -unit.char_start) > best[:2]):
                best = (overlap, -unit.char_start, unit.id)
        if best is not None:
            mapped[signal.id] = best[2]
    return mapped


def clusters_from_links(links: Mapping[str, str | None]) -> list[set[str]]:
    """``{duplicate: original}`` (chains followed to their root) as clusters of two or more ids."""
    groups: dict[str, set[str]] = defaultdict(set)
    for item, target in links.items():
        if target is None:
            continue
        root, seen = target, {item}
        while (nxt := links.get(root)) is not None and root not in seen:
            seen.add(root)
            root = nxt
        groups[root] |= {root, item}
    return [group for group in groups.values() if len(group) > 1]


def score_duplicates(
    truth_links: Mapping[str, str], signal_units: Mapping[str, str], predicted_links: Mapping[str, str | None]
) -> dict[str, Any]:
    """Pairwise precision/recall/F1 of predicted unit links against the truth's signal links.

    ``truth_links``: signal -> signal it repeats; ``signal_units``: signal -> unit (from ``map_signals_to_units``);
    ``predicted_links``: unit -> unit it repeats. ``precision_on_signals`` counts only predicted pairs whose two
    units both carry a truth signal (units the truth says nothing about cannot be judged).
    """
    unit_links = {
        signal_units[dup]: signal_units[orig]
        for dup, orig in truth_links.items()
        if dup in signal_units and orig in signal_units and signal_units[dup] != signal_units[orig]
    }
    truth = cluster_pairs(clusters_from_links(unit_links))
    predicted = cluster_pairs(clusters_from_links(predicted_links))
    scores = score_pairs(predicted, truth)
    judged_units = set(signal_units.values())
    judged: set[Pair] = {pair for pair in predicted if pair[0] in judged_units and pair[1] in judged_units}
    on_signals = score_pairs(judged, truth)
    return {
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "f1": round(scores.f1, 4),
        "pairs_predicted": scores.pairs_predicted,
        "pairs_true": scores.pairs_true,
        "pairs_correct": scores.pairs_correct,
        "precision_on_signals": round(on_signals.precision, 4),
        "pairs_predicted_on_signals": on_signals.pairs_predicted,
        "truth_links": len(truth_links),
        "truth_links_mapped": len(unit_links),
    }
