"""Intercom conversations (REST API 2.14 shape): user/lead opening message, bot, admin replies, notes."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from groundswell.demo.catalog import theme_by_id, theme_parent
from groundswell.demo.phrasing_chatter import ADMIN_CHAT, BOT_LINES, CHAT_SIGNOFFS, FOLLOWUPS, INTERNAL_NOTES
from groundswell.demo.planning import RecordPlan
from groundswell.demo.population import Person
from groundswell.demo.sources_support import customer_body, message_times, starts_with_greeting
from groundswell.demo.textbuild import Context, TextBuilder

__all__ = ["Intercom"]

_TAGS = ("bug", "billing", "feature-request", "vip", "how-to", "mobile", "escalated")
_CHAT_GREETINGS = ("hi!", "Hey", "Hello", "hi there", "Hey team", "Hi,")


def _author(kind: str, aid: str, name: str | None, email: str | None) -> dict[str, Any]:
    return {"type": kind, "id": aid, "name": name, "email": email}


def _html(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>"


class Intercom:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.conversations: list[dict[str, Any]] = []
        self._contacts: dict[str, dict[str, Any]] = {}
        self.admins = [
            _author("admin", str(4_400_000 + i), name, email) for i, (name, _t, email) in enumerate(ctx.pop.staff[:6])
        ]
        self.bot = _author("bot", "4399999", "Fin", None)

    def _contact(self, person: Person) -> dict[str, Any]:
        ctx, rng = self.ctx, self.ctx.rng
        if person.id not in self._contacts:
            cid = f"{rng.getrandbits(96):024x}"
            lead = person.account_id is None and rng.random() < 0.5
            email = person.personal_email if person.personal_email and rng.random() < 0.6 else person.email
            if rng.random() < 0.1:
                email = email[:1].upper() + email[1:]
            roll = rng.random()
            name = person.first if roll < 0.15 else person.typo_name if person.typo_name and roll < 0.5 else person.full
            ext = None if lead else f"usr_{rng.getrandbits(40):010x}"
            self._contacts[person.id] = {
                "id": cid,
                "external_id": ext,
                "type": "lead" if lead else "user",
                "name": name,
                "email": email,
            }
            ctx.identity("intercom", "contact", cid, person, name=name, email=email, handle=ext)
        return self._contacts[person.id]

    def _part(self, kind: str, author: dict[str, Any], at: datetime, b: TextBuilder | None, conv: str) -> dict:
        pid = str(self.ctx.next_id("ic_part", 21_000_000_001))
        body = _html(self.ctx.record_text("intercom", conv, pid, b)) if b is not None else None
        return {
            "type": "conversation_part",
            "id": pid,
            "part_type": kind,
            "body": body,
            "created_at": int(at.timestamp()),
            "author": author,
        }

    def conversation(self, plan: RecordPlan) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        assert plan.person is not None
        contact = self._contact(plan.person)
        conv = str(ctx.next_id("ic_conv", 215_000_000_001))
        user = _author(contact["type"], contact["id"], contact["name"], contact["email"])
        admin = rng.choice(self.admins)
        team = theme_parent(theme_by_id(plan.signals[0].theme)).owner
        first = plan.person.first
        steps = ["bot"] if rng.random() < 0.45 else []
        steps += ["assignment", "admin"]
        if rng.random() < 0.25:
            steps.append("note")
        if plan.followup or rng.random() < 0.55:
            steps += ["user", "admin"] if rng.random() < 0.4 else ["user"]
        if rng.random() < 0.7:
            steps.append("close")
        times = message_times(ctx, plan.at, len(steps))
        opening = TextBuilder()
        if rng.random() < 0.6 and not starts_with_greeting(plan):
            opening.add(rng.choice(_CHAT_GREETINGS) + " ")
        customer_body(ctx, plan, opening)
        signoff = rng.choice(CHAT_SIGNOFFS).format(first=first)
        if signoff:
            opening.add(" ")
            opening.add(signoff, "person_name" if first in signoff else None)
        source_id = str(ctx.next_id("ic_msg", 1_900_000_001))
        body = _html(ctx.record_text("intercom", conv, source_id, opening))
        parts = []
        pending_followup = list(plan.followup)  # written once; plan.followup stays for the truth file
        for step, at in zip(steps, times, strict=True):
            b = TextBuilder()
            if step == "bot":
                parts.append(self._part("comment", self.bot, at, self._fill(b, rng.choice(BOT_LINES), first), conv))
            elif step in ("assignment", "close"):
                parts.append(self._part(step, admin, at, None, conv))
            elif step == "admin":
                parts.append(self._part("comment", admin, at, self._fill(b, rng.choice(ADMIN_CHAT), first, team), conv))
            elif step == "note":
                b.add(rng.choice(INTERNAL_NOTES).format(team=team, n=rng.randrange(1000, 9999), plan="their plan"))
                parts.append(self._part("note", admin, at, b, conv))
            elif pending_followup:
                for sig in pending_followup:
                    sig.at = at
                    b.add(rng.choice(("also ", "Oh and ", "Another thing: ")))
                    b.signal(sig)
                pending_followup = []
                parts.append(self._part("comment", user, at, b, conv))
            else:
                b.add(rng.choice(FOLLOWUPS))
                parts.append(self._part("comment", user, at, b, conv))
        closed = bool(steps) and steps[-1] == "close"
        self.conversations.append(
            {
                "type": "conversation",
                "id": conv,
                "created_at": int(plan.at.timestamp()),
                "updated_at": int((times[-1] if times else plan.at).timestamp()),
                "title": None
                if rng.random() < 0.8
                else rng.choice(theme_parent(theme_by_id(plan.signals[0].theme)).subjects),
                "state": "closed" if closed else rng.choice(("open", "snoozed")),
                "source": {
                    "type": "conversation",
                    "id": source_id,
                    "delivered_as": "customer_initiated",
                    "subject": "",
                    "body": body,
                    "author": user,
                    "url": rng.choice(
                        (None, "https://app.brightloop.io/dashboards", "https://app.brightloop.io/workflows")
                    ),
                },
                "contacts": {
                    "type": "contact.list",
                    "contacts": [{"type": "contact", "id": contact["id"], "external_id": contact["external_id"]}],
                },
                "conversation_parts": {
                    "type": "conversation_part.list",
                    "conversation_parts": parts,
                    "total_count": len(parts),
                },
                "tags": {
                    "type": "tag.list",
                    "tags": [
                        {"type": "tag", "id": str(7_000 + _TAGS.index(t)), "name": t}
                        for t in sorted(rng.sample(_TAGS, rng.choice((0, 0, 1, 2))))
                    ],
                },
            }
        )

    @staticmethod
    def _fill(b: TextBuilder, template: str, first: str, team: str = "product team") -> TextBuilder:
        b.template(template, {"first": first, "team": team, "n": "4121"})
        return b
