"""Where one stored classification lands in a newer taxonomy version, by the migration map alone."""

from __future__ import annotations

from dataclasses import dataclass

from groundswell.core.taxonomy.edits import Migration
from groundswell.core.taxonomy.model import Taxonomy

__all__ = ["Remapped", "place", "remap_classification"]


@dataclass(frozen=True)
class Remapped:
    theme_key: str | None  # the root theme
    subtheme_key: str | None  # the leaf, when it is not the root
    needs_review: bool = False  # split (several candidates) or dropped: the classifier must decide
    candidates: tuple[str, ...] = ()
    confidence: float | None = None  # set when a classifier chose among the candidates (None: the map alone)
    scores: tuple[tuple[str, float], ...] = ()  # each candidate's share, when a classifier chose

    @property
    def leaf(self) -> str | None:
        return self.subtheme_key or self.theme_key


def place(taxonomy: Taxonomy, key: str) -> Remapped:
    """``key`` as (root theme, sub-theme) in ``taxonomy``."""
    root = taxonomy.root_of(key)
    return Remapped(root, key if key != root else None)


def remap_classification(
    theme_key: str | None, subtheme_key: str | None, migration: Migration, taxonomy: Taxonomy
) -> Remapped:
    """Follow the most specific key through ``migration`` into ``taxonomy`` (the target version)."""
    leaf = subtheme_key or theme_key
    if leaf is None:
        return Remapped(None, None)
    targets = tuple(t for t in migration.targets(leaf) if t in taxonomy and taxonomy.get(t).active)
    if len(targets) == 1:
        return place(taxonomy, targets[0])
    return Remapped(None, None, needs_review=True, candidates=targets)
