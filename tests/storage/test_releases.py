from datetime import UTC, datetime, timedelta, timezone

import pytest
from groundswell.core.errors import StorageError
from groundswell.core.query import Vocabulary
from groundswell.graph.planner import with_releases
from groundswell.storage.db import session_scope
from groundswell.storage.releases import add_release, list_releases, release_rows

T0 = datetime(2026, 5, 11, 16, tzinfo=UTC)


def test_releases_are_listed_oldest_first_in_utc_and_re_adding_updates(engine) -> None:
    with session_scope(engine) as session:
        add_release(session=session, name="4.12.0", shipped_at=T0, notes="big one")
        add_release(
            session=session,
            name="4.11.0",
            shipped_at=(T0 - timedelta(days=30)).astimezone(timezone(timedelta(hours=2))),
        )
    with session_scope(engine) as session:
        assert list_releases(session=session) == {"4.11.0": T0 - timedelta(days=30), "4.12.0": T0}
        add_release(session=session, name="4.12.0", shipped_at=T0 + timedelta(hours=1))
    with session_scope(engine) as session:
        rows = release_rows(session=session)
        assert [(r.name, r.notes) for r in rows] == [("4.11.0", ""), ("4.12.0", "big one")]
        assert list_releases(session=session)["4.12.0"] == T0 + timedelta(hours=1)


def test_a_release_needs_a_name(engine) -> None:
    with session_scope(engine) as session, pytest.raises(StorageError):
        add_release(session=session, name="  ", shipped_at=T0)


def test_releases_join_the_planner_vocabulary() -> None:
    vocab = with_releases(Vocabulary(segments=["SMB"]), {"4.12.0": T0})
    assert vocab.releases == {"4.12.0": T0} and vocab.segments == ["SMB"]
