"""A small corpus with one person to forget (Ana) and one to keep (Ben), plus copies of Ana's data elsewhere."""

from __future__ import annotations

from groundswell.core.models import RecordFailure
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import AuditEvent, FeedbackUnit, LlmLabelCache, SlackAnswer, Ticket, TicketDraftRow
from groundswell.storage.raw import add_rejected
from sqlalchemy import Engine, Text, cast, func, or_, select
from sqlmodel import SQLModel
from sqlmodel import select as model_select

from tests.jobs.fakes import ListSource, ticket

ANA_EMAIL, ANA_NAME, ANA_PHONE = "ana.lopez@acme-corp.example", "Ana Lopez", "+1 415 555 0100"
ANA_TRACES = ("ana.lopez", "lopez", "415 555 0100", "4155550100")
BEN_EMAIL = "ben.okafor@other.example"


def corpus() -> ListSource:
    return ListSource(
        [
            ticket(
                "1",
                ("customer", f"Login fails since Monday, call me on {ANA_PHONE} or ask {ANA_NAME} in finance"),
                email=ANA_EMAIL,
                name=ANA_NAME,
            ),
            ticket("2", ("customer", "Exports time out every night"), email=ANA_EMAIL, name=ANA_NAME),
            ticket("3", ("customer", "The CSV export is slow for us too"), email=BEN_EMAIL, name="Ben Okafor"),
        ]
    )


def add_copies(engine: Engine) -> None:
    """Copies the product makes: a Slack answer quoting Ana's unit, a ticket and draft, an audit event, a cache."""
    with session_scope(engine) as session:
        unit = session.exec(model_select(FeedbackUnit).where(FeedbackUnit.external_id == "1")).first()
        now = utcnow()
        quote = {"unit_id": unit.id, "text": unit.text, "source": "tickets"}
        session.add(
            SlackAnswer(
                id="a1",
                team_id="T",
                channel_id="C",
                user_id="U",
                question=f"what did {ANA_NAME} say?",
                headline="1 customer",
                answer={"text": "Login fails [1]", "quotes": [quote], "unit_ids": [unit.id]},
                created_at=now,
            )
        )
        session.add(
            TicketDraftRow(idempotency_key="k1", title="Login", draft={"description": ANA_EMAIL}, created_at=now)
        )
        session.add(
            Ticket(
                tracker="local",
                title="Login fails",
                description=f"reported by {ANA_EMAIL}",
                idempotency_key="t1",
                unit_ids=[unit.id],
                created_at=now,
                updated_at=now,
            )
        )
        session.add(
            AuditEvent(actor="dpo", action="privacy.reveal", target=unit.id, details={"who": ANA_NAME}, created_at=now)
        )
        bad = RecordFailure(source="tickets", external_id="99", reason="bad", raw=f'{{"from": "{ANA_EMAIL}"}}')
        add_rejected(session=session, failure=bad)  # never made a unit: found by value only
        session.add(
            LlmLabelCache(
                key="x" * 64,
                model="m",
                prompt_version="1",
                taxonomy_version=1,
                labels={"rationale": ANA_NAME},
                created_at=now,
            )
        )


def residues(engine: Engine, needles: tuple[str, ...]) -> list[tuple[str, str]]:
    """(table, column) of every value, any column type cast to text, that still holds one of ``needles``
    (case-insensitive)."""
    found = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                haystack = func.lower(cast(column, Text))
                hit = connection.execute(
                    select(func.count()).select_from(table).where(or_(*[haystack.contains(n) for n in needles]))
                ).scalar_one()
                if hit:
                    found.append((table.name, column.name))
    return found
