"""HubSpot deals as :class:`~core.models.OpportunityDoc`: stage (labelled from the deal pipelines), amount, close
date, won/lost and the rep's closed-lost reason; the deal's primary company is its account.

- ``GET /crm/v3/pipelines/deals`` once per sync: stage id -> label and ``metadata.isClosed``/``probability``
  (``dealstage`` holds an internal id, e.g. ``closedlost`` or ``93581204`` for a custom stage).
- ``hs_is_closed`` and ``hs_is_closed_won`` (calculated by HubSpot from the stage) say closed and won; the
  stage metadata stands in when a portal does not return them (``probability`` 1.0 = won).
- ``POST /crm/v4/associations/deals/companies/batch/read``: the ``Primary`` company (type 5) is the account.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from groundswell.connectors.files.text import parse_timestamp
from groundswell.connectors.http.client import ApiClient
from groundswell.connectors.http.pages import dig
from groundswell.core.models import OpportunityDoc, RawRecord

__all__ = ["DEAL_PROPERTIES", "PRIMARY", "deal_stages", "opportunity", "primary_company"]

DEAL_PROPERTIES = ("dealname", "dealstage", "pipeline", "amount", "closedate", "hs_is_closed", "hs_is_closed_won")
DEAL_PROPERTIES += ("hs_merged_object_ids",)
PRIMARY = {"contacts": 1, "deals": 5}  # HUBSPOT_DEFINED "Primary" association type to a company


def deal_stages(client: ApiClient) -> dict[str, dict[str, Any]]:
    """Stage id -> ``{"label", "isClosed", "probability"}`` over every deal pipeline of the portal."""
    body = client.get("/crm/v3/pipelines/deals").body or {}
    stages: dict[str, dict[str, Any]] = {}
    for pipeline in dig(body, "results") or []:
        for stage in pipeline.get("stages") or []:
            metadata = stage.get("metadata") or {}
            stages[str(stage.get("id"))] = {
                "label": stage.get("label"),
                "isClosed": metadata.get("isClosed"),
                "probability": metadata.get("probability"),
            }
    return stages


def primary_company(companies: list[dict[str, Any]], from_type: str) -> str | None:
    """The company an object is associated with as ``Primary`` (else its first company), as an account id."""
    primary = next(
        (c for c in companies if any(t.get("typeId") == PRIMARY[from_type] for t in c.get("associationTypes") or [])),
        companies[0] if companies else None,
    )
    return str(primary.get("toObjectId")) if primary else None


def opportunity(record: RawRecord, *, source: str, loss_reason_property: str) -> OpportunityDoc:
    """A deal payload (batch-read object + ``_companies`` + ``_stage``) as an :class:`OpportunityDoc`."""
    item = record.payload
    props: dict[str, Any] = item.get("properties") or {}
    stage: dict[str, Any] = item.get("_stage") or {}
    closed = _flag(props.get("hs_is_closed"), stage.get("isClosed"))
    won = _flag(props.get("hs_is_closed_won"), None if stage.get("probability") is None else _won(stage))
    reason = str(props.get(loss_reason_property) or "").strip() if loss_reason_property else ""
    return OpportunityDoc(
        source=source,
        external_id=record.external_id,  # "deals:<id>", as the raw record (a tombstone removes it)
        account_external_id=primary_company(item.get("_companies") or [], "deals"),
        name=str(props.get("dealname") or "").strip() or None,
        stage=stage.get("label") or props.get("dealstage") or None,
        is_closed=closed,
        is_won=closed and won,
        amount=float(props["amount"]) if props.get("amount") not in (None, "") else None,
        close_date=_date(props.get("closedate")),
        loss_reason=reason if closed and not won and reason else None,
        updated_at=record.updated_at,
    )


def _won(stage: dict[str, Any]) -> bool:
    return float(stage["probability"]) >= 1.0


def _flag(value: Any, fallback: Any) -> bool:
    chosen = fallback if value in (None, "") else value
    return chosen is True or str(chosen).lower() == "true"


def _date(value: Any) -> date | None:
    return None if value in (None, "") else parse_timestamp(value).date()
