"""Exact, permission-aware analytics over feedback units: the tools the agent's plans run on.

Semantics (``core/query.py``, ``demo/answers.py``): duplicates and deleted units are never counted; windows
are ``[start, end)`` UTC on ``created_at``; theme filters use one taxonomy version (a parent matches its
children); segment/plan/ARR come from the account snapshot valid at the unit's time; ARR sums count each
account once, at its latest matching unit; rankings sort by value, then label, then key.
"""

from groundswell.storage.analytics.quotes import QuoteCandidate
from groundswell.storage.analytics.run import quote_candidates, run_plan
from groundswell.storage.analytics.vocab import source_freshness, vocabulary

__all__ = ["QuoteCandidate", "quote_candidates", "run_plan", "source_freshness", "vocabulary"]
