"""Zendesk tickets and Intercom conversations, built from record plans (vendor shapes, see docs/export-formats.md)."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any

from groundswell.demo.catalog import theme_by_id, theme_parent
from groundswell.demo.phrasing_chatter import AGENT_REPLIES, FOLLOWUPS, GREETINGS, INTERNAL_NOTES
from groundswell.demo.phrasing_frames import MIX_CONNECTORS
from groundswell.demo.planning import RecordPlan
from groundswell.demo.population import Account, Person
from groundswell.demo.textbuild import Context, TextBuilder

__all__ = ["Zendesk", "customer_body", "iso", "message_times", "starts_with_greeting"]

_PRIORITY = {"critical": "urgent", "high": "high", "medium": "normal", "low": "low"}
_SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def message_times(ctx: Context, start: datetime, n: int) -> list[datetime]:
    """``n`` increasing times after ``start``, all before the corpus end."""
    limit = min(start + timedelta(days=4), ctx.tl.end - timedelta(minutes=1))
    span = max(60, int((limit - start).total_seconds()))
    return [start + timedelta(seconds=s) for s in sorted(ctx.rng.sample(range(60, span + 60), n))]


def starts_with_greeting(plan: RecordPlan) -> bool:
    return bool(plan.signals) and plan.signals[0].text.lower().startswith(("hi", "hey", "hello"))


def customer_body(ctx: Context, plan: RecordPlan, builder: TextBuilder, *, sep: str = " ") -> None:
    """The signals of the opening message, mixed-topic connectors and maybe a PII sentence."""
    rng = ctx.rng
    tail = ctx.pii_tail(plan.person, plan.account)
    inside = tail is not None and rng.random() < 0.4
    for i, sig in enumerate(plan.signals):
        if i:
            builder.add(sep + rng.choice(MIX_CONNECTORS) + " ")
        builder.signal(sig, tail if inside and i == len(plan.signals) - 1 else None)
    if tail and not inside:
        builder.add(sep)
        builder.template(*tail)


class Zendesk:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.users: list[dict[str, Any]] = []
        self.orgs: dict[str, dict[str, Any]] = {}
        self.tickets: list[dict[str, Any]] = []
        self._user_ids: dict[str, tuple[int, str, int | None]] = {}
        self.agents = []
        for name, title, email in ctx.pop.staff:
            uid = ctx.next_id("zd_user", 380_000_000_001)
            self.users.append(
                {
                    "id": uid,
                    "name": name,
                    "email": email,
                    "phone": None,
                    "role": "admin" if "Lead" in title else "agent",
                    "organization_id": None,
                }
            )
            self.agents.append((uid, name))

    def _org(self, account: Account | None) -> int | None:
        if account is None or self.ctx.rng.random() < 0.04:
            return None
        if account.id not in self.orgs:
            oid = self.ctx.next_id("zd_org", 360_000_100_001)
            ext = account.id if self.ctx.rng.random() < 0.9 else None
            self.orgs[account.id] = {
                "id": oid,
                "name": account.name,
                "domain_names": list(account.domains),
                "external_id": ext,
            }
        return self.orgs[account.id]["id"]

    def _user(self, person: Person, account: Account | None) -> tuple[int, str, int | None]:
        ctx, rng = self.ctx, self.ctx.rng
        shared = person.shared_inbox if person.shared_inbox and rng.random() < 0.7 else None
        key = shared or person.id
        if key not in self._user_ids:
            uid = ctx.next_id("zd_user", 380_000_000_001)
            if shared:
                name, email, who = f"{shared.split('@')[0].title()} Team", shared, None
            else:
                name = person.typo_name if person.typo_name and rng.random() < 0.5 else person.full
                local, domain = person.email.split("@")
                roll = rng.random()
                email = (
                    f"{local}+support@{domain}"
                    if roll < 0.08
                    else person.email.title()
                    if roll < 0.18
                    else person.secondary_email
                    if roll < 0.24 and person.secondary_email
                    else person.email
                )
                who = person
            org_id = self._org(account)
            self.users.append(
                {
                    "id": uid,
                    "name": name,
                    "email": email,
                    "phone": None if shared else person.phone,
                    "role": "end-user",
                    "organization_id": org_id,
                }
            )
            ctx.identity(
                "zendesk",
                "user",
                str(uid),
                who,
                name=name,
                email=email,
                phone=None if shared else person.phone,
                account_id=account.id if account else None,
            )
            self._user_ids[key] = (uid, name, org_id)
        return self._user_ids[key]

    def ticket(self, plan: RecordPlan) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        assert plan.person is not None
        tid = ctx.next_id("zd_ticket", 10_001)
        requester, req_name, org_id = self._user(plan.person, plan.account)
        agent_id, agent_name = rng.choice(self.agents[:5] + self.agents[-1:])
        theme = theme_by_id(plan.signals[0].theme)
        team = theme_parent(theme).owner
        first = plan.person.first
        steps: list[tuple[int, bool, str]] = []  # author, public, kind
        steps.append((agent_id, True, "agent"))
        if rng.random() < 0.4:
            steps.append((agent_id, False, "note"))
        if plan.followup or rng.random() < 0.6:
            steps.append((requester, True, "followup"))
            if rng.random() < 0.3:
                steps.append((agent_id, True, "agent"))
        times = [plan.at, *message_times(ctx, plan.at, len(steps))]
        comments = []
        opening = TextBuilder()
        if rng.random() < 0.8 and not starts_with_greeting(plan):
            opening.add(rng.choice(GREETINGS) + "\n\n")
        customer_body(ctx, plan, opening)
        opening.add("\n\n")
        ctx.signoff(opening, plan.person, plan.account, req_name if "Team" not in req_name else plan.person.full)
        comments.append(self._comment(tid, requester, True, times[0], opening))
        pending_followup = list(plan.followup)  # written once; plan.followup stays for the truth file
        for (author, public, kind), at in zip(steps, times[1:], strict=True):
            b = TextBuilder()
            if kind == "agent":
                b.template(
                    rng.choice(AGENT_REPLIES),
                    {"first": first, "agent": agent_name, "team": team, "n": str(rng.randrange(1000, 9999))},
                )
            elif kind == "note":
                b.add(
                    rng.choice(INTERNAL_NOTES).format(
                        team=team,
                        n=rng.randrange(1000, 9999),
                        plan=plan.account.current["Plan__c"] if plan.account else "?",
                    )
                )
            elif pending_followup:
                for sig in pending_followup:
                    sig.at = at
                    b.add(rng.choice(("Also, ", "One more thing: ", "Oh and ")))
                    b.signal(sig)
                pending_followup = []
            else:
                b.add(rng.choice(FOLLOWUPS))
            comments.append(self._comment(tid, author, public, at, b))
        worst = max((s.severity for s in plan.signals), key=_SEVERITY_RANK.__getitem__)
        age = ctx.tl.end - times[-1]
        status = (
            rng.choice(("solved", "closed"))
            if age > timedelta(days=3) and steps[-1][0] == agent_id
            else rng.choice(("open", "pending", "hold", "new"))
        )
        self.tickets.append(
            {
                "id": tid,
                "url": f"https://brightloop.zendesk.com/api/v2/tickets/{tid}.json",
                "subject": rng.choice(theme_parent(theme).subjects),
                "description": comments[0]["body"],
                "status": status,
                "priority": _PRIORITY[worst] if rng.random() < 0.8 else None,
                "requester_id": requester,
                "organization_id": org_id,
                "tags": sorted({rng.choice(theme.aliases).replace(" ", "_")} if rng.random() < 0.5 else set()),
                "via": {"channel": rng.choice(("email", "email", "web", "api"))},
                "created_at": iso(times[0]),
                "updated_at": iso(times[-1]),
                "comments": comments,
            }
        )

    def _comment(self, tid: int, author: int, public: bool, at: datetime, b: TextBuilder) -> dict[str, Any]:
        cid = self.ctx.next_id("zd_comment", 36_000_000_000_001)
        body = self.ctx.record_text("zendesk", str(tid), str(cid), b)
        paras = "".join(f"<p>{html.escape(p, quote=False).replace(chr(10), '<br>')}</p>" for p in body.split("\n\n"))
        return {
            "id": cid,
            "type": "Comment",
            "author_id": author,
            "body": body,
            "html_body": f'<div class="zd-comment" dir="auto">{paras}</div>',
            "public": public,
            "created_at": iso(at),
        }

    def tombstone(self, at: datetime) -> None:
        tid = self.ctx.next_id("zd_ticket", 10_001)
        self.tickets.append(
            {
                "id": tid,
                "url": f"https://brightloop.zendesk.com/api/v2/tickets/{tid}.json",
                "subject": "[SPAM] Cheap SEO services",
                "description": "",
                "status": "deleted",
                "priority": None,
                "requester_id": None,
                "organization_id": None,
                "tags": [],
                "via": {"channel": "email"},
                "created_at": iso(at),
                "updated_at": iso(at),
                "comments": [],
            }
        )
