"""What changed between two taxonomy versions, from the two trees alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from groundswell.core.taxonomy.model import Taxonomy

__all__ = ["TaxonomyDiff", "diff"]


@dataclass(frozen=True)
class TaxonomyDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # gone from the file altogether
    retired: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # key, old name, new name
    moved: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # key, old parent, new parent
    merged: list[tuple[str, str]] = field(default_factory=list)  # key, into
    changed: list[str] = field(default_factory=list)  # description, aliases, examples, owner or status

    @property
    def empty(self) -> bool:
        return not any(self.as_dict().values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "removed": self.removed,
            "retired": self.retired,
            "renamed": [{"key": k, "old": o, "new": n} for k, o, n in self.renamed],
            "moved": [{"key": k, "old_parent": o, "new_parent": n} for k, o, n in self.moved],
            "merged": [{"key": k, "into": i} for k, i in self.merged],
            "changed": self.changed,
        }


def _merged_into(a: Taxonomy, b: Taxonomy, key: str) -> str | None:
    """The active theme of ``b`` that gained ``key``'s name as an alias between ``a`` and ``b``."""
    name = a.get(key).name.casefold()
    for theme in b.active:
        before = {x.casefold() for x in a.get(theme.key).aliases} if theme.key in a else set()
        now = {x.casefold() for x in theme.aliases}
        if name in now and name not in before:
            return theme.key
    return None


def diff(a: Taxonomy, b: Taxonomy) -> TaxonomyDiff:
    """Keys added, removed, retired, renamed, moved, merged (and otherwise changed) from ``a`` to ``b``."""
    out = TaxonomyDiff()
    out.added.extend(t.key for t in b.themes if t.key not in a)
    out.removed.extend(t.key for t in a.themes if t.key not in b)
    for old in a.themes:
        if old.key not in b:
            continue
        new = b.get(old.key)
        if old.active and not new.active:
            into = _merged_into(a, b, old.key)
            if into:
                out.merged.append((old.key, into))
            else:
                out.retired.append(old.key)
            continue
        if old.name != new.name:
            out.renamed.append((old.key, old.name, new.name))
        if old.parent_key != new.parent_key:
            out.moved.append((old.key, old.parent_key, new.parent_key))
        same_rest = (old.description, old.examples, old.owner_team, old.status) == (
            new.description,
            new.examples,
            new.owner_team,
            new.status,
        )
        aliases_only_gained_old_name = set(new.aliases) - set(old.aliases) <= {old.name}
        if not same_rest or not aliases_only_gained_old_name or set(old.aliases) - set(new.aliases):
            out.changed.append(old.key)
    merged_targets = {into for _, into in out.merged}
    out.changed[:] = [k for k in out.changed if k not in merged_targets]
    return out
