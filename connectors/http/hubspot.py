"""HubSpot CRM v3, live: companies (dated ARR-like facts), contacts and deals (with their company association).

- ``POST /crm/v3/objects/{companies|contacts}/search`` filtered ``{hs_lastmodifieddate|lastmodifieddate} GTE
  since`` sorted ascending (cursor ``paging.next.after``). Search stops at 10,000 results a query, so the sync
  restarts the query from the last modification date it stored before reaching that cap; it also keeps that
  date in the checkpoint after each page (a crashed sync resumes there; repeated records are stored once).
- ``POST /crm/v3/objects/{type}/batch/read`` for the page's ids, with ``propertiesWithHistory`` of the fact
  properties: every dated value, so ARR, plan, segment and renewal "as they were" rebuild like Salesforce's
  AccountHistory (:func:`~connectors.files.salesforce.rebuild_snapshots`).
- ``POST /crm/v4/associations/{contacts|deals}/companies/batch/read``: an object's companies (the ``Primary``
  one, type 1 for contacts and 5 for deals, is its account).
- Deals become opportunities (:mod:`connectors.http.hubspot_deals`): stage labels from the deal pipelines,
  ``hs_is_closed``/``hs_is_closed_won``, amount, close date and the ``loss_reason_property`` (default
  ``closed_lost_reason``). Option ``objects`` (default ``companies,contacts,deals``) drops deals for a private
  app without the ``crm.objects.deals.read`` scope.
- Deletes: ``GET /crm/v3/objects/{type}?archived=true`` (archived since the last sync) and the primary's
  ``hs_merged_object_ids`` after a merge: tombstones.

Limits (private apps): 100 requests per 10 s and 250,000 a day (Free/Starter; options raise them for
Professional/Enterprise), search 4 requests a second; a 429 with ``policyName: DAILY`` stops the sync.
Fact properties are options (``arr_property`` = ``annualrevenue`` by default, or a custom ARR property).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import httpx
from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.salesforce import SalesforceExport
from groundswell.connectors.files.text import parse_timestamp
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.hubspot_deals import DEAL_PROPERTIES, deal_stages, opportunity, primary_company
from groundswell.connectors.http.pages import CursorPagination, dig
from groundswell.core.errors import RateLimited, SourceError
from groundswell.core.models import AccountDoc, Channel, OpportunityDoc, PersonDoc, RawRecord

__all__ = ["HubSpotSource"]

ARCHIVED = CursorPagination(items="results", cursor_param="after", next_path="paging.next.after")
SEARCH_RATES = (Rate(4, 1),)
# Salesforce export column -> the option naming the HubSpot property that holds that fact.
FACT_OPTIONS = {
    "ARR__c": "arr_property",
    "Plan__c": "plan_property",
    "Segment__c": "segment_property",
    "Region__c": "region_property",
    "Renewal_Date__c": "renewal_property",
    "Health_Score__c": "health_property",
    "Lifecycle_Stage__c": "lifecycle_property",
}
COMPANY_PROPERTIES = ("name", "domain", "hs_additional_domains", "hs_parent_company_id", "hs_merged_object_ids")
CONTACT_PROPERTIES = ("firstname", "lastname", "email", "hs_additional_emails", "phone", "jobtitle")
CONTACT_PROPERTIES += ("hs_merged_object_ids",)


class HubSpotSource(HttpSource):
    """Companies with dated facts and contacts of a HubSpot portal (private app access token)."""

    kind = "account"
    channel = Channel.CRM
    expected_cadence_s = 6 * 3600
    DEFAULT_NAME = "hubspot"
    DEFAULT_BASE_URL = "https://api.hubapi.com"
    CREDENTIALS = ("token",)
    OPTIONS: ClassVar[dict[str, Any]] = {
        "arr_property": "annualrevenue",
        "plan_property": "plan",
        "segment_property": "segment",
        "region_property": "country",
        "renewal_property": "renewal_date",
        "health_property": "",
        "lifecycle_property": "lifecyclestage",
        "page_size": 100,
        "requests_per_10s": 100,
        "requests_per_day": 250_000,
        "search_result_cap": 10_000,
        "index_lag_s": 30,
        "delete_lookback_hours": 24,
        "portal_id": "",
        "objects": "companies,contacts,deals",
        "loss_reason_property": "closed_lost_reason",
    }
    # object type -> (record kind, modification date property, properties, URL type id)
    OBJECTS: ClassVar[dict[str, tuple[str, str, tuple[str, ...], str]]] = {
        "companies": ("account", "hs_lastmodifieddate", COMPANY_PROPERTIES, "0-2"),
        "contacts": ("contact", "lastmodifieddate", CONTACT_PROPERTIES, "0-1"),
        "deals": ("opportunity", "hs_lastmodifieddate", DEAL_PROPERTIES, "0-3"),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._export = SalesforceExport(Path("."), company_domains=self.company_domains, name=self.name)
        self.facts = {column: str(self.options[key]) for column, key in FACT_OPTIONS.items() if self.options[key]}
        arr = self.facts.get("ARR__c")
        company = {"id": "str", "createdAt": "timestamp", "properties": "dict", "properties.name": "str?"}
        if arr:
            company |= {f"properties.{arr}": "str?", f"propertiesWithHistory.{arr}[].timestamp": "timestamp"}
        contact = {"id": "str", "properties": "dict", "properties.email": "str?", "_companies[].toObjectId": "id"}
        deal = {"id": "str", "properties": "dict", "properties.dealstage": "str?", "properties.amount": "str?"}
        deal |= {"properties.closedate": "str?", "_companies[].toObjectId": "id"}
        self._specs = {"account": FieldSpec(company), "contact": FieldSpec(contact), "opportunity": FieldSpec(deal)}
        wanted = self.options["objects"]
        wanted = [o.strip() for o in wanted.split(",")] if isinstance(wanted, str) else list(wanted)
        self.object_types = [o for o in self.OBJECTS if o in wanted]
        self._stages: dict[str, dict[str, Any]] | None = None

    def rates(self) -> tuple[Rate, ...]:
        return (Rate(int(self.options["requests_per_10s"]), 10), Rate(int(self.options["requests_per_day"]), 86_400))

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials['token']}", "Accept": "application/json"}

    def check_error(self, response: httpx.Response) -> None:
        if response.status_code == 429 and '"DAILY"' in response.text.replace(" ", ""):
            raise RateLimited(self.name, 3600.0)

    def field_spec(self, kind: str) -> FieldSpec:
        return self._specs[kind]

    def record_url(self, object_type: str, object_id: str) -> str:
        portal = self.options.get("portal_id")
        if portal:
            return f"https://app.hubspot.com/contacts/{portal}/record/{self.OBJECTS[object_type][3]}/{object_id}"
        return f"{self.base_url}/crm/v3/objects/{object_type}/{object_id}"

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        self._stages = None  # stage labels are read again each sync
        for object_type in self.object_types:
            yield from self._changed(object_type)
            yield from self._archived(object_type)

    # -- changes -------------------------------------------------------------------------------

    def _changed(self, object_type: str) -> Iterator[Yielded]:
        _, modified, _, _ = self.OBJECTS[object_type]
        stored = int(self.progress.streams.get(object_type, "0"))
        # search is indexed a few seconds behind writes: look back ``index_lag_s`` (repeats are stored once)
        since = max(0, stored - int(float(self.options["index_lag_s"]) * 1000)) if stored else 0
        newest = stored
        size = min(int(self.options["page_size"]), 100)
        cap = int(self.options["search_result_cap"])
        after: str | None = None
        while True:
            body: dict[str, Any] = {
                "filterGroups": [{"filters": [{"propertyName": modified, "operator": "GTE", "value": str(since)}]}],
                "sorts": [{"propertyName": modified, "direction": "ASCENDING"}],
                "properties": [modified],
                "limit": size,
            }
            if after:
                body["after"] = after
            response = self.client.post(
                f"/crm/v3/objects/{object_type}/search", json_body=body, rates=SEARCH_RATES, budget_key="search"
            )
            hits = dig(response.body, "results") or []
            yield from self._read(object_type, [str(h.get("id")) for h in hits])
            newest = max([newest, *(_millis(dig(h, f"properties.{modified}")) for h in hits)])
            self.advance(streams={**self.progress.streams, object_type: str(newest)})
            after = dig(response.body, "paging.next.after")
            if not after:
                return
            if int(after) + size > cap:  # search serves 10,000 results a query: ask again from the last date
                if newest <= since:
                    raise SourceError(self.name, f"more than {cap} {object_type} modified at {since} ms")
                since, after = newest, None

    def _read(self, object_type: str, ids: list[str]) -> Iterator[Yielded]:
        if not ids:
            return
        kind, _, properties, _ = self.OBJECTS[object_type]
        facts = list(dict.fromkeys(self.facts.values())) if kind == "account" else []
        extra = [str(self.options["loss_reason_property"])] if kind == "opportunity" else []
        body = {"inputs": [{"id": i} for i in ids], "properties": [*properties, *facts, *filter(None, extra)]}
        if facts:
            body["propertiesWithHistory"] = facts
        response = self.client.post(f"/crm/v3/objects/{object_type}/batch/read", json_body=body)
        found = {str(r.get("id")): r for r in dig(response.body, "results") or []}
        linked = kind in ("contact", "opportunity")
        companies = self._companies(object_type, [i for i in ids if i in found]) if linked else {}
        for object_id in ids:  # an id missing here was archived in between: the archived sweep sees it
            if object_id not in found:
                continue
            item = found[object_id]
            payload = {**item, "_companies": companies.get(object_id, [])} if linked else item
            if kind == "opportunity":
                payload["_stage"] = self._stage(dig(item, "properties.dealstage"))
            yield self.record(
                f"{object_type}:{object_id}",
                payload,
                url=self.record_url(object_type, object_id),
                created_at=item.get("createdAt"),
                updated_at=item.get("updatedAt"),
                kind=kind,
            )
            merged = dig(item, "properties.hs_merged_object_ids") or ""
            for loser in [m.strip() for m in str(merged).split(";") if m.strip()]:
                yield self._gone(object_type, loser)

    def _companies(self, object_type: str, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        if not ids:
            return {}
        body = {"inputs": [{"id": i} for i in ids]}
        response = self.client.post(f"/crm/v4/associations/{object_type}/companies/batch/read", json_body=body)
        return {str(dig(r, "from.id")): r.get("to") or [] for r in dig(response.body, "results") or []}

    def _stage(self, stage_id: Any) -> dict[str, Any] | None:
        if self._stages is None:
            self._stages = deal_stages(self.client)
        return self._stages.get(str(stage_id)) if stage_id not in (None, "") else None

    # -- deletes -------------------------------------------------------------------------------

    def _archived(self, object_type: str) -> Iterator[Yielded]:
        """Tombstones for records archived since the last sync (the first sync has nothing to remove)."""
        key = f"{object_type}:archived"
        since = self.progress.streams.get(key)
        if since:
            lookback = timedelta(hours=float(self.options["delete_lookback_hours"]))
            start = parse_timestamp(since) - lookback
            params = {"archived": True, "limit": min(int(self.options["page_size"]), 100)}
            for page in ARCHIVED.pages(self.client, f"/crm/v3/objects/{object_type}", params=params):
                for item in page.items:
                    when = item.get("archivedAt")
                    if when and parse_timestamp(when) >= start:
                        yield self._gone(object_type, str(item.get("id")))
        live = self.progress.streams.get(object_type)
        if live and live != "0":
            newest = max(filter(None, (since, _iso(int(live)))), key=parse_timestamp)
            self.advance(streams={**self.progress.streams, key: newest})

    def _gone(self, object_type: str, object_id: str) -> RawRecord:
        kind = self.OBJECTS[object_type][0]
        tombstone = self.tombstone(
            f"{object_type}:{object_id}",
            {"id": object_id, "archived": True},
            url=self.record_url(object_type, object_id),
        )
        return tombstone.model_copy(update={"kind": kind})

    # -- normalize -----------------------------------------------------------------------------

    def normalize(self, record: RawRecord) -> AccountDoc | PersonDoc | OpportunityDoc:
        if record.kind == "contact":
            return self._person(record)
        if record.kind == "opportunity":
            return opportunity(record, source=self.name, loss_reason_property=str(self.options["loss_reason_property"]))
        item = record.payload
        props = item.get("properties") or {}
        domains = [props.get("domain") or "", *str(props.get("hs_additional_domains") or "").split(";")]
        account = {
            "Id": str(item.get("id")),
            "Name": props.get("name") or "",
            "ParentId": props.get("hs_parent_company_id") or "",
            "Domains__c": ";".join(d.strip() for d in domains if d.strip()),
            "CreatedDate": item.get("createdAt") or "",
            **{column: props.get(prop) or "" for column, prop in self.facts.items()},
        }
        history = [
            change
            for column, prop in self.facts.items()
            for change in _changes(column, (item.get("propertiesWithHistory") or {}).get(prop) or [])
        ]
        payload = {"account": account, "history": history}
        return self._export.normalize(record.model_copy(update={"payload": payload}))

    def _person(self, record: RawRecord) -> PersonDoc:
        item = record.payload
        props = item.get("properties") or {}
        extra = [e.strip() for e in str(props.get("hs_additional_emails") or "").split(";") if e.strip()]
        contact = {
            "Id": str(item.get("id")),
            "AccountId": primary_company(item.get("_companies") or [], "contacts") or "",
            "FirstName": props.get("firstname") or "",
            "LastName": props.get("lastname") or "",
            "Email": props.get("email") or "",
            "Secondary_Email__c": extra[0] if extra else "",
            "Phone": props.get("phone") or "",
            "Title": props.get("jobtitle") or "",
        }
        doc = self._export.normalize(record.model_copy(update={"payload": contact}))
        assert isinstance(doc, PersonDoc)
        return doc.model_copy(update={"emails": list(dict.fromkeys([*doc.emails, *extra]))})


def _changes(column: str, versions: list[dict[str, Any]]) -> list[dict[str, str]]:
    """A property's dated values (HubSpot lists them newest first) as AccountHistory-like change rows."""
    ordered = sorted(versions, key=lambda v: parse_timestamp(v["timestamp"]))
    changes, previous = [], ""
    for index, version in enumerate(ordered):
        value = "" if version.get("value") is None else str(version["value"])
        changes.append(
            {
                "Id": f"{column}:{index}",
                "Field": column,
                "OldValue": previous,
                "NewValue": value,
                "CreatedDate": str(version["timestamp"]),
            }
        )
        previous = value
    return changes


def _millis(value: Any) -> int:
    if value in (None, ""):
        return 0
    return int(parse_timestamp(value).timestamp() * 1000)


def _iso(millis: int) -> str:
    return parse_timestamp(millis / 1000).isoformat()
