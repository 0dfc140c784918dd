"""Re-key of 16-bit pseudonyms on SQLite and PostgreSQL: every store rewritten, reveal and forget still work,
a second run changes nothing, erased and foreign-key entries are left alone."""

from __future__ import annotations

import groundswell.core.privacy.redact as redact
import pytest
from groundswell.core.privacy import PiiDetector, Privacy, Redactor, Vault
from groundswell.core.privacy.reveal import TOKEN, is_legacy, reveal_text
from groundswell.jobs.forget import forget
from groundswell.jobs.ingest import ingest_source
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.forget import ForgetRequest
from groundswell.storage.models import FeedbackUnit, PseudonymEntry
from groundswell.storage.privacy import get_ciphertexts
from groundswell.storage.rekey import needs_rekey, rekey_if_needed, rekey_pseudonyms
from groundswell.storage.scrub import is_text
from groundswell.storage.units import text_hash
from sqlalchemy import Text, cast, select, update
from sqlmodel import SQLModel
from sqlmodel import select as model_select

from tests.jobs.fakes import DictIndex
from tests.storage.forget_data import ANA_EMAIL, ANA_NAME, ANA_PHONE, add_copies, corpus

KEY = b"rekey-test-key"


def _privacy() -> Privacy:
    detector = PiiDetector(known_names=[ANA_NAME, "Ben Okafor"])
    return Privacy(redactor=Redactor(detector, KEY), vault=Vault(KEY))


def _legacy_corpus(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """What an older version stored: 4-hex tokens everywhere, vault rows of scheme 1."""
    with monkeypatch.context() as patch:
        patch.setattr(redact, "TOKEN_HEX", redact.LEGACY_HEX)
        report = ingest_source(engine=engine, source=corpus(), privacy=_privacy())
    assert report.error is None
    add_copies(engine)  # a Slack answer quoting a unit, a ticket, a draft, an audit event...
    with session_scope(engine) as session:
        session.execute(update(PseudonymEntry).values(scheme=1))


def _tokens_everywhere(engine) -> dict[str, set[str]]:
    """Every pseudonym in every text/JSON column (primary keys included), by table."""
    found: dict[str, set[str]] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for column in (c for c in table.columns if is_text(c)):
                for (value,) in connection.execute(select(cast(column, Text))):
                    for token in TOKEN.findall(value or ""):
                        found.setdefault(table.name, set()).add(token)
    return found


def _revealed(engine) -> dict[str, str]:
    vault = Vault(KEY)
    with session_scope(engine) as session:
        units = session.exec(model_select(FeedbackUnit)).all()
        shown = {}
        for unit in units:
            tokens = TOKEN.findall(unit.text)
            originals = {t: vault.decrypt(c) for t, c in get_ciphertexts(session=session, tokens=tokens).items()}
            shown[unit.id] = reveal_text(unit.text, originals)
    return shown


def test_rekey_rewrites_every_store_and_keeps_reveal_working(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    _legacy_corpus(engine, monkeypatch)
    before = _tokens_everywhere(engine)
    assert {"feedback_unit", "pseudonym", "slack_answer"} <= set(before)
    assert all(is_legacy(t) for tokens in before.values() for t in tokens)
    shown = _revealed(engine)
    assert any(ANA_NAME in text and ANA_PHONE in text for text in shown.values())

    with session_scope(engine) as session:
        assert needs_rekey(session)
        outcome = rekey_pseudonyms(session=session, key=KEY)
    assert len(outcome.mapping) == len(before["pseudonym"]) and not outcome.unreadable
    assert outcome.rows["feedback_unit.text"] >= 1 and outcome.rows["slack_answer.answer"] == 1

    after = _tokens_everywhere(engine)
    assert after and not any(is_legacy(t) for tokens in after.values() for t in tokens)
    assert set(after) == set(before)
    assert _revealed(engine) == shown  # every unit reveals to exactly what it did

    with session_scope(engine) as session:  # a re-sync under the new scheme writes the same text (no re-embed)
        units = session.exec(model_select(FeedbackUnit)).all()
        assert all(u.text_hash == text_hash(u.text) for u in units)
        texts = {u.id: u.text for u in units}
        assert not needs_rekey(session)
        again = rekey_pseudonyms(session=session, key=KEY)
    assert again.mapping == {} and not again.rows
    report = ingest_source(engine=engine, source=corpus(), privacy=_privacy())
    assert report.error is None
    with session_scope(engine) as session:
        assert {u.id: u.text for u in session.exec(model_select(FeedbackUnit))} == texts
    assert _tokens_everywhere(engine) == after


def test_forget_finds_rekeyed_pseudonyms(engine, monkeypatch: pytest.MonkeyPatch) -> None:
    _legacy_corpus(engine, monkeypatch)
    assert rekey_if_needed(engine, lambda: KEY) is not None
    receipt = forget(
        engine=engine, index=DictIndex(), vault=Vault(KEY), request=ForgetRequest(emails=(ANA_EMAIL,)), actor="dpo"
    )
    assert receipt.counts["pseudonym"] >= 2  # her name and phone
    with session_scope(engine) as session:
        originals = [Vault(KEY).decrypt(e.ciphertext) for e in session.exec(model_select(PseudonymEntry))]
    assert ANA_NAME not in originals and ANA_PHONE not in originals


def test_erased_and_unreadable_entries_are_left_as_they_are(engine) -> None:
    now = utcnow()
    with session_scope(engine) as session:
        erased = PseudonymEntry(token="<EMAIL_19c2>", entity_type="EMAIL", created_at=now, erased_at=now, scheme=1)
        foreign = Vault(b"another-key").encrypt("x@example.com")
        unreadable = PseudonymEntry(token="<EMAIL_7f3a>", entity_type="EMAIL", ciphertext=foreign, created_at=now)
        unreadable.scheme = 1
        session.add_all([erased, unreadable])
    with session_scope(engine) as session:
        outcome = rekey_pseudonyms(session=session, key=KEY)
    assert outcome.mapping == {} and outcome.erased == 1 and outcome.unreadable == ["<EMAIL_7f3a>"]
    with session_scope(engine) as session:
        rows = {e.token: e.scheme for e in session.exec(model_select(PseudonymEntry))}
    assert rows == {"<EMAIL_19c2>": 2, "<EMAIL_7f3a>": 1}


def test_nothing_to_rekey_does_not_read_the_key(engine) -> None:
    def no_key() -> bytes:
        raise AssertionError("the key is read only when there is something to re-key")

    assert rekey_if_needed(engine, no_key) is None
