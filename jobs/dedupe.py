"""Link duplicate units to their earliest copy (re-run over all live units; only changed links are written)."""

from __future__ import annotations

from groundswell.core.dedupe import DedupeItem, find_duplicates
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.units import list_dedupe_rows, set_duplicate_links

__all__ = ["link_duplicates"]


def link_duplicates(*, engine: Engine) -> dict[str, int]:
    """Recompute duplicate links; returns counts of live units, duplicates and links changed."""
    with session_scope(engine) as session:
        rows = list_dedupe_rows(session=session)
        found = find_duplicates(
            DedupeItem(uid, text, created, person, account) for uid, text, created, person, account, _ in rows
        )
        changed = {uid: found.get(uid) for uid, *_, current in rows if found.get(uid) != current}
        set_duplicate_links(session=session, links=changed)
    return {"units": len(rows), "duplicates": len(found), "changed": len(changed)}
