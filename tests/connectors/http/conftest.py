"""Live-source tests: the Zendesk fake, a fake clock and a runtime with in-process embedder and index."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from groundswell.connectors.http.base import HttpSource
from groundswell.connectors.http.zendesk import ZendeskSource
from groundswell.jobs.ingest import SourceReport, ingest_source
from groundswell.storage.db import session_scope
from groundswell.storage.models import FeedbackUnit
from groundswell.storage.raw import list_current_raw
from sqlmodel import select

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.fakes.http import FakeClock
from tests.fakes.zendesk import EMAIL, TOKEN, FakeZendesk
from tests.jobs.fakes import DictIndex, HashEmbedder


def seeded_zendesk(tickets: int = 12) -> FakeZendesk:
    fake = FakeZendesk(page_size=4, comment_page_size=2)
    fake.organizations[900] = {"id": 900, "name": "Acme", "external_id": "ACC-1"}
    fake.add_user(1, "end-user", "ana@acme.com", "Ana Customer", organization_id=900)
    fake.add_user(2, "agent", "sam@brightloop.io", "Sam Agent")
    for i in range(1, tickets + 1):
        fake.add_ticket(
            i,
            1,
            [(1, f"Export number {i} keeps failing at night"), (2, "Thanks, looking into it"), (1, f"still {i}")],
        )
    return fake


@pytest.fixture
def zendesk() -> Iterator[FakeZendesk]:
    fake = seeded_zendesk()
    with fake.server:
        yield fake
    assert fake.errors == []  # every request matched the documented API


def zendesk_source(fake: FakeZendesk, clock: FakeClock | None = None, **kw) -> ZendeskSource:
    return ZendeskSource(
        base_url=fake.server.url,
        credentials={"email": EMAIL, "token": TOKEN},
        clock=clock or FakeClock(),
        timeout_s=kw.pop("timeout_s", 2.0),
        **kw,
    )


def make_runtime(engine_url: str | None, tmp_path) -> Runtime:
    runtime = Runtime(Settings(data_dir=tmp_path, database_url=engine_url))
    runtime.__dict__["embedder"] = HashEmbedder()
    runtime.__dict__["vectors"] = DictIndex()
    runtime.__dict__["privacy"] = None
    return runtime


def stored_truth(runtime: Runtime, source: str) -> dict[str, list[str]]:
    """External id -> comment bodies of the current, not deleted raw records."""
    with session_scope(runtime.engine) as session:
        rows = list_current_raw(session=session, source=source)
        return {r.external_id: [c["body"] for c in r.payload["comments"]] for r in rows if r.deleted_at is None}


def live_unit_ids(runtime: Runtime) -> set[str]:
    with session_scope(runtime.engine) as session:
        return set(session.exec(select(FeedbackUnit.id).where(FeedbackUnit.deleted_at.is_(None))))


def stored_records(runtime: Runtime, source: str, texts: Callable[[dict], list[str]]) -> dict[str, list[str]]:
    """External id -> ``texts(payload)`` of the current, not deleted raw records of ``source``."""
    with session_scope(runtime.engine) as session:
        rows = list_current_raw(session=session, source=source)
        return {r.external_id: texts(r.payload) for r in rows if r.deleted_at is None}


def crash_after(source: HttpSource, n: int) -> None:
    """Make ``source.poll`` die (RuntimeError "killed") instead of yielding its ``n``-th item."""
    polled = source.poll

    def crashing(checkpoint):
        for count, item in enumerate(polled(checkpoint), start=1):
            if count == n:
                raise RuntimeError("killed")
            yield item

    source.poll = crashing  # type: ignore[method-assign]


def crash_then_resume(runtime: Runtime, make_source: Callable[[], HttpSource], n: int, log: list) -> int:
    """Ingest a source that dies before its ``n``-th item, then a fresh one (same name) to the end; returns
    the position in the fake's request ``log`` where the resumed run started."""
    source = make_source()
    crash_after(source, n)
    crashed = ingest_source(engine=runtime.engine, source=source)  # a crashing source is its own error
    assert crashed.error is not None and "killed" in crashed.error, f"the source ended before its item {n}"
    mark = len(log)
    report = ingest_source(engine=runtime.engine, source=make_source())
    assert report.error is None, report.error
    return mark


def ingest_once(source: HttpSource, tmp_path) -> SourceReport:
    """One ingest of ``source`` into a fresh runtime (for error and drift reports)."""
    return ingest_source(engine=make_runtime(None, tmp_path).engine, source=source)
