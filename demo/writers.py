"""One writer per export format (see docs/export-formats.md), sharing JSONL/CSV helpers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from groundswell.demo.population import Population, sf_id
from groundswell.demo.sources_intercom import Intercom
from groundswell.demo.sources_other import Delighted, Discourse, Gong, GooglePlay
from groundswell.demo.sources_support import Zendesk, iso
from groundswell.demo.timeline import Timeline

__all__ = [
    "DELIGHTED_HEADER",
    "GOOGLEPLAY_HEADER",
    "SF_ACCOUNT_HEADER",
    "SF_CONTACT_HEADER",
    "SF_HISTORY_HEADER",
    "write_csv",
    "write_delighted",
    "write_discourse",
    "write_gong",
    "write_googleplay",
    "write_intercom",
    "write_jsonl",
    "write_releases",
    "write_salesforce",
    "write_zendesk",
]

GOOGLEPLAY_HEADER = [
    "Package Name",
    "App Version Code",
    "App Version Name",
    "Reviewer Language",
    "Device",
    "Review Submit Date and Time",
    "Review Submit Millis Since Epoch",
    "Review Last Update Date and Time",
    "Review Last Update Millis Since Epoch",
    "Star Rating",
    "Review Title",
    "Review Text",
    "Developer Reply Date and Time",
    "Developer Reply Millis Since Epoch",
    "Developer Reply Text",
    "Review Link",
]
DELIGHTED_HEADER = [
    "Response ID",
    "Person ID",
    "Email",
    "Name",
    "Score",
    "Comment",
    "Survey Type",
    "Response Timestamp",
    "Tags",
    "Company",
]
SF_ACCOUNT_HEADER = [
    "Id",
    "Name",
    "ParentId",
    "Website",
    "Domains__c",
    "ARR__c",
    "Plan__c",
    "Segment__c",
    "Region__c",
    "Renewal_Date__c",
    "Health_Score__c",
    "Lifecycle_Stage__c",
    "CreatedDate",
]
SF_HISTORY_HEADER = ["Id", "AccountId", "Field", "OldValue", "NewValue", "CreatedDate"]
SF_CONTACT_HEADER = ["Id", "AccountId", "FirstName", "LastName", "Email", "Secondary_Email__c", "Phone", "Title"]


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def write_csv(path: Path, header: Sequence[str], rows: Iterable[dict[str, str]], *, utf16: bool = False) -> int:
    """RFC 4180 CSV; ``utf16`` writes UTF-16 LE with a BOM, as Google Play exports do."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(header), lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"\xff\xfe" + buf.getvalue().encode("utf-16-le") if utf16 else buf.getvalue().encode("utf-8")
    path.write_bytes(data)
    return n


def write_zendesk(out: Path, zd: Zendesk) -> list[Path]:
    d = out / "zendesk"
    write_jsonl(d / "users.jsonl", zd.users)
    write_jsonl(d / "organizations.jsonl", sorted(zd.orgs.values(), key=lambda o: o["id"]))
    write_jsonl(d / "tickets.jsonl", sorted(zd.tickets, key=lambda t: t["id"]))
    return [d / "users.jsonl", d / "organizations.jsonl", d / "tickets.jsonl"]


def write_intercom(out: Path, ic: Intercom) -> list[Path]:
    path = out / "intercom" / "conversations.jsonl"
    write_jsonl(path, sorted(ic.conversations, key=lambda c: (c["created_at"], c["id"])))
    return [path]


def write_googleplay(out: Path, gp: GooglePlay) -> list[Path]:
    d = out / "googleplay"
    if d.exists():
        for stale in d.glob("reviews_io.brightloop.app_*.csv"):
            stale.unlink()
    months: dict[str, list[dict[str, str]]] = {}
    for row in sorted(gp.rows, key=lambda r: (r["Review Submit Date and Time"], r["Review Link"])):
        months.setdefault(row["Review Submit Date and Time"][:7].replace("-", ""), []).append(row)
    paths = []
    for month, rows in sorted(months.items()):
        path = d / f"reviews_io.brightloop.app_{month}.csv"
        write_csv(path, GOOGLEPLAY_HEADER, rows, utf16=True)
        paths.append(path)
    return paths


def write_delighted(out: Path, dl: Delighted) -> list[Path]:
    path = out / "delighted" / "responses.csv"
    write_csv(path, DELIGHTED_HEADER, sorted(dl.rows, key=lambda r: int(r["Response ID"])))
    return [path]


def write_gong(out: Path, gong: Gong) -> list[Path]:
    path = out / "gong" / "calls.jsonl"
    write_jsonl(path, sorted(gong.calls, key=lambda c: c["metaData"]["id"]))
    return [path]


def write_discourse(out: Path, dc: Discourse) -> list[Path]:
    path = out / "discourse" / "posts.jsonl"
    write_jsonl(path, sorted(dc.posts, key=lambda p: p["id"]))
    return [path]


def write_salesforce(out: Path, pop: Population) -> list[Path]:
    d = out / "salesforce"
    accounts = []
    history = []
    for acct in pop.accounts:
        now = acct.current
        accounts.append(
            {
                "Id": acct.id,
                "Name": acct.name,
                "ParentId": acct.parent_id or "",
                "Website": f"https://www.{acct.domains[0]}",
                "Domains__c": ";".join(acct.domains),
                "Region__c": acct.region,
                "CreatedDate": iso(acct.created),
                **{
                    k: now[k]
                    for k in (
                        "ARR__c",
                        "Plan__c",
                        "Segment__c",
                        "Renewal_Date__c",
                        "Health_Score__c",
                        "Lifecycle_Stage__c",
                    )
                },
            }
        )
        history.extend((change, acct.id) for change in acct.changes)
    history.sort(key=lambda item: (item[0].at, item[1], item[0].field))
    history_rows = [
        {
            "Id": sf_id("017", i),
            "AccountId": acct_id,
            "Field": c.field,
            "OldValue": c.old,
            "NewValue": c.new,
            "CreatedDate": iso(c.at),
        }
        for i, (c, acct_id) in enumerate(history)
    ]
    contacts = [
        {
            "Id": p.contact_id,
            "AccountId": p.account_id or "",
            "FirstName": p.first,
            "LastName": p.last,
            "Email": p.email,
            "Secondary_Email__c": p.secondary_email or "",
            "Phone": p.phone or "",
            "Title": p.title,
        }
        for p in pop.people
        if p.contact_id
    ]
    write_csv(d / "Account.csv", SF_ACCOUNT_HEADER, accounts)
    write_csv(d / "AccountHistory.csv", SF_HISTORY_HEADER, history_rows)
    write_csv(d / "Contact.csv", SF_CONTACT_HEADER, contacts)
    return [d / "Account.csv", d / "AccountHistory.csv", d / "Contact.csv"]


RELEASES_HEADER = ("name", "shipped_at", "notes")


def write_releases(out: Path, tl: Timeline) -> list[Path]:
    """The public changelog (``releases.csv`` at the export root): a company knows its own release dates."""
    path = out / "releases.csv"
    rows = [{"name": name, "shipped_at": iso(at), "notes": f"Brightloop {name} (build {code})"}
            for at, name, code in tl.releases]  # fmt: skip
    write_csv(path, RELEASES_HEADER, rows)
    return [path]
