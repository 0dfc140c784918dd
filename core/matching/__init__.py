"""Person record linkage: deterministic identifier rules, blocking, EM-fitted Fellegi–Sunter scoring, clusters."""

from groundswell.core.matching.em import FSModel, fit_em
from groundswell.core.matching.records import MatchPair, MatchResult, PersonRecord, records_from_rows
from groundswell.core.matching.resolve import Resolution, match_people, resolve

__all__ = [
    "FSModel",
    "MatchPair",
    "MatchResult",
    "PersonRecord",
    "Resolution",
    "fit_em",
    "match_people",
    "records_from_rows",
    "resolve",
]
