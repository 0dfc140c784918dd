from groundswell.core.models import RawRecord, RecordFailure
from groundswell.storage.db import session_scope
from groundswell.storage.models import RawRecordRow, RejectedRecord
from groundswell.storage.raw import (
    RawOutcome,
    add_rejected,
    ensure_source,
    get_current_raw,
    get_sync_state,
    save_sync_state,
    store_raw_record,
)
from sqlmodel import select


def _record(body: str = "hello", deleted: bool = False) -> RawRecord:
    return RawRecord(source="zendesk", external_id="42", kind="ticket", payload={"body": body}, deleted=deleted)


def _store(engine, record):
    with session_scope(engine) as session:
        ensure_source(session=session, name="zendesk")
        return store_raw_record(session=session, record=record).outcome


def test_new_unchanged_updated_deleted_lifecycle(engine):
    assert _store(engine, _record()) is RawOutcome.NEW
    assert _store(engine, _record()) is RawOutcome.UNCHANGED
    assert _store(engine, _record("edited")) is RawOutcome.UPDATED
    assert _store(engine, _record("edited", deleted=True)) is RawOutcome.DELETED
    assert _store(engine, _record("edited", deleted=True)) is RawOutcome.UNCHANGED
    with session_scope(engine) as session:
        rows = list(session.exec(select(RawRecordRow).order_by(RawRecordRow.version)))
        assert [r.version for r in rows] == [1, 2]
        assert [r.is_current for r in rows] == [False, True]
        assert rows[0].payload == {"body": "hello"}  # the old version is kept verbatim
        current = get_current_raw(session=session, source="zendesk", external_id="42")
        assert current is not None and current.deleted_at is not None


def test_tombstone_with_new_content_is_a_new_deleted_version(engine):
    _store(engine, _record())
    assert _store(engine, _record("gone", deleted=True)) is RawOutcome.DELETED
    with session_scope(engine) as session:
        current = get_current_raw(session=session, source="zendesk", external_id="42")
        assert current.version == 2 and current.deleted_at is not None


def test_rejected_records_keep_reason_and_raw_text(engine):
    with session_scope(engine) as session:
        ensure_source(session=session, name="zendesk")
        add_rejected(
            session=session,
            failure=RecordFailure(source="zendesk", external_id=None, reason="bad json at line 3", raw="{oops"),
        )
    with session_scope(engine) as session:
        row = session.exec(select(RejectedRecord)).one()
        assert (row.reason, row.raw, row.stage) == ("bad json at line 3", "{oops", "connector")


def test_sync_state_keeps_checkpoint_and_errors(engine):
    with session_scope(engine) as session:
        ensure_source(session=session, name="zendesk")
        save_sync_state(
            session=session,
            source="zendesk",
            checkpoint={"cursor": "a"},
            counts={RawOutcome.NEW: 3, "seen": 4, "rejected": 1},
        )
        save_sync_state(session=session, source="zendesk", checkpoint=None, counts={}, error="credentials expired")
    with session_scope(engine) as session:
        state = get_sync_state(session=session, source="zendesk")
        assert state.checkpoint == {"cursor": "a"}
        assert (state.accepted, state.records_seen, state.rejected) == (3, 4, 1)
        assert state.last_error == "credentials expired" and state.last_success_at is not None
