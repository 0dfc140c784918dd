"""The spine: raw records → feedback units → embeddings → storage and vectors, idempotently.

Each source is polled from its stored checkpoint; every record is kept verbatim
(a new version when its content changed, a tombstone when deleted), normalised
by its connector, cut into units, linked to people and accounts, and queued for
embedding. A record that cannot be read is stored as rejected and the run goes on.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

from groundswell.core.errors import GroundswellError, MalformedRecord
from groundswell.core.models import (
    AccountDoc,
    ConversationDoc,
    OpportunityDoc,
    PersonDoc,
    RawRecord,
    RecordFailure,
    UnitDraft,
)
from groundswell.core.parsing import split_units, unit_id
from groundswell.core.privacy import Privacy
from groundswell.core.protocols import Checkpoint, FeedbackSource
from groundswell.core.telemetry import NO_TELEMETRY, Telemetry
from groundswell.storage.db import DatabaseError, Engine, Session, as_utc, session_scope
from groundswell.storage.identity import (
    IdentityCache,
    account_id_for_ref,
    person_account,
    resolve_author,
    upsert_account,
    upsert_person,
)
from groundswell.storage.models import FeedbackUnit, RawRecordRow
from groundswell.storage.pipeline import delete_opportunity, upsert_opportunity
from groundswell.storage.privacy import store_pseudonyms
from groundswell.storage.raw import (
    RawOutcome,
    add_rejected,
    ensure_source,
    get_sync_state,
    mark_sync_started,
    save_progress,
    save_sync_state,
    store_raw_record,
)
from groundswell.storage.sources import record_drift
from groundswell.storage.suppression import Suppressions, doc_keys, record_keys
from groundswell.storage.units import UnitChanges, replace_record_units, soft_delete_record_units

__all__ = ["SourceReport", "ingest_source", "normalise", "process_record", "sanitise_text", "unstorable_reason"]

Tick = Callable[[int], None]

# Control characters other than tab/newline/carriage return (NUL first): never stored in unit text or embedded.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_MARKUP = re.compile(r"<[^<>]{0,200}>|&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")


def sanitise_text(text: str) -> str:
    """Unit text fit for storage and embedding: control characters dropped, lone surrogates made U+FFFD."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path or "payload", value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def unstorable_reason(payload: Any, *, nul_ok: bool) -> str | None:
    """Why ``payload`` cannot be stored verbatim (a lone surrogate; NUL where the database refuses it), or None."""
    for where, value in _strings(payload):
        if (match := _SURROGATE.search(value)) is not None:
            return f"payload is not valid Unicode: lone surrogate U+{ord(match.group()):04X} in {where}"
        if not nul_ok and "\x00" in value:
            return f"payload has a NUL character in {where}, which the database cannot store"
    return None


def _escaped(payload: Any) -> str:
    """The payload as ASCII JSON: lossless even for lone surrogates and NUL (``\\ud83d``, ``\\u0000``)."""
    return json.dumps(payload, ensure_ascii=True, sort_keys=True, default=str)


def _has_words(text: str) -> bool:
    """False for markup-only text ("<p><br/></p>&nbsp;"): nothing a customer said."""
    return bool(_MARKUP.sub("", text).strip())


@dataclass
class SourceReport:
    """What one sync of one source did."""

    source: str
    counts: Counter[str] = field(default_factory=Counter)
    units_added: int = 0
    units_changed: int = 0
    removed_unit_ids: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "accepted": self.counts[RawOutcome.NEW],
            "updated": self.counts[RawOutcome.UPDATED],
            "unchanged": self.counts[RawOutcome.UNCHANGED],
            "deleted": self.counts[RawOutcome.DELETED],
            "rejected": self.counts["rejected"],
            "suppressed": self.counts["suppressed"],
            "units_added": self.units_added,
            "units_changed": self.units_changed,
            "units_removed": len(self.removed_unit_ids),
            "error": self.error,
            "seconds": round(self.seconds, 2),
        }


def _protect(session: Session, privacy: Privacy | None, text: str, cache: IdentityCache) -> str:
    """Redact before anything is stored, embedded or indexed; keep encrypted originals in the vault."""
    text = sanitise_text(text)
    if privacy is None:
        return text
    protected = privacy.protect(text)
    if protected.vault_entries:
        store_pseudonyms(session=session, entries=protected.vault_entries, known=cache.pseudonyms)
    return protected.text


def _protect_context(
    session: Session, privacy: Privacy | None, context: dict[str, Any], cache: IdentityCache
) -> dict[str, Any]:
    """The unit's context with its texts redacted; attachment file names too (they often carry a name)."""
    out: dict[str, Any] = {}
    for key, value in context.items():
        if isinstance(value, str):
            value = _protect(session, privacy, value, cache)
        elif key == "attachments":
            value = [{**a, "name": _protect(session, privacy, a["name"], cache)} if a.get("name") else a for a in value]
        out[key] = value
    return out


def _unit_from_draft(
    session: Session, draft: UnitDraft, raw_row: RawRecordRow, cache: IdentityCache, privacy: Privacy | None
) -> FeedbackUnit:
    account_id = account_id_for_ref(session=session, ref=draft.account_ref, cache=cache) if draft.account_ref else None
    person_id = resolve_author(
        session=session, author=draft.author, source=draft.source, account_id=account_id, cache=cache
    )
    if account_id is None and person_id is not None:
        account_id = person_account(session=session, person_id=person_id)
    return FeedbackUnit(
        id=unit_id(draft.source, draft.external_id, draft.message_id, draft.ordinal),
        raw_record_id=raw_row.id,
        source=draft.source,
        external_id=draft.external_id,
        message_id=draft.message_id,
        ordinal=draft.ordinal,
        text=_protect(session, privacy, draft.text, cache),
        text_hash="",
        speaker_role=draft.speaker_role.value,
        channel=draft.channel.value,
        thread_ref=draft.thread_ref,
        context=_protect_context(session, privacy, draft.context, cache),
        char_start=draft.char_start,
        char_end=draft.char_end,
        created_at=as_utc(draft.created_at),
        locale=draft.locale,
        url=draft.url,
        rating=draft.rating,
        score=draft.score,
        person_id=person_id,
        account_id=account_id,
    )


def process_record(
    *,
    session: Session,
    source: FeedbackSource,
    record: RawRecord,
    cache: IdentityCache,
    privacy: Privacy | None = None,
    suppressions: Suppressions | None = None,
    telemetry: Telemetry = NO_TELEMETRY,
) -> tuple[str, UnitChanges]:
    """Store one raw record and bring its units in line with it. Returns the outcome and unit changes.

    Suppressed (outcome ``"suppressed"``, nothing stored, the hit counted on the list): a record of a forgotten
    person, by its key, an email in it, or an identifier of one of its authors.

    Rejected (outcome ``"rejected"``, reason and raw payload kept in ``RejectedRecord``): a payload the database
    cannot hold verbatim (lone surrogates; NUL on PostgreSQL), one the connector cannot normalise, one the splitter
    fails on. Markup-only messages make no unit. ``telemetry`` counts the record (stage ingest) and the units
    redacted (stage redact).
    """
    telemetry.count_processed("ingest", 1)
    nul_ok = session.get_bind().dialect.name != "postgresql"
    if (problem := unstorable_reason(record.payload, nul_ok=nul_ok)) is not None:
        return _reject(session, record, problem, "pipeline")
    doc: AccountDoc | PersonDoc | OpportunityDoc | ConversationDoc | str | None = None
    if suppressions:
        if suppressions.hit(session, record_keys(record)):
            return "suppressed", UnitChanges()
        if not record.deleted:
            doc = normalise(source, record)
            if suppressions.hit(session, doc_keys(doc)):
                return "suppressed", UnitChanges()
    stored = store_raw_record(session=session, record=record)
    if stored.outcome is RawOutcome.UNCHANGED:
        return stored.outcome, UnitChanges()
    if stored.outcome is RawOutcome.DELETED:
        delete_opportunity(session=session, source=record.source, external_id=record.external_id)
        removed = soft_delete_record_units(session=session, source=record.source, external_id=record.external_id)
        return stored.outcome, UnitChanges(removed=removed)
    if doc is None:
        doc = normalise(source, record)
    if isinstance(doc, str):
        return _reject(session, record, doc, "normalize")
    if isinstance(doc, AccountDoc):
        upsert_account(session=session, doc=doc)
        return stored.outcome, UnitChanges()
    if isinstance(doc, PersonDoc):
        upsert_person(session=session, doc=doc, cache=cache)
        return stored.outcome, UnitChanges()
    if isinstance(doc, OpportunityDoc):
        upsert_opportunity(session=session, doc=doc, cache=cache)
        return stored.outcome, UnitChanges()
    try:
        drafts = [draft for draft in split_units(doc) if _has_words(draft.text)]
    except Exception as exc:  # a splitter failure rejects this record only
        return _reject(session, record, _reason(exc), "split")
    units = [_unit_from_draft(session, draft, stored.row, cache, privacy) for draft in drafts]
    if privacy is not None:
        telemetry.count_processed("redact", len(units))
    changes = replace_record_units(
        session=session,
        source=record.source,
        external_id=record.external_id,
        units=units,
        first_version=stored.row.version == 1,
    )
    return stored.outcome, changes


def normalise(
    source: FeedbackSource, record: RawRecord
) -> AccountDoc | PersonDoc | OpportunityDoc | ConversationDoc | str:
    """The connector's document for ``record``, or why it has none: no normaliser failure escapes a record."""
    try:  # a connector failing on a payload it was not built for: rejected with the error, the run goes on
        doc = source.normalize(record)
    except Exception as exc:
        return _reason(exc)
    if not isinstance(doc, AccountDoc | PersonDoc | OpportunityDoc | ConversationDoc):
        return f"connector returned {type(doc).__name__}, not a document"
    if isinstance(doc, ConversationDoc) and (doc.source, doc.external_id) != (record.source, record.external_id):
        # its units would belong to another record (and collide with that record's units)
        return f"document {doc.source}/{doc.external_id} does not match record {record.source}/{record.external_id}"
    return doc


def _reason(exc: Exception) -> str:
    """A connector's own message as is; anything else it raised, with the error type."""
    return str(exc) if isinstance(exc, MalformedRecord) else f"cannot read record ({type(exc).__name__}: {exc})"


def _reject(session: Session, record: RawRecord, reason: str, stage: str) -> tuple[str, UnitChanges]:
    failure = RecordFailure(
        source=record.source, external_id=record.external_id, reason=reason, raw=_escaped(record.payload)
    )
    add_rejected(session=session, failure=failure, stage=stage)
    return "rejected", UnitChanges()


def _load_checkpoint(session: Session, name: str) -> Checkpoint | None:
    state = get_sync_state(session=session, source=name)
    return Checkpoint.model_validate(state.checkpoint) if state.checkpoint else None


def _progress(source: FeedbackSource) -> dict[str, Any] | None:
    """The source's own progress checkpoint (what it fully yielded so far), as JSON, when it offers one."""
    progress = getattr(source, "progress", None)
    return progress.model_dump(mode="json") if isinstance(progress, Checkpoint) else None


def _poll(
    source: FeedbackSource, checkpoint: Checkpoint | None
) -> tuple[Iterable[RawRecord | RecordFailure], list[Checkpoint]]:
    """Iterate a poll generator and capture the checkpoint it returns."""
    box: list[Checkpoint] = []

    def run() -> Iterable[RawRecord | RecordFailure]:
        box.append((yield from source.poll(checkpoint)))

    return run(), box


def ingest_source(
    *,
    engine: Engine,
    source: FeedbackSource,
    privacy: Privacy | None = None,
    channel: str = "other",
    batch_size: int = 500,
    tick: Tick | None = None,
    telemetry: Telemetry = NO_TELEMETRY,
) -> SourceReport:
    """Sync one source from its checkpoint; commits every ``batch_size`` records so a crash loses little;
    every record read is counted in ``telemetry`` (stage ingest)."""
    report = SourceReport(source=source.name)
    started = perf_counter()
    cache = IdentityCache()
    with session_scope(engine) as session:
        ensure_source(
            session=session,
            name=source.name,
            kind=getattr(source, "source_kind", "file"),
            channel=str(getattr(source, "channel", channel)),
            cadence_s=getattr(source, "expected_cadence_s", None),
        )
        mark_sync_started(session=session, source=source.name)
        checkpoint = _load_checkpoint(session, source.name)
        suppressions = Suppressions(session)
        items, returned = _poll(source, checkpoint)
        seen_progress = getattr(source, "progress", None)  # sources replace it (never mutate it) as pages finish
        try:
            for n, item in enumerate(items, start=1):
                report.counts["seen"] += 1
                if isinstance(item, RecordFailure):
                    telemetry.count_processed("ingest", 1)
                    add_rejected(session=session, failure=item)
                    if item.drift:
                        record_drift(
                            session=session, source=source.name, external_id=item.external_id, findings=item.drift
                        )
                    report.counts["rejected"] += 1
                else:
                    outcome, changes = process_record(
                        session=session,
                        source=source,
                        record=item,
                        cache=cache,
                        privacy=privacy,
                        suppressions=suppressions,
                        telemetry=telemetry,
                    )
                    report.counts[outcome] += 1
                    report.units_added += len(changes.added)
                    report.units_changed += len(changes.changed)
                    report.removed_unit_ids += changes.removed
                if getattr(source, "progress", None) is not seen_progress:  # a page is fully yielded:
                    seen_progress = getattr(source, "progress", None)  # persist its checkpoint with what it covers
                    save_progress(session=session, source=source.name, checkpoint=_progress(source) or {})
                    session.commit()
                elif n % batch_size == 0:
                    session.commit()
                if tick:
                    tick(1)
        except Exception as exc:  # one source's failure never stops the others
            # The source failed: keep what was read, and resume from the source's own progress (e.g. the files
            # it finished) when it offers one, so nothing is fetched twice. A database error drops the uncommitted
            # batch first; anything but a source error is reported with its type.
            if isinstance(exc, DatabaseError):
                session.rollback()
            report.error = str(exc) if isinstance(exc, GroundswellError) else f"{type(exc).__name__}: {exc}"
            save_sync_state(
                session=session,
                source=source.name,
                checkpoint=_progress(source),
                counts=dict(report.counts),
                error=report.error,
            )
            report.seconds = perf_counter() - started
            return report
        final = returned[0] if returned else None
        save_sync_state(
            session=session,
            source=source.name,
            checkpoint=final.model_dump(mode="json") if final else None,
            counts=dict(report.counts),
        )
    report.seconds = perf_counter() - started
    return report
