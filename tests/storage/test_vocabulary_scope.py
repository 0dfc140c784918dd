"""A viewer restricted to segments is not offered other segments' account names (typo matching confirms none)."""

from __future__ import annotations

from datetime import timedelta

from groundswell.core.query import Viewer
from groundswell.storage.analytics import vocabulary
from groundswell.storage.db import session_scope, utcnow

from tests.storage.signal_data import Row, seed


def test_accounts_of_segments_outside_the_viewer_are_left_out(engine):
    now = utcnow() - timedelta(days=1)
    seed(
        engine,
        [
            Row("u1", now, "auth.sso", account="E1", segment="Enterprise"),
            Row("u2", now, "auth.sso", account="S1", segment="SMB"),
        ],
    )
    with session_scope(engine) as session:
        everyone = vocabulary(session=session)
        smb = vocabulary(session=session, viewer=Viewer(name="v", segments=frozenset({"smb"})))
        by_account = vocabulary(session=session, viewer=Viewer(name="v", accounts=frozenset({"E1"})))
    assert set(everyone.accounts) == {"E1", "S1"}
    assert set(smb.accounts) == {"S1"} and smb.segments == ["SMB"]
    assert set(by_account.accounts) == {"E1"}


def test_names_the_scope_hides_are_listed_to_be_stated_not_matched(engine):
    now = utcnow() - timedelta(days=1)
    seed(
        engine,
        [
            Row("u1", now, "auth.sso", account="E1", segment="Enterprise", source="gong"),
            Row("u2", now, "auth.sso", account="S1", segment="SMB"),
        ],
    )
    with session_scope(engine) as session:
        everyone = vocabulary(session=session)
        sam = vocabulary(
            session=session, viewer=Viewer(name="v", segments=frozenset({"smb"}), sources=frozenset({"zendesk"}))
        )
    assert everyone.out_of_scope == []
    assert set(sam.out_of_scope) == {"Enterprise", "gong"} and "Enterprise" not in sam.segments
