"""The taxonomy's domain model: themes with stable keys in a tree, one immutable value per version.

Keys are stable ids (``auth.sso_login``): a rename changes the name, never the key, and a key is never
reused — merged, split and retired themes stay in later versions with status ``retired``, so every
classification ever written still points at a theme that exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from groundswell.core.errors import GroundswellError

__all__ = ["STATUSES", "Issue", "Taxonomy", "TaxonomyError", "ThemeDef", "find_issues"]

STATUSES = ("active", "proposed", "retired")


class TaxonomyError(GroundswellError):
    """A taxonomy file or edit is invalid; the message says which theme (and file line) and why."""


@dataclass(frozen=True)
class ThemeDef:
    """One node of the tree."""

    key: str
    name: str
    parent_key: str | None = None
    description: str = ""
    aliases: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    owner_team: str | None = None
    status: str = "active"

    @property
    def active(self) -> bool:
        return self.status == "active"

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "parent_key": self.parent_key,
            "description": self.description,
            "aliases": list(self.aliases),
            "examples": list(self.examples),
            "owner_team": self.owner_team,
            "status": self.status,
        }


@dataclass(frozen=True)
class Issue:
    """One validation problem, tied to the theme it is about (``key`` may be empty for whole-tree problems)."""

    key: str
    message: str
    index: int | None = None  # position in the theme list, for mapping back to a file line


def find_issues(themes: Iterable[ThemeDef]) -> list[Issue]:
    """Every problem: empty/duplicate keys, unknown status, missing parents, cycles, active under retired."""
    items = list(themes)
    issues: list[Issue] = []
    if not items:
        return [Issue("", "a taxonomy needs at least one theme")]
    first_at: dict[str, int] = {}
    for i, t in enumerate(items):
        if not t.key.strip():
            issues.append(Issue(t.key, "empty key", i))
        elif t.key in first_at:
            issues.append(Issue(t.key, f"duplicate key {t.key!r} (first at entry {first_at[t.key] + 1})", i))
        else:
            first_at[t.key] = i
        if not t.name.strip():
            issues.append(Issue(t.key, f"theme {t.key!r} has an empty name", i))
        if t.status not in STATUSES:
            issues.append(Issue(t.key, f"theme {t.key!r}: status {t.status!r} is not one of {', '.join(STATUSES)}", i))
    by_key = {t.key: t for t in items}
    for i, t in enumerate(items):
        if t.parent_key is None:
            continue
        parent = by_key.get(t.parent_key)
        if parent is None:
            issues.append(Issue(t.key, f"theme {t.key!r}: parent {t.parent_key!r} does not exist", i))
        elif t.active and not parent.active:
            issues.append(Issue(t.key, f"theme {t.key!r} is active under {parent.status} parent {parent.key!r}", i))
    issues.extend(_cycles(items, by_key))
    return issues


def _cycles(items: list[ThemeDef], by_key: Mapping[str, ThemeDef]) -> list[Issue]:
    issues: list[Issue] = []
    for i, t in enumerate(items):
        seen = {t.key}
        parent = t.parent_key
        while parent is not None and parent in by_key:
            if parent in seen:
                issues.append(Issue(t.key, f"theme {t.key!r} is its own ancestor (cycle through {parent!r})", i))
                break
            seen.add(parent)
            parent = by_key[parent].parent_key
    return issues


@dataclass(frozen=True)
class Taxonomy:
    """A validated tree of themes at one version. Construct it and it checks itself."""

    version: int
    themes: tuple[ThemeDef, ...]
    _by_key: dict[str, ThemeDef] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        issues = find_issues(self.themes)
        if issues:
            raise TaxonomyError("; ".join(issue.message for issue in issues))
        object.__setattr__(self, "_by_key", {t.key: t for t in self.themes})

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def __iter__(self) -> Iterator[ThemeDef]:
        return iter(self.themes)

    def __len__(self) -> int:
        return len(self.themes)

    def get(self, key: str) -> ThemeDef:
        try:
            return self._by_key[key]
        except KeyError:
            raise TaxonomyError(f"no theme {key!r} in taxonomy version {self.version}") from None

    @property
    def active(self) -> list[ThemeDef]:
        return [t for t in self.themes if t.active]

    def is_leaf(self, key: str) -> bool:
        """An active theme with no active sub-theme: what units are labelled and classified with."""
        return key in self and self.get(key).active and not any(c.active for c in self.children(key))

    def leaves_under(self, key: str) -> list[str]:
        """The active leaves at or below ``key`` (the key itself when it is a leaf), in file order."""
        return [k for k in (key, *self.descendants(key)) if self.is_leaf(k)] if key in self else []

    def children(self, key: str | None) -> list[ThemeDef]:
        """Direct children of ``key`` (``None``: the roots), in file order."""
        return [t for t in self.themes if t.parent_key == key]

    def ancestors(self, key: str) -> list[str]:
        """Parent first, root last."""
        out: list[str] = []
        parent = self.get(key).parent_key
        while parent is not None:
            out.append(parent)
            parent = self._by_key[parent].parent_key
        return out

    def depth(self, key: str) -> int:
        """0 for a root theme."""
        return len(self.ancestors(key))

    def root_of(self, key: str) -> str:
        chain = self.ancestors(key)
        return chain[-1] if chain else key

    def descendants(self, key: str) -> list[str]:
        out: list[str] = []
        stack = [key]
        while stack:
            for child in self.children(stack.pop()):
                out.append(child.key)
                stack.append(child.key)
        return out

    @property
    def max_depth(self) -> int:
        return max((self.depth(t.key) for t in self.themes), default=0)

    def replace_theme(self, theme: ThemeDef) -> tuple[ThemeDef, ...]:
        """The theme list with ``theme`` in place of the one with the same key."""
        self.get(theme.key)
        return tuple(theme if t.key == theme.key else t for t in self.themes)

    def next(self, themes: Iterable[ThemeDef]) -> Taxonomy:
        """The following version with these themes (validated)."""
        return Taxonomy(self.version + 1, tuple(themes))

    def with_version(self, version: int) -> Taxonomy:
        return replace(self, version=version)
