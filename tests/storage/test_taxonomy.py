"""Taxonomy versions, the proposal queue and resumable reprocessing, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from groundswell.core.errors import StorageError
from groundswell.core.taxonomy import Taxonomy, ThemeDef, merge, rename, split
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import Classification
from groundswell.storage.taxonomy import (
    add_proposal,
    decide_proposal,
    get_taxonomy,
    latest_version,
    list_proposals,
    list_versions,
    migration_between,
    proposal_of,
    save_taxonomy,
)
from groundswell.storage.taxonomy_reprocess import classifications_to_migrate, reprocess_batch, reprocess_state
from sqlalchemy import Engine
from sqlmodel import select

from tests.storage.test_identity_events import make_unit

SEED = Taxonomy(
    1,
    (
        ThemeDef("auth", "Authentication", owner_team="Identity"),
        ThemeDef("auth.sso", "SSO", parent_key="auth", aliases=("okta",)),
        ThemeDef("auth.mfa", "MFA codes", parent_key="auth"),
        ThemeDef("export", "Export"),
    ),
)


def test_versions_are_saved_loaded_and_listed(engine: Engine) -> None:
    with session_scope(engine) as session:
        assert get_taxonomy(session=session) is None and latest_version(session=session) is None
        v1 = save_taxonomy(session=session, taxonomy=SEED, created_by="ana", note="seed")
        v2, mig = rename(v1, "auth.sso", "Single sign-on")
        save_taxonomy(session=session, taxonomy=v2, migration=mig, created_by="ana")
    with session_scope(engine) as session:
        assert get_taxonomy(session=session, version=1) == SEED
        latest = get_taxonomy(session=session)
        assert latest is not None and latest.version == 2 and latest.get("auth.sso").name == "Single sign-on"
        versions = list_versions(session=session)
        assert [(v.version, v.parent_version, v.migration["edit"]) for v in versions] == [
            (1, None, "import"),
            (2, 1, "rename"),
        ]
        assert get_taxonomy(session=session, version=9) is None
        with pytest.raises(StorageError, match="latest is 2"):
            save_taxonomy(session=session, taxonomy=v2, migration=mig)  # a stale edit


def test_proposal_queue(engine: Engine) -> None:
    with session_scope(engine) as session:
        small = add_proposal(session=session, name="webhook / retry", terms=["webhook", "retry"], size=12)
        big = add_proposal(
            session=session,
            name="invoice / vat",
            terms=["invoice"],
            example_unit_ids=["u1"],
            examples=["vat missing on invoice"],
            size=40,
            suggested_parent="export",
            taxonomy_version=1,
        )
        assert [p.id for p in list_proposals(session=session)] == [big.id, small.id]
        decide_proposal(session=session, proposal_id=big.id, status="accepted", actor="ana", theme_key="export.vat")
        assert [p.id for p in list_proposals(session=session)] == [small.id]
        assert [p.status for p in list_proposals(session=session, status=None)] == ["accepted", "pending"]
        assert proposal_of(big).suggested_parent == "export" and proposal_of(big).examples == (
            "vat missing on invoice",
        )
        with pytest.raises(StorageError, match="already accepted"):
            decide_proposal(session=session, proposal_id=big.id, status="rejected", actor="tom")
        with pytest.raises(StorageError, match="no theme proposal 999"):
            decide_proposal(session=session, proposal_id=999, status="rejected", actor="tom")


def _classify(session, unit_id: str, theme: str, sub: str | None) -> None:
    make_unit(session, unit_id, None)
    session.add(
        Classification(
            unit_id=unit_id, taxonomy_version=1, theme_key=theme, subtheme_key=sub, created_at=utcnow(), classifier="t"
        )
    )


def test_reprocess_runs_in_resumable_batches_without_mixing_versions(engine: Engine) -> None:
    with session_scope(engine) as session:
        v1 = save_taxonomy(session=session, taxonomy=SEED)
        v2, m1 = merge(v1, ["auth.mfa"], into="auth.sso")
        v2 = save_taxonomy(session=session, taxonomy=v2, migration=m1)
        v3, m2 = split(v2, "auth.sso", [ThemeDef("auth.saml", "SAML"), ThemeDef("auth.oidc", "OIDC")])
        v3 = save_taxonomy(session=session, taxonomy=v3, migration=m2)
        for uid, theme, sub in [("u1", "auth", "auth.mfa"), ("u2", "export", None), ("u3", "auth", "auth.sso")]:
            _classify(session, uid, theme, sub)
    with session_scope(engine) as session:
        to_v2 = migration_between(session=session, from_version=1, to_version=2)
        first = reprocess_batch(session=session, migration=to_v2, taxonomy=v2, limit=2)
        assert (first.migrated, first.after_unit_id, first.done) == (2, "u2", False)
    with session_scope(engine) as session:  # a new run resumes after the checkpoint
        pending = classifications_to_migrate(
            session=session, from_version=1, to_version=2, after_unit_id="u2", limit=10
        )
        assert [c.unit_id for c in pending] == ["u3"]
        state = reprocess_batch(session=session, migration=to_v2, taxonomy=v2, limit=2)
        assert (state.migrated, state.done) == (3, True)
        assert reprocess_state(session=session, to_version=2) is not None
        at_v2 = {c.unit_id: c for c in session.exec(select(Classification).where(Classification.taxonomy_version == 2))}
        assert (at_v2["u1"].theme_key, at_v2["u1"].subtheme_key) == ("auth", "auth.sso")  # merged
        assert at_v2["u2"].theme_key == "export" and len(at_v2) == 3
        to_v3 = migration_between(session=session, from_version=1, to_version=3)
        state = reprocess_batch(session=session, migration=to_v3, taxonomy=v3, limit=10)
        assert (state.migrated, state.needs_review, state.done) == (3, 2, True)
        at_v3 = {c.unit_id: c for c in session.exec(select(Classification).where(Classification.taxonomy_version == 3))}
        assert at_v3["u1"].needs_review and at_v3["u1"].theme_key is None
        assert set(at_v3["u1"].confidence) == {"auth.saml", "auth.oidc"}
        assert session.exec(select(Classification).where(Classification.taxonomy_version == 1)).all()  # kept
        with pytest.raises(StorageError, match="goes forward"):
            migration_between(session=session, from_version=3, to_version=2)
