"""Salesforce, live: accounts (with field history), contacts and opportunities through the REST API (SOQL).

- ``GET /services/data/v{api_version}/query?q=SELECT ... FROM {object} WHERE SystemModstamp > ... ORDER BY
  SystemModstamp, Id``, pages through ``nextRecordsUrl`` until ``done`` (``Sforce-Query-Options: batchSize``).
  The checkpoint keeps each object's last ``SystemModstamp|Id`` (keyset), so a resumed or incremental sync asks
  for ``SystemModstamp > t OR (SystemModstamp = t AND Id > last)``: query locators expire, keysets do not.
- ``AccountHistory`` of each page's accounts (tracked ``ARR__c``, ``Plan__c``, ``Segment__c``, ...): the payload
  is the export's ``{"account": row, "history": rows}``, normalised by
  :class:`~connectors.files.salesforce.SalesforceExport`, so ARR, plan, segment and renewal stay dated.
- Deletes and merges: ``GET .../queryAll?q=SELECT Id, SystemModstamp FROM {object} WHERE IsDeleted = true AND
  SystemModstamp > t`` (recycle bin; merged-away records are deleted too): tombstones.
- ``401 INVALID_SESSION_ID`` is "credentials expired"; ``403 REQUEST_LIMIT_EXCEEDED`` (the org's 24-hour API
  allocation) stops the sync with its checkpoint instead of being taken for a credential problem.

Opportunities are kept verbatim and normalise (through the export's reader) to an
:class:`~core.models.OpportunityDoc`: stage, amount, close date, won/lost and the rep's loss reason (the
``loss_reason_field`` option). A deal is pipeline, never a customer feedback unit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import httpx
from groundswell.connectors.fields import FieldSpec
from groundswell.connectors.files.salesforce import SalesforceExport
from groundswell.connectors.files.text import parse_timestamp
from groundswell.connectors.http.base import HttpCheckpoint, HttpSource, Yielded
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.pages import NextUrlPagination
from groundswell.core.errors import RateLimited
from groundswell.core.models import AccountDoc, Channel, OpportunityDoc, PersonDoc, RawRecord

__all__ = ["SalesforceSource"]

QUERY = NextUrlPagination(items="records", next_path="nextRecordsUrl", done_path="done")
# The export's columns (what the file normaliser reads), plus the modification stamp the sync pages by.
ACCOUNT = (*SalesforceExport.REQUIRED_FIELDS, "SystemModstamp")
CONTACT = (*SalesforceExport.CONTACT_REQUIRED_FIELDS, "SystemModstamp")
OPPORTUNITY = (*SalesforceExport.OPPORTUNITY_REQUIRED_FIELDS, "Loss_Reason__c", "CreatedDate", "SystemModstamp")
HISTORY = ("Id", *SalesforceExport.HISTORY_REQUIRED_FIELDS)
OBJECTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Account": ("account", ACCOUNT),
    "Contact": ("contact", CONTACT),
    "Opportunity": ("opportunity", OPPORTUNITY),
}
HISTORY_CHUNK = 200  # account ids per AccountHistory query (keeps the GET URL short)


def _literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _datetime(stamp: str) -> str:
    """A SOQL datetime literal (second precision, UTC): ``2026-01-05T10:00:00Z``."""
    return parse_timestamp(stamp).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: Any) -> str:
    """An API value as the Data Loader export writes it (the file normaliser's input)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class SalesforceSource(HttpSource):
    """Accounts with dated facts, contacts and opportunities of a Salesforce org (OAuth bearer token)."""

    kind = "account"
    channel = Channel.CRM
    expected_cadence_s = 6 * 3600
    DEFAULT_NAME = "salesforce"
    DEFAULT_BASE_URL = "https://{instance}.my.salesforce.com"
    CREDENTIALS = ("token",)
    OPTIONS: ClassVar[dict[str, Any]] = {
        "api_version": "62.0",
        "batch_size": 2000,
        "requests_per_day": 15_000,
        "delete_lookback_hours": 24,
        "objects": "Account,Contact,Opportunity",
        "loss_reason_field": "Loss_Reason__c",  # a custom field; empty when the org has none
    }
    SPECS: ClassVar[dict[str, FieldSpec]] = {
        "account": FieldSpec(
            {
                "account.Id": "str",
                "account.Name": "str",
                "account.CreatedDate": "timestamp",
                "account.ARR__c": "number?",
                "account.Renewal_Date__c": "str?",
                "account.Segment__c": "str?",
                "history[].Field": "str",
                "history[].CreatedDate": "timestamp",
            }
        ),
        "contact": FieldSpec({"Id": "str", "AccountId": "str?", "Email": "str?", "LastName": "str?"}),
        "opportunity": FieldSpec(
            {"Id": "str", "StageName": "str", "Amount": "number?", "IsClosed": "bool", "IsWon": "bool"}
        ),
    }
    FIELDS = SPECS["account"]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._export = SalesforceExport(Path("."), company_domains=self.company_domains, name=self.name)
        self.api = f"/services/data/v{self.options['api_version']}"

    def rates(self) -> tuple[Rate, ...]:
        return (Rate(int(self.options["requests_per_day"]), 86_400),)

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.credentials['token']}",
            "Sforce-Query-Options": f"batchSize={int(self.options['batch_size'])}",
            "Accept": "application/json",
        }

    def check_error(self, response: httpx.Response) -> None:
        if response.status_code == 403 and "REQUEST_LIMIT_EXCEEDED" in response.text:
            raise RateLimited(self.name, 3600.0)

    def field_spec(self, kind: str) -> FieldSpec:
        return self.SPECS[kind]

    def record_url(self, record_id: str) -> str:
        return f"{self.base_url}/{record_id}"

    def sync(self, state: HttpCheckpoint) -> Iterator[Yielded]:
        for sobject in [o.strip() for o in str(self.options["objects"]).split(",") if o.strip()]:
            if sobject not in OBJECTS:
                continue
            yield from self._changed(sobject)
            yield from self._deleted(sobject)

    def _soql(self, sobject: str, fields: Sequence[str], where: str) -> str:
        return f"SELECT {', '.join(fields)} FROM {sobject}{where} ORDER BY SystemModstamp, Id"

    def _changed(self, sobject: str) -> Iterator[Yielded]:
        kind, fields = OBJECTS[sobject]
        reason = str(self.options["loss_reason_field"] or "")
        fields = tuple(reason if f == "Loss_Reason__c" else f for f in fields if f != "Loss_Reason__c" or reason)
        mark = self.progress.streams.get(sobject)
        where = ""
        if mark:
            stamp, _, last_id = mark.partition("|")
            at = _datetime(stamp)
            where = f" WHERE SystemModstamp > {at} OR (SystemModstamp = {at} AND Id > {_literal(last_id)})"
        for page in QUERY.pages(self.client, f"{self.api}/query", params={"q": self._soql(sobject, fields, where)}):
            rows = [{k: v for k, v in row.items() if k != "attributes"} for row in page.items]
            history = self._history([str(r.get("Id")) for r in rows]) if sobject == "Account" else {}
            for row in rows:
                yield self._record(kind, row, history)
            if rows:
                last = rows[-1]
                mark = f"{last.get('SystemModstamp')}|{last.get('Id')}"
                self.advance(streams={**self.progress.streams, sobject: mark})

    def _history(self, account_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {i: [] for i in account_ids}
        for start in range(0, len(account_ids), HISTORY_CHUNK):
            ids = ", ".join(_literal(i) for i in account_ids[start : start + HISTORY_CHUNK])
            soql = (
                f"SELECT {', '.join(HISTORY)} FROM AccountHistory WHERE AccountId IN ({ids}) ORDER BY CreatedDate, Id"
            )
            for page in QUERY.pages(self.client, f"{self.api}/query", params={"q": soql}):
                for row in page.items:
                    change = {k: v for k, v in row.items() if k != "attributes"}
                    found.setdefault(str(change.get("AccountId")), []).append(change)
        return found

    def _record(self, kind: str, row: dict[str, Any], history: dict[str, list[dict[str, Any]]]) -> Yielded:
        record_id = row.get("Id")
        payload = {"account": row, "history": history.get(str(record_id), [])} if kind == "account" else row
        return self.record(
            record_id,
            payload,
            url=self.record_url(str(record_id)),
            created_at=row.get("CreatedDate") or row.get("SystemModstamp"),
            updated_at=row.get("SystemModstamp"),
            kind=kind,
        )

    def _deleted(self, sobject: str) -> Iterator[Yielded]:
        """Tombstones for records deleted (or merged away) since the last sync; the first sync has none to find."""
        kind, _ = OBJECTS[sobject]
        key = f"{sobject}:deleted"
        since = self.progress.streams.get(key)
        if since:
            lookback = timedelta(hours=float(self.options["delete_lookback_hours"]))
            at = (parse_timestamp(since) - lookback).strftime("%Y-%m-%dT%H:%M:%SZ")
            soql = self._soql(sobject, ("Id", "SystemModstamp"), f" WHERE IsDeleted = true AND SystemModstamp > {at}")
            for page in QUERY.pages(self.client, f"{self.api}/queryAll", params={"q": soql}):
                for row in page.items:
                    gone = {"Id": row.get("Id"), "IsDeleted": True, "SystemModstamp": row.get("SystemModstamp")}
                    tombstone = self.tombstone(row.get("Id"), gone, url=self.record_url(str(row.get("Id"))))
                    yield tombstone.model_copy(update={"kind": kind})
        live = self.progress.streams.get(sobject, "").partition("|")[0]
        newest = max(filter(None, (since, live)), key=parse_timestamp, default=None)
        if newest:
            self.advance(streams={**self.progress.streams, key: newest})

    # -- normalize -----------------------------------------------------------------------------

    def normalize(self, record: RawRecord) -> AccountDoc | PersonDoc | OpportunityDoc:
        payload = record.payload
        if record.kind == "account":
            payload = {
                "account": {k: _text(v) for k, v in payload["account"].items()},
                "history": [{k: _text(v) for k, v in change.items()} for change in payload.get("history") or []],
            }
        elif record.kind in ("contact", "opportunity"):
            payload = {k: _text(v) for k, v in payload.items()}
        text_record = record.model_copy(update={"payload": payload})
        if record.kind == "opportunity":
            return self._export.opportunity(text_record, str(self.options["loss_reason_field"] or ""))
        return self._export.normalize(text_record)
