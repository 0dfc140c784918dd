"""Reads the demo exports back, independently of the generator: message plain texts by id."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path
from typing import Any

_TAG = re.compile(r"<[^>]+>")


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    text = raw[2:].decode("utf-16-le") if raw.startswith(b"\xff\xfe") else raw.decode("utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _plain(body: str) -> str:
    return html.unescape(_TAG.sub("", body))


def messages(root: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(source, external_id, message_id) -> (plain text, author kind: customer|staff|bot)."""
    out: dict[tuple[str, str, str], tuple[str, str]] = {}
    agents = {u["id"] for u in jsonl(root / "zendesk" / "users.jsonl") if u["role"] != "end-user"}
    for t in jsonl(root / "zendesk" / "tickets.jsonl"):
        for c in t["comments"]:
            who = "staff" if c["author_id"] in agents else "customer"
            out["zendesk", str(t["id"]), str(c["id"])] = (c["body"], who)
    for conv in jsonl(root / "intercom" / "conversations.jsonl"):
        src = conv["source"]
        out["intercom", conv["id"], src["id"]] = (_plain(src["body"]), "customer")
        for part in conv["conversation_parts"]["conversation_parts"]:
            if part["body"] is not None:
                kind = part["author"]["type"]
                who = "customer" if kind in ("user", "lead") else "bot" if kind == "bot" else "staff"
                out["intercom", conv["id"], part["id"]] = (_plain(part["body"]), who)
    for path in sorted((root / "googleplay").glob("*.csv")):
        for row in csv_rows(path)[1]:
            rid = row["Review Link"].split("reviewId=")[1]
            out["googleplay", rid, rid] = (row["Review Text"], "customer")
    for row in csv_rows(root / "delighted" / "responses.csv")[1]:
        out["delighted", row["Response ID"], row["Response ID"]] = (row["Comment"], "customer")
    for call in jsonl(root / "gong" / "calls.jsonl"):
        cid = call["metaData"]["id"]
        affiliation = {p["speakerId"]: p["affiliation"] for p in call["parties"]}
        for i, mono in enumerate(call["transcript"]):
            text = " ".join(s["text"] for s in mono["sentences"])
            who = "staff" if affiliation[mono["speakerId"]] == "Internal" else "customer"
            out["gong", cid, f"{cid}:{i}"] = (text, who)
    for post in jsonl(root / "discourse" / "posts.jsonl"):
        out["discourse", str(post["id"]), str(post["id"])] = (post["raw"], "staff" if post["staff"] else "customer")
    return out
