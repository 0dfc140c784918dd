from datetime import UTC, datetime

from groundswell.core.models import RawRecord
from groundswell.storage.db import session_scope
from groundswell.storage.models import FeedbackUnit
from groundswell.storage.raw import ensure_source, store_raw_record
from groundswell.storage.units import (
    get_units,
    mark_embedded,
    replace_record_units,
    soft_delete_record_units,
    units_needing_embedding,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _unit(raw_id: int, uid: str, text: str) -> FeedbackUnit:
    return FeedbackUnit(
        id=uid,
        raw_record_id=raw_id,
        source="zendesk",
        external_id="7",
        message_id=uid,
        text=text,
        text_hash="",
        thread_ref="zendesk:7",
        created_at=NOW,
    )


def _raw(session) -> int:
    ensure_source(session=session, name="zendesk")
    return store_raw_record(
        session=session, record=RawRecord(source="zendesk", external_id="7", kind="ticket", payload={})
    ).row.id


def test_replace_adds_changes_and_removes(engine):
    with session_scope(engine) as session:
        raw = _raw(session)
        first = replace_record_units(
            session=session,
            source="zendesk",
            external_id="7",
            units=[_unit(raw, "u1", "export fails"), _unit(raw, "u2", "sso broken")],
        )
        assert sorted(first.added) == ["u1", "u2"]
    with session_scope(engine) as session:
        again = replace_record_units(
            session=session,
            source="zendesk",
            external_id="7",
            units=[_unit(raw, "u1", "export fails"), _unit(raw, "u2", "sso broken")],
        )
        assert (again.added, again.changed, again.removed) == ([], [], [])
        edited = replace_record_units(
            session=session, source="zendesk", external_id="7", units=[_unit(raw, "u1", "export fails every night")]
        )
        assert (edited.changed, edited.removed) == (["u1"], ["u2"])
    with session_scope(engine) as session:
        assert [row.unit.id for row in get_units(session=session, ids=["u1", "u2"])] == ["u1"]
        assert len(get_units(session=session, ids=["u1", "u2"], include_deleted=True)) == 2


def test_embedding_queue_and_deletion(engine):
    with session_scope(engine) as session:
        raw = _raw(session)
        replace_record_units(
            session=session, source="zendesk", external_id="7", units=[_unit(raw, "u1", "a"), _unit(raw, "u2", "b")]
        )
    with session_scope(engine) as session:
        assert {u.id for u in units_needing_embedding(session=session, limit=10)} == {"u1", "u2"}
        mark_embedded(session=session, ids=["u1"])
    with session_scope(engine) as session:
        assert [u.id for u in units_needing_embedding(session=session, limit=10)] == ["u2"]
        assert sorted(soft_delete_record_units(session=session, source="zendesk", external_id="7")) == ["u1", "u2"]
    with session_scope(engine) as session:
        assert units_needing_embedding(session=session, limit=10) == []
