"""Opportunities (CRM deals): upserted on ingest, removed on tombstone, linked to their account."""

from __future__ import annotations

from groundswell.core.models import OpportunityDoc
from groundswell.storage.db import as_utc
from groundswell.storage.identity import IdentityCache, account_id_for_ref
from groundswell.storage.models import Opportunity
from sqlmodel import Session, select

__all__ = ["delete_opportunity", "upsert_opportunity"]


def upsert_opportunity(*, session: Session, doc: OpportunityDoc, cache: IdentityCache | None = None) -> Opportunity:
    """Insert or update the deal ``(source, external_id)``; its account is resolved from the CRM account id."""
    row = session.exec(
        select(Opportunity).where(Opportunity.source == doc.source, Opportunity.external_id == doc.external_id)
    ).first()
    ref = doc.account_external_id
    values = {
        "account_id": account_id_for_ref(session=session, ref=ref, cache=cache) if ref else None,
        "account_ref": ref,
        "name": doc.name,
        "stage": doc.stage,
        "is_closed": doc.is_closed,
        "is_won": doc.is_won,
        "amount": doc.amount,
        "close_date": doc.close_date,
        "loss_reason": doc.loss_reason,
        "updated_at": as_utc(doc.updated_at) if doc.updated_at else None,
    }
    if row is None:
        row = Opportunity(source=doc.source, external_id=doc.external_id, **values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.add(row)
    session.flush()
    return row


def delete_opportunity(*, session: Session, source: str, external_id: str) -> bool:
    """Remove a deal the source deleted; True when there was one."""
    row = session.exec(
        select(Opportunity).where(Opportunity.source == source, Opportunity.external_id == external_id)
    ).first()
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True
