"""Edits: each takes a taxonomy and returns ``(next version, Migration)``; the input is never changed.

A :class:`Migration` says where classifications under an old key go in the new version: keys absent
from ``mapping`` keep their key (rename and move change a theme's name or place, not its identity).
A merged theme maps to the theme it joined, a split theme to its parts (``hints`` carry example texts
per new key, so a re-classification can pick one), a retired theme to its parent (or nowhere for a root).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from groundswell.core.taxonomy.model import Taxonomy, TaxonomyError, ThemeDef

__all__ = [
    "Migration",
    "Proposal",
    "accept",
    "compose",
    "merge",
    "move",
    "new_key",
    "rename",
    "retire",
    "split",
]


@dataclass(frozen=True)
class Migration:
    """What one edit (or a chain of them) did, and where old keys' classifications go."""

    edit: str
    from_version: int
    to_version: int
    mapping: dict[str, tuple[str, ...]] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    hints: dict[str, tuple[str, ...]] = field(default_factory=dict)  # new key -> example texts

    def targets(self, key: str) -> tuple[str, ...]:
        """The key(s) a classification under ``key`` moves to: one is a direct remap, several need a choice."""
        return self.mapping.get(key, (key,))

    def as_dict(self) -> dict[str, Any]:
        return {
            "edit": self.edit,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "mapping": {k: list(v) for k, v in sorted(self.mapping.items())},
            "params": self.params,
            "hints": {k: list(v) for k, v in sorted(self.hints.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Migration:
        return cls(
            edit=str(data.get("edit", "")),
            from_version=int(data.get("from_version", 0)),
            to_version=int(data.get("to_version", 0)),
            mapping={str(k): tuple(v) for k, v in dict(data.get("mapping") or {}).items()},
            params=dict(data.get("params") or {}),
            hints={str(k): tuple(v) for k, v in dict(data.get("hints") or {}).items()},
        )


@dataclass(frozen=True)
class Proposal:
    """A theme discovery suggests (or a person types in) for review."""

    name: str
    description: str = ""
    terms: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    suggested_parent: str | None = None


def compose(migrations: Sequence[Migration]) -> Migration:
    """One migration equivalent to applying ``migrations`` in order (consecutive versions)."""
    if not migrations:
        raise TaxonomyError("nothing to compose: no migrations between these versions")
    for before, after in pairwise(migrations):
        if after.from_version != before.to_version:
            raise TaxonomyError(f"migrations skip from version {before.to_version} to {after.from_version}")
    keys = {k for m in migrations for k in m.mapping}
    mapping: dict[str, tuple[str, ...]] = {}
    for key in sorted(keys):
        current: tuple[str, ...] = (key,)
        for m in migrations:
            current = tuple(dict.fromkeys(t for k in current for t in m.targets(k)))
        if current != (key,):
            mapping[key] = current
    hints: dict[str, tuple[str, ...]] = {}
    for m in migrations:
        hints.update(m.hints)
    return Migration(
        edit="+".join(m.edit for m in migrations),
        from_version=migrations[0].from_version,
        to_version=migrations[-1].to_version,
        mapping=mapping,
        params={"steps": [m.as_dict() for m in migrations]},
        hints=hints,
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")[:40] or "theme"


def new_key(taxonomy: Taxonomy, name: str, parent_key: str | None) -> str:
    """A fresh stable key for ``name`` under ``parent_key`` (``parent.slug``, numbered if taken)."""
    base = f"{parent_key}.{_slug(name)}" if parent_key else _slug(name)
    key, n = base, 2
    while key in taxonomy:
        key, n = f"{base}_{n}", n + 1
    return key


def _migration(taxonomy: Taxonomy, edit: str, **kwargs: Any) -> Migration:
    return Migration(edit=edit, from_version=taxonomy.version, to_version=taxonomy.version + 1, **kwargs)


def _live(taxonomy: Taxonomy, key: str) -> ThemeDef:
    theme = taxonomy.get(key)
    if not theme.active:
        raise TaxonomyError(f"theme {key!r} is {theme.status}; only active themes can be edited")
    return theme


def _live_children(taxonomy: Taxonomy, key: str) -> list[ThemeDef]:
    return [t for t in taxonomy.children(key) if t.active]


def accept(
    taxonomy: Taxonomy, proposal: Proposal, *, parent_key: str | None = None, name: str | None = None
) -> tuple[Taxonomy, Migration]:
    """Add a proposed theme as an active theme (under ``parent_key``, else the proposal's suggested parent)."""
    parent = parent_key if parent_key is not None else proposal.suggested_parent
    if parent is not None:
        _live(taxonomy, parent)
    title = (name or proposal.name).strip()
    key = new_key(taxonomy, title, parent)
    theme = ThemeDef(
        key=key,
        name=title,
        parent_key=parent,
        description=proposal.description,
        aliases=tuple(t for t in proposal.terms if t.casefold() != title.casefold())[:5],
        examples=proposal.examples,
        owner_team=taxonomy.get(parent).owner_team if parent else None,
    )
    params = {"key": key, "name": title, "parent_key": parent}
    return taxonomy.next([*taxonomy.themes, theme]), _migration(taxonomy, "accept", params=params)


def rename(taxonomy: Taxonomy, key: str, name: str) -> tuple[Taxonomy, Migration]:
    """New display name; the key (and every classification) stays. The old name becomes an alias."""
    theme = _live(taxonomy, key)
    if not name.strip():
        raise TaxonomyError("a theme's name cannot be empty")
    aliases = tuple(dict.fromkeys([*theme.aliases, theme.name]))
    renamed = replace(theme, name=name.strip(), aliases=tuple(a for a in aliases if a != name.strip()))
    params = {"key": key, "old_name": theme.name, "new_name": name.strip()}
    return taxonomy.next(taxonomy.replace_theme(renamed)), _migration(taxonomy, "rename", params=params)


def merge(taxonomy: Taxonomy, keys: Iterable[str], into: str) -> tuple[Taxonomy, Migration]:
    """Fold ``keys`` into ``into``: their names become its aliases, their children move under it."""
    target = _live(taxonomy, into)
    sources = [_live(taxonomy, k) for k in dict.fromkeys(keys) if k != into]
    if not sources:
        raise TaxonomyError(f"nothing to merge into {into!r}: give at least one other theme")
    for s in sources:
        if into in taxonomy.descendants(s.key):
            raise TaxonomyError(f"cannot merge {s.key!r} into its own descendant {into!r}")
    merged_keys = {s.key for s in sources}
    aliases = [*target.aliases, *(a for s in sources for a in (s.name, *s.aliases))]
    examples = [*target.examples, *(e for s in sources for e in s.examples)]
    grown = replace(target, aliases=tuple(dict.fromkeys(aliases)), examples=tuple(dict.fromkeys(examples)))
    themes: list[ThemeDef] = []
    for t in taxonomy.themes:
        if t.key == into:
            t = grown
        elif t.key in merged_keys:
            t = replace(t, status="retired")
        elif t.parent_key in merged_keys and t.active:
            t = replace(t, parent_key=into)
        themes.append(t)
    mapping = {s.key: (into,) for s in sources}
    params = {"keys": sorted(merged_keys), "into": into}
    return taxonomy.next(themes), _migration(taxonomy, "merge", mapping=mapping, params=params)


def split(taxonomy: Taxonomy, key: str, into: Sequence[ThemeDef]) -> tuple[Taxonomy, Migration]:
    """Replace a leaf by two or more new siblings; their ``examples`` become assignment hints."""
    theme = _live(taxonomy, key)
    if _live_children(taxonomy, key):
        raise TaxonomyError(f"theme {key!r} has active sub-themes: split a leaf, or move its children first")
    if len(into) < 2:
        raise TaxonomyError(f"splitting {key!r} needs at least two new themes")
    parts = [
        replace(p, parent_key=theme.parent_key, owner_team=p.owner_team or theme.owner_team, status="active")
        for p in into
    ]
    clash = [p.key for p in parts if p.key in taxonomy]
    if clash:
        raise TaxonomyError(f"keys already used (keys are never reused): {', '.join(clash)}")
    themes = [*taxonomy.replace_theme(replace(theme, status="retired")), *parts]
    migration = _migration(
        taxonomy,
        "split",
        mapping={key: tuple(p.key for p in parts)},
        params={"key": key, "into": [p.key for p in parts]},
        hints={p.key: p.examples for p in parts},
    )
    return taxonomy.next(themes), migration


def move(taxonomy: Taxonomy, key: str, parent_key: str | None) -> tuple[Taxonomy, Migration]:
    """Hang a theme (with its sub-themes) under another parent, or make it a root with ``None``."""
    theme = _live(taxonomy, key)
    if parent_key is not None:
        _live(taxonomy, parent_key)
        if parent_key == key or parent_key in taxonomy.descendants(key):
            raise TaxonomyError(f"cannot move {key!r} under itself or its own sub-theme {parent_key!r}")
    if theme.parent_key == parent_key:
        raise TaxonomyError(f"theme {key!r} is already under {parent_key!r}")
    params = {"key": key, "old_parent": theme.parent_key, "new_parent": parent_key}
    moved = replace(theme, parent_key=parent_key)
    return taxonomy.next(taxonomy.replace_theme(moved)), _migration(taxonomy, "move", params=params)


def retire(taxonomy: Taxonomy, key: str) -> tuple[Taxonomy, Migration]:
    """Stop using a leaf theme: it stays (retired) so history resolves; its units go up to its parent."""
    theme = _live(taxonomy, key)
    if _live_children(taxonomy, key):
        raise TaxonomyError(f"theme {key!r} has active sub-themes: retire or move them first")
    mapping = {key: (theme.parent_key,) if theme.parent_key else ()}
    retired = replace(theme, status="retired")
    return taxonomy.next(taxonomy.replace_theme(retired)), _migration(
        taxonomy, "retire", mapping=mapping, params={"key": key}
    )
