"""The exports follow docs/export-formats.md to the letter."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from groundswell.demo.generate import DemoSummary

from tests.demo.conftest import END
from tests.demo.exports import csv_rows, jsonl

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
START_ISO, END_ISO = "2025-12-03T00:00:00Z", "2026-06-01T00:00:00Z"


def test_summary_counts_match_files(small_corpus: DemoSummary) -> None:
    assert small_corpus.total_records == 1500
    assert set(small_corpus.records) == {"zendesk", "intercom", "googleplay", "delighted", "gong", "discourse"}
    assert all(n > 0 for n in small_corpus.records.values())
    assert all(n > 0 for n in small_corpus.signals.values())
    assert small_corpus.as_of == END
    root = small_corpus.out_dir
    assert len(jsonl(root / "intercom" / "conversations.jsonl")) == small_corpus.records["intercom"]
    assert len(jsonl(root / "gong" / "calls.jsonl")) == small_corpus.records["gong"]
    assert len(jsonl(root / "discourse" / "posts.jsonl")) == small_corpus.records["discourse"]
    assert small_corpus.model_dump(mode="json")["records"] == small_corpus.records


def test_zendesk_shapes(corpus_dir: Path) -> None:
    users = jsonl(corpus_dir / "zendesk" / "users.jsonl")
    assert {u["role"] for u in users} <= {"end-user", "agent", "admin"}
    assert all(set(u) == {"id", "name", "email", "phone", "role", "organization_id"} for u in users)
    assert all(u["email"].endswith("@brightloop.io") for u in users if u["role"] != "end-user")
    orgs = jsonl(corpus_dir / "zendesk" / "organizations.jsonl")
    assert all(isinstance(o["id"], int) and isinstance(o["domain_names"], list) for o in orgs)
    tickets = jsonl(corpus_dir / "zendesk" / "tickets.jsonl")
    assert any(t["status"] == "deleted" for t in tickets)
    live = [t for t in tickets if t["status"] != "deleted"]
    for t in live:
        assert t["url"] == f"https://brightloop.zendesk.com/api/v2/tickets/{t['id']}.json"
        assert t["status"] in {"new", "open", "pending", "hold", "solved", "closed"}
        assert t["via"]["channel"] in {"email", "web", "api"}
        assert ISO_Z.match(t["created_at"]) and START_ISO <= t["created_at"] < END_ISO
        assert t["description"] == t["comments"][0]["body"]
        for c in t["comments"]:
            assert c["type"] == "Comment" and isinstance(c["public"], bool) and ISO_Z.match(c["created_at"])
            assert c["created_at"] < END_ISO
    assert any(not c["public"] for t in live for c in t["comments"])  # internal notes exist


def test_intercom_shapes(corpus_dir: Path) -> None:
    convs = jsonl(corpus_dir / "intercom" / "conversations.jsonl")
    lo, hi = datetime.fromisoformat(START_ISO).timestamp(), END.timestamp()
    kinds = set()
    for conv in convs:
        assert conv["type"] == "conversation" and isinstance(conv["id"], str)
        assert isinstance(conv["created_at"], int) and lo <= conv["created_at"] < hi
        assert conv["state"] in {"open", "closed", "snoozed"}
        assert conv["source"]["author"]["type"] in {"user", "lead"}
        assert conv["contacts"]["type"] == "contact.list"
        parts = conv["conversation_parts"]
        assert parts["type"] == "conversation_part.list" and parts["total_count"] == len(parts["conversation_parts"])
        for part in parts["conversation_parts"]:
            assert part["part_type"] in {"comment", "note", "assignment", "open", "close"}
            assert isinstance(part["created_at"], int) and part["created_at"] < hi
            kinds.add(part["author"]["type"])
    assert kinds >= {"user", "admin", "bot"}


def test_googleplay_is_utf16_with_bom_and_exact_header(corpus_dir: Path) -> None:
    files = sorted((corpus_dir / "googleplay").glob("reviews_io.brightloop.app_*.csv"))
    assert files and all(re.search(r"_\d{6}\.csv$", f.name) for f in files)
    header = [
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
    for f in files:
        assert f.read_bytes()[:2] == b"\xff\xfe"
        fields, rows = csv_rows(f)
        assert fields == header
        for row in rows:
            assert 1 <= int(row["Star Rating"]) <= 5
            assert ISO_Z.match(row["Review Submit Date and Time"])
            assert row["Review Submit Date and Time"][:7].replace("-", "") in f.name
            assert row["Review Link"].startswith("https://play.google.com/console/developers/app/reviews?reviewId=")


def test_delighted_gong_discourse_salesforce(corpus_dir: Path) -> None:
    fields, rows = csv_rows(corpus_dir / "delighted" / "responses.csv")
    assert fields == [
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
    for r in rows:
        score = int(r["Score"])
        assert (r["Survey Type"] == "nps" and 0 <= score <= 10) or (r["Survey Type"] == "csat" and 1 <= score <= 5)
    assert any(r["Comment"] == "" for r in rows)
    for call in jsonl(corpus_dir / "gong" / "calls.jsonl"):
        meta = call["metaData"]
        assert meta["url"] == f"https://app.gong.io/call?id={meta['id']}" and meta["scope"] == "External"
        assert {p["affiliation"] for p in call["parties"]} <= {"Internal", "External", "Unknown"}
        ids = {p["speakerId"] for p in call["parties"]}
        assert all(m["speakerId"] in ids for m in call["transcript"])
    posts = jsonl(corpus_dir / "discourse" / "posts.jsonl")
    assert any(p["staff"] for p in posts) and all("email" not in p for p in posts)
    assert any(p["deleted_at"] for p in posts)
    sf = corpus_dir / "salesforce"
    account_fields, accounts = csv_rows(sf / "Account.csv")
    assert account_fields == [
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
    assert {a["Segment__c"] for a in accounts} == {"Enterprise", "Mid-Market", "SMB"}
    assert all(len(a["Id"]) == 18 for a in accounts)
    assert any(a["ParentId"] for a in accounts) and any(";" in a["Domains__c"] for a in accounts)
    assert csv_rows(sf / "AccountHistory.csv")[0] == ["Id", "AccountId", "Field", "OldValue", "NewValue", "CreatedDate"]
    contact_fields, contacts = csv_rows(sf / "Contact.csv")
    assert contact_fields == [
        "Id",
        "AccountId",
        "FirstName",
        "LastName",
        "Email",
        "Secondary_Email__c",
        "Phone",
        "Title",
    ]
    assert any(c["Secondary_Email__c"] for c in contacts)


def test_account_history_replays_to_current_values(corpus_dir: Path) -> None:
    """Each field's history chains: a change's OldValue is the previous NewValue, the last equals the current."""
    _, accounts = csv_rows(corpus_dir / "salesforce" / "Account.csv")
    current = {a["Id"]: a for a in accounts}
    _, history = csv_rows(corpus_dir / "salesforce" / "AccountHistory.csv")
    assert {h["Field"] for h in history} >= {"ARR__c", "Segment__c", "Health_Score__c", "Renewal_Date__c"}
    last: dict[tuple[str, str], str] = {}
    for h in history:  # sorted by CreatedDate
        key = (h["AccountId"], h["Field"])
        if key in last:
            assert h["OldValue"] == last[key]
        last[key] = h["NewValue"]
    for (account, field), value in last.items():
        assert current[account][field] == value
