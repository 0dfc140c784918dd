"""Salesforce Data Loader export: ``Account.csv`` + ``AccountHistory.csv`` (dated facts), ``Contact.csv`` and
``Opportunity.csv`` (deals: stage, amount, close date, ``IsClosed``/``IsWon`` and the rep's ``Loss_Reason__c``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import Any, ClassVar

from groundswell.connectors.files.base import FileExportSource, FileTask, Yielded, parse_date, parse_timestamp
from groundswell.core.errors import MalformedRecord
from groundswell.core.models import AccountDoc, AccountFacts, OpportunityDoc, PersonDoc, RawRecord, RecordFailure
from groundswell.core.segments import segment_key

__all__ = ["FACT_FIELDS", "SalesforceExport", "normalize_segment", "rebuild_snapshots"]

RECORD_PATH = "/{id}"  # under the configured base, e.g. https://acme.my.salesforce.com


def _text(value: str) -> str | None:
    return value.strip() or None


def _number(value: str) -> float | None:
    return float(value.strip()) if value.strip() else None


def _date(value: str) -> Any:
    return parse_date(value) if value.strip() else None


def normalize_segment(value: str) -> str | None:
    """``Enterprise`` / ``Mid-Market`` / ``SMB`` (any case, spacing) as ``enterprise`` / ``mid-market`` / ``smb``."""
    return segment_key(value)


def _flag(value: str) -> bool:
    """A Data Loader checkbox: ``true``/``false`` (also ``1``/``0``, any case)."""
    return value.strip().lower() in {"true", "1", "yes"}


def _lifecycle(value: str) -> str | None:
    return re.sub(r"[\s_]+", "-", value.strip().lower()) or None


# Salesforce API name -> (AccountFacts attribute, converter from the CSV text).
FACT_FIELDS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "ARR__c": ("arr", _number),
    "Plan__c": ("plan", _text),
    "Segment__c": ("segment", normalize_segment),
    "Region__c": ("region", _text),
    "Renewal_Date__c": ("renewal_date", _date),
    "Health_Score__c": ("health", _number),
    "Lifecycle_Stage__c": ("lifecycle", _lifecycle),
}


def _facts(as_of: datetime, values: Mapping[str, str]) -> AccountFacts:
    return AccountFacts(
        as_of=as_of, **{attr: convert(values.get(api) or "") for api, (attr, convert) in FACT_FIELDS.items()}
    )


def rebuild_snapshots(
    current: Mapping[str, str], created_at: datetime, history: Sequence[Mapping[str, str]]
) -> list[AccountFacts]:
    """Dated facts, oldest first, from an account's current values and its field history.

    The first snapshot, at ``created_at``, is the current values with every tracked change undone
    (latest first); then one snapshot per change date with that date's changes applied. Changes
    dated at or before creation fold into the first snapshot. Untracked fields are ignored.
    """
    changes = sorted(
        (h for h in history if h.get("Field") in FACT_FIELDS),
        key=_change_order,
    )
    state = {api: current.get(api) or "" for api in FACT_FIELDS}
    for change in reversed(changes):
        state[change["Field"]] = change.get("OldValue") or ""
    snapshots = [_facts(created_at, state)]
    for when, group in groupby(changes, key=lambda h: parse_timestamp(h["CreatedDate"])):
        for change in group:
            state[change["Field"]] = change.get("NewValue") or ""
        snapshot = _facts(max(when, created_at), state)
        if snapshot.as_of == snapshots[-1].as_of:
            snapshots[-1] = snapshot
        else:
            snapshots.append(snapshot)
    return snapshots


def _change_order(change: Mapping[str, str]) -> tuple[datetime, str]:
    return parse_timestamp(change["CreatedDate"]), change.get("Id") or ""


def _check_change(change: Mapping[str, str]) -> str | None:
    """Say whether a history row's old or new value does not convert for its field, or None."""
    field = change["Field"]
    return _check_values({field: change["OldValue"]}, [field]) or _check_values({field: change["NewValue"]}, [field])


def _check_values(values: Mapping[str, str], fields: Sequence[str]) -> str | None:
    """Say which of the given fact columns does not convert (a bad number or date), or None."""
    for api in fields:
        if api in FACT_FIELDS:
            try:
                FACT_FIELDS[api][1](values.get(api) or "")
            except ValueError:
                return f"bad value in field '{api}': {values.get(api)!r}"
    return None


def _check_opportunity(row: Mapping[str, str]) -> str | None:
    """Say whether an opportunity's amount or close date does not convert, or None."""
    for name, convert in (("Amount", _number), ("CloseDate", _date)):
        try:
            convert(row.get(name) or "")
        except ValueError:
            return f"bad value in field '{name}': {row.get(name)!r}"
    return None


class SalesforceExport(FileExportSource):
    """Accounts (payload ``{"account": row, "history": [rows]}``), contacts and opportunities (payload = the row)."""

    kind = "account"
    RECORD_FILES: ClassVar[tuple[str, ...]] = ("Account.csv", "Contact.csv", "Opportunity.csv")
    REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = ("Id", "Name", "ParentId", "Domains__c", *FACT_FIELDS, "CreatedDate")
    NON_EMPTY_FIELDS: ClassVar[tuple[str, ...]] = ("Id", "Name", "CreatedDate")
    TIMESTAMP_FIELDS: ClassVar[tuple[str, ...]] = ("CreatedDate",)
    HISTORY_REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = ("AccountId", "Field", "OldValue", "NewValue", "CreatedDate")
    HISTORY_NON_EMPTY_FIELDS: ClassVar[tuple[str, ...]] = ("AccountId", "Field", "CreatedDate")
    CONTACT_REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = (
        "Id",
        "AccountId",
        "FirstName",
        "LastName",
        "Email",
        "Secondary_Email__c",
        "Phone",
        "Title",
    )
    OPPORTUNITY_REQUIRED_FIELDS: ClassVar[tuple[str, ...]] = (
        "Id",
        "AccountId",
        "Name",
        "StageName",
        "Amount",
        "CloseDate",
        "IsClosed",
        "IsWon",
    )

    def __init__(
        self,
        path: Path,
        *,
        company_domains: Sequence[str] = (),
        name: str = "salesforce",
        link_base: str | None = None,
    ) -> None:
        super().__init__(path, company_domains=company_domains, name=name, link_base=link_base)

    def tasks(self) -> list[FileTask]:
        history = (self.path / "AccountHistory.csv",)
        accounts = [FileTask(path, self._read_accounts, history) for path in self.files(self.RECORD_FILES[0])]
        contacts = [FileTask(path, self._read_contacts) for path in self.files(self.RECORD_FILES[1])]
        return accounts + contacts + [FileTask(p, self._read_opportunities) for p in self.files(self.RECORD_FILES[2])]

    def _read_history(self, into: dict[str, list[dict[str, str]]]) -> Iterator[Yielded]:
        path = self.path / "AccountHistory.csv"
        if not path.is_file():
            return
        required, non_empty = self.HISTORY_REQUIRED_FIELDS, self.HISTORY_NON_EMPTY_FIELDS
        for item in self.rows(path, required, non_empty, ("CreatedDate",), id_field="Id", extra_check=_check_change):
            if isinstance(item, RecordFailure):
                yield item
            else:
                into[item.data["AccountId"].strip()].append(item.data)

    def _read_accounts(self, path: Path) -> Iterator[Yielded]:
        history: dict[str, list[dict[str, str]]] = defaultdict(list)
        yield from self._read_history(history)
        rows = self.rows(
            path,
            self.REQUIRED_FIELDS,
            self.NON_EMPTY_FIELDS,
            self.TIMESTAMP_FIELDS,
            id_field="Id",
            extra_check=lambda row: _check_values(row, list(FACT_FIELDS)),
        )
        for item in rows:
            if isinstance(item, RecordFailure):
                yield item
                continue
            account = item.data
            account_id = account["Id"].strip()
            changes = sorted(history.get(account_id, []), key=_change_order)
            updated = max(
                [parse_timestamp(account["CreatedDate"])] + [parse_timestamp(h["CreatedDate"]) for h in changes]
            )
            yield self.record(
                account_id,
                {"account": account, "history": changes},
                url=self.link(RECORD_PATH, id=account_id),
                created_at=account["CreatedDate"],
                updated_at=updated.isoformat(),
            )

    def _read_contacts(self, path: Path) -> Iterator[Yielded]:
        required = self.CONTACT_REQUIRED_FIELDS
        for item in self.rows(path, required, ("Id",), id_field="Id"):
            if isinstance(item, RecordFailure):
                yield item
                continue
            contact_id = item.data["Id"].strip()
            yield self.record(contact_id, item.data, url=self.link(RECORD_PATH, id=contact_id), kind="contact")

    def _read_opportunities(self, path: Path) -> Iterator[Yielded]:
        required = self.OPPORTUNITY_REQUIRED_FIELDS
        check = _check_opportunity
        for item in self.rows(path, required, ("Id", "StageName"), id_field="Id", extra_check=check):
            if isinstance(item, RecordFailure):
                yield item
                continue
            opp_id = item.data["Id"].strip()
            yield self.record(opp_id, item.data, url=self.link(RECORD_PATH, id=opp_id), kind="opportunity")

    def normalize(self, record: RawRecord) -> AccountDoc | PersonDoc | OpportunityDoc:
        if record.kind == "contact":
            return self._person(record.payload)
        if record.kind == "account":
            return self._account(record.payload)
        if record.kind == "opportunity":
            return self.opportunity(record)
        expected = "'account', 'contact' or 'opportunity'"
        raise MalformedRecord(self.name, f"unknown record kind {record.kind!r} (expected {expected})")

    def opportunity(self, record: RawRecord, loss_reason_field: str = "Loss_Reason__c") -> OpportunityDoc:
        """An opportunity row (export text: ``true``/``false`` flags, ISO dates) as an :class:`OpportunityDoc`."""
        opp = record.payload
        if (problem := _check_opportunity(opp)) is not None:
            raise MalformedRecord(self.name, f"opportunity {opp.get('Id')}: {problem}")
        reason = (opp.get(loss_reason_field) or "").strip() if loss_reason_field else ""
        closed, won = _flag(opp.get("IsClosed") or ""), _flag(opp.get("IsWon") or "")
        return OpportunityDoc(
            source=self.name,
            external_id=str(self.need(opp, "Id")).strip(),
            account_external_id=(opp.get("AccountId") or "").strip() or None,
            name=(opp.get("Name") or "").strip() or None,
            stage=(opp.get("StageName") or "").strip() or None,
            is_closed=closed,
            is_won=won,
            amount=_number(opp.get("Amount") or ""),
            close_date=_date(opp.get("CloseDate") or ""),
            loss_reason=reason if closed and not won and reason else None,
            updated_at=record.updated_at,
        )

    def _account(self, payload: dict[str, Any]) -> AccountDoc:
        account = self.need(payload, "account")
        history = payload.get("history") or []
        created_at = self.need_time(self.need(account, "CreatedDate"), "CreatedDate")
        for index in range(len(history)):
            self.need_time(self.need(payload, "history", index, "CreatedDate"), f"history[{index}].CreatedDate")
        try:
            snapshots = rebuild_snapshots(account, created_at, history)
        except ValueError as exc:
            raise MalformedRecord(self.name, f"account {account.get('Id')}: bad fact value ({exc})") from exc
        domains = [d.strip().lower() for d in re.split(r"[;,]", account.get("Domains__c") or "") if d.strip()]
        return AccountDoc(
            source=self.name,
            external_id=str(self.need(account, "Id")).strip(),
            name=str(self.need(account, "Name")).strip(),
            domains=list(dict.fromkeys(domains)),
            parent_external_id=(account.get("ParentId") or "").strip() or None,
            created_at=created_at,
            snapshots=snapshots,
        )

    def _person(self, contact: dict[str, Any]) -> PersonDoc:
        emails: dict[str, str] = {}
        for column in ("Email", "Secondary_Email__c"):
            email = (contact.get(column) or "").strip()
            if email:
                emails.setdefault(email.lower(), email)
        name = " ".join(
            part.strip() for part in (contact.get("FirstName"), contact.get("LastName")) if part and part.strip()
        )
        phone = (contact.get("Phone") or "").strip()
        return PersonDoc(
            source=self.name,
            external_id=str(self.need(contact, "Id")).strip(),
            name=name or None,
            emails=list(emails.values()),
            phones=[phone] if phone else [],
            account_external_id=(contact.get("AccountId") or "").strip() or None,
            title=(contact.get("Title") or "").strip() or None,
        )
