"""Google Play reviews, Delighted responses, Gong calls and Discourse posts, built from record plans."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

from groundswell.demo.catalog import theme_by_id, theme_parent
from groundswell.demo.names import DEVICES
from groundswell.demo.phrasing_chatter import (
    COMMUNITY_CHATTER,
    CUSTOMER_SMALLTALK,
    REP_LINES,
    REVIEW_DEV_REPLIES,
    STAFF_POSTS,
    SURVEY_EMPTY,
)
from groundswell.demo.planning import RecordPlan, Signal
from groundswell.demo.population import Person, slug
from groundswell.demo.sources_support import customer_body, iso
from groundswell.demo.textbuild import Context, TextBuilder

__all__ = ["Delighted", "Discourse", "Gong", "GooglePlay"]

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_STARS = {"negative": (1, 1, 2), "neutral": (3, 3, 4), "positive": (4, 5, 5)}
_NPS = {"negative": range(0, 7), "neutral": range(7, 9), "positive": range(9, 11)}
_CSAT = {"negative": (1, 2), "neutral": (3,), "positive": (4, 5)}
_CALL_KINDS = ("QBR", "Renewal discussion", "Onboarding check-in", "Product feedback session", "Expansion call")


def _millis(at: datetime) -> str:
    return str(int(at.timestamp()) * 1000)


class GooglePlay:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows: list[dict[str, str]] = []

    def review(self, plan: RecordPlan) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        rid = f"gp:AOqpTO{rng.getrandbits(180):045x}"
        b = TextBuilder()
        for i, sig in enumerate(plan.signals):
            if i:
                b.add(" ")
            b.signal(sig)
        text = ctx.record_text("googleplay", rid, rid, b)
        sentiment = plan.signals[0].sentiment if plan.signals else rng.choice(tuple(_STARS))
        name, code = ctx.tl.version_at(plan.at)
        reply_at = plan.at + timedelta(seconds=rng.randrange(3600, 3 * 86_400))
        replied = rng.random() < 0.3 and reply_at < ctx.tl.end
        self.rows.append(
            {
                "Package Name": "io.brightloop.app",
                "App Version Code": str(code),
                "App Version Name": name,
                "Reviewer Language": plan.signals[0].language if plan.signals else "en",
                "Device": rng.choice(DEVICES),
                "Review Submit Date and Time": iso(plan.at),
                "Review Submit Millis Since Epoch": _millis(plan.at),
                "Review Last Update Date and Time": iso(plan.at),
                "Review Last Update Millis Since Epoch": _millis(plan.at),
                "Star Rating": str(rng.choice(_STARS[sentiment])),
                "Review Title": "",
                "Review Text": text,
                "Developer Reply Date and Time": iso(reply_at) if replied else "",
                "Developer Reply Millis Since Epoch": _millis(reply_at) if replied else "",
                "Developer Reply Text": rng.choice(REVIEW_DEV_REPLIES) if replied else "",
                "Review Link": f"https://play.google.com/console/developers/app/reviews?reviewId={rid}",
            }
        )


class Delighted:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows: list[dict[str, str]] = []
        self._people: dict[str, str] = {}

    def response(self, plan: RecordPlan) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        person = plan.person
        assert person is not None
        rid = str(ctx.next_id("dl_response", 48_000_001))
        email = person.email.upper() if rng.random() < 0.05 else person.email
        name = person.full if rng.random() < 0.8 else ""
        if person.id not in self._people:
            self._people[person.id] = str(ctx.next_id("dl_person", 91_000_001))
            ctx.identity("delighted", "person", self._people[person.id], person, name=name, email=email)
        b = TextBuilder()
        if plan.signals:
            customer_body(ctx, plan, b)
        elif not plan.score_only or rng.random() < 0.15:
            b.add(rng.choice(SURVEY_EMPTY))
        comment = ctx.record_text("delighted", rid, rid, b)
        sentiment = plan.signals[0].sentiment if plan.signals else rng.choice(("negative", "neutral", "positive"))
        nps = rng.random() < 0.75
        score = rng.choice(_NPS[sentiment]) if nps else rng.choice(_CSAT[sentiment])
        self.rows.append(
            {
                "Response ID": rid,
                "Person ID": self._people[person.id],
                "Email": email,
                "Name": name,
                "Score": str(score),
                "Comment": comment,
                "Survey Type": "nps" if nps else "csat",
                "Response Timestamp": iso(plan.at),
                "Tags": rng.choice(("", "", "in-app", "email", "q-survey")),
                "Company": person.account_id if person.account_id and rng.random() < 0.85 else "",
            }
        )


class Gong:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.calls: list[dict[str, Any]] = []
        self.reps = [s for s in ctx.pop.staff if s[1] in ("Account Executive", "Customer Success Manager")]

    @staticmethod
    def _party(pid: int, affiliation: str, **fields: Any) -> dict[str, Any]:
        return {"id": str(pid), "speakerId": str(pid + 500), "affiliation": affiliation, **fields}

    def call(self, plan: RecordPlan) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        acct = plan.account
        assert acct is not None and plan.person is not None
        call_id = str(ctx.next_id("gong_call", 7_782_000_000_000_000_001))
        colleagues = [p for p in ctx.pop.people if p.account_id == acct.id and p.id != plan.person.id]
        customers = [plan.person, *rng.sample(colleagues, min(len(colleagues), rng.randint(0, 2)))]
        parties: list[dict[str, Any]] = []
        speakers: list[tuple[str, Person | None, str]] = []  # speakerId, person, role
        context = [{"system": "Salesforce", "objects": [{"objectType": "Account", "objectId": acct.id}]}]
        for name, title, email in rng.sample(self.reps, rng.randint(1, 2)):
            party = self._party(
                ctx.next_id("gong_party", 6_100_000_001),
                "Internal",
                name=name,
                emailAddress=email,
                title=title,
                context=[],
            )
            parties.append(party)
            speakers.append((party["speakerId"], None, "rep"))
        for person in customers:
            email = person.email if rng.random() < 0.8 else None
            party = self._party(
                ctx.next_id("gong_party", 6_100_000_001),
                "External",
                name=person.full,
                emailAddress=email,
                title=person.title,
                context=context,
            )
            parties.append(party)
            speakers.append((party["speakerId"], person, "customer"))
            ctx.identity("gong", "party", party["id"], person, name=person.full, email=email)
        if colleagues and rng.random() < 0.25:  # a dial-in nobody could match: still a customer
            person = rng.choice(colleagues)
            label = person.phone or f"{person.first}'s iPhone"
            party = self._party(
                ctx.next_id("gong_party", 6_100_000_001),
                "Unknown",
                name=label,
                emailAddress=None,
                title=None,
                context=[],
            )
            parties.append(party)
            speakers.append((party["speakerId"], person, "customer"))
            ctx.identity("gong", "party", party["id"], person, name=label, phone=person.phone)
        reps = [s for s in speakers if s[2] == "rep"]
        custs = [s for s in speakers if s[2] == "customer"]
        transcript: list[dict[str, Any]] = []
        clock = [rng.randrange(5_000, 60_000)]

        def say(speaker: tuple[str, Person | None, str], pieces: list[str | Signal], topic: str | None) -> None:
            b = TextBuilder()
            for i, piece in enumerate(pieces):
                if i:
                    b.add(" ")
                if isinstance(piece, Signal):
                    piece.person, piece.at = speaker[1], plan.at + timedelta(milliseconds=clock[0])
                    b.signal(piece)
                else:
                    b.add(piece)
            text = ctx.record_text("gong", call_id, f"{call_id}:{len(transcript)}", b)
            sentences = []
            for sentence in _SENTENCE.split(text):
                length = 300 * max(1, len(sentence.split()))
                sentences.append({"start": clock[0], "end": clock[0] + length, "text": sentence})
                clock[0] += length + rng.randrange(100, 900)
            transcript.append({"speakerId": speaker[0], "topic": topic, "sentences": sentences})
            clock[0] += rng.randrange(500, 4000)

        say(rng.choice(reps), [rng.choice(REP_LINES), rng.choice(REP_LINES)], "Call Setup")
        say(rng.choice(custs), [rng.choice(CUSTOMER_SMALLTALK)], None)
        for sig in plan.signals:
            lead = [rng.choice(CUSTOMER_SMALLTALK)] if rng.random() < 0.3 else []
            say(rng.choice(custs), [*lead, sig], theme_parent(theme_by_id(sig.theme)).name)
            say(rng.choice(reps), [rng.choice(REP_LINES)], None)
        say(rng.choice(reps), ["I'll follow up with a recap email.", "Thanks everyone!"], "Next Steps")
        self.calls.append(
            {
                "metaData": {
                    "id": call_id,
                    "url": f"https://app.gong.io/call?id={call_id}",
                    "title": f"{acct.name} <> Brightloop | {rng.choice(_CALL_KINDS)}",
                    "started": iso(plan.at),
                    "duration": clock[0] // 1000 + rng.randrange(60, 600),
                    "direction": "Conference",
                    "scope": "External",
                    "language": "eng",
                },
                "parties": parties,
                "transcript": transcript,
            }
        )


class Discourse:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.posts: list[dict[str, Any]] = []
        self._users: dict[str, tuple[int, str, str]] = {}
        self.staff = []
        for name, title in (("Luis Navarro", "Community Manager"), ("Emily Watts", "Product Manager")):
            uid = ctx.next_id("dc_user", 2)
            self.staff.append((uid, slug(name).replace("-", "_") + "_bl", name, title == "Product Manager"))

    def _user(self, person: Person) -> tuple[int, str, str]:
        ctx, rng = self.ctx, self.ctx.rng
        if person.id not in self._users:
            uid = ctx.next_id("dc_user", 2)
            roll = rng.random()
            name = "" if roll < 0.2 else person.first if roll < 0.4 else person.typo_name or person.full
            self._users[person.id] = (uid, person.username, name)
            ctx.identity("discourse", "user", str(uid), person, name=name, handle=person.username)
        return self._users[person.id]

    def topic(self, plan: RecordPlan) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        topic_id = ctx.next_id("dc_topic", 1201)
        parent = theme_parent(theme_by_id(plan.signals[0].theme))
        title = rng.choice(parent.subjects) + rng.choice(("", "", "?", f" ({ctx.tl.version_at(plan.at)[0]})", "!"))
        meta = {"topic_id": topic_id, "topic_slug": slug(title) or f"topic-{topic_id}", "topic_title": title}
        self._post(plan, 1, meta, opening=True)
        for number, reply in enumerate(plan.replies, start=2):
            self._post(reply, number, meta, opening=False)

    def _post(self, plan: RecordPlan, number: int, meta: dict[str, Any], *, opening: bool) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        pid = ctx.next_id("dc_post", 30_001)
        b = TextBuilder()
        deleted = None
        if plan.person is None:
            uid, username, name, is_admin = rng.choice(self.staff)
            b.template(rng.choice(STAFF_POSTS), {"user": "there"})
            staff = True
        else:
            uid, username, name = self._user(plan.person)
            is_admin = staff = False
            if plan.signals:
                if opening and rng.random() < 0.4:
                    b.add(rng.choice(("Hi all,", "Hey everyone,", "Hello community!")) + "\n\n")
                customer_body(ctx, plan, b, sep="\n\n")
            else:
                b.add(rng.choice(COMMUNITY_CHATTER))
                deleted = (
                    iso(min(plan.at + timedelta(hours=2), ctx.tl.end - timedelta(minutes=1)))
                    if rng.random() < 0.12
                    else None
                )
        raw = ctx.record_text("discourse", str(pid), str(pid), b)
        cooked = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in raw.split("\n\n"))
        self.posts.append(
            {
                "id": pid,
                "username": username,
                "name": name,
                "created_at": iso(plan.at),
                "updated_at": iso(plan.at),
                "cooked": cooked,
                "raw": raw,
                "post_number": number,
                **meta,
                "user_id": uid,
                "staff": staff,
                "moderator": staff,
                "admin": is_admin,
                "deleted_at": deleted,
            }
        )
