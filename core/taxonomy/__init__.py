"""The adaptive, versioned taxonomy: themes in a tree, edits that yield a new version plus a migration map."""

from groundswell.core.taxonomy.diff import TaxonomyDiff, diff
from groundswell.core.taxonomy.edits import (
    Migration,
    Proposal,
    accept,
    compose,
    merge,
    move,
    new_key,
    rename,
    retire,
    split,
)
from groundswell.core.taxonomy.io import FORMATS, dump_taxonomy, load_taxonomy, parse_taxonomy
from groundswell.core.taxonomy.model import STATUSES, Issue, Taxonomy, TaxonomyError, ThemeDef, find_issues
from groundswell.core.taxonomy.remap import Remapped, place, remap_classification

__all__ = [
    "FORMATS",
    "STATUSES",
    "Issue",
    "Migration",
    "Proposal",
    "Remapped",
    "Taxonomy",
    "TaxonomyDiff",
    "TaxonomyError",
    "ThemeDef",
    "accept",
    "compose",
    "diff",
    "dump_taxonomy",
    "find_issues",
    "load_taxonomy",
    "merge",
    "move",
    "new_key",
    "parse_taxonomy",
    "place",
    "remap_classification",
    "rename",
    "retire",
    "split",
]
