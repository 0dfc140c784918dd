"""Tables of data-protection requests, part of ``storage.models`` (imported and re-exported there).

None holds personal data: suppressions are keyed by a hash of the identifier, receipts by counts, remote
redactions by the local ticket row (whose text is already redacted).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from groundswell.storage.models.columns import _json
from sqlmodel import Field, SQLModel

__all__ = ["ErasureReceipt", "RemoteRedaction", "SuppressionEntry"]


class SuppressionEntry(SQLModel, table=True):
    """An identifier of a forgotten person (hashed): records carrying it are dropped at ingest, and counted."""

    __tablename__ = "suppression_entry"

    digest: str = Field(primary_key=True)  # sha256 hex of "kind:value" (storage.suppression.digest)
    kind: str  # email | phone | source_user | handle | crm_id | record
    receipt_id: str | None = Field(default=None, index=True)
    hits: int = 0
    last_hit_at: datetime | None = None
    created_at: datetime


class ErasureReceipt(SQLModel, table=True):
    """What one ``privacy forget`` removed, per store, without saying whom it was about."""

    __tablename__ = "erasure_receipt"

    id: str = Field(primary_key=True)  # uuid4 hex
    actor: str
    counts: dict[str, Any] = _json(dict)  # store -> rows removed or scrubbed
    suppressed: int = 0  # hashed identifiers added to the suppression list
    created_at: datetime = Field(index=True)


class RemoteRedaction(SQLModel, table=True):
    """A filed Jira/Linear ticket whose remote text must still get the redacted local text (``privacy forget``);
    the row goes once the tracker took it, else it stays with the last reason for the next run."""

    __tablename__ = "remote_redaction"

    ticket_id: int = Field(primary_key=True)  # the local ``ticket`` row, already redacted
    tracker: str  # jira | linear
    receipt_id: str = Field(index=True)  # the forget that found it
    attempts: int = 0
    last_error: str | None = None
    created_at: datetime
    updated_at: datetime
