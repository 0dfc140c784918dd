from __future__ import annotations

import pytest
from groundswell.core.segments import same_segment, segment_in, segment_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Enterprise", "enterprise"),
        ("ENT", "enterprise"),
        ("Mid-Market", "mid-market"),
        ("mid market", "mid-market"),
        ("SMB", "smb"),
        ("Small Business", "smb"),
        (" Startup ", "startup"),
        ("  ", None),
    ],
)
def test_segment_key(name: str, key: str | None) -> None:
    assert segment_key(name) == key


def test_membership_and_equality() -> None:
    assert segment_in("mid-market", ["Mid-Market", "SMB"])
    assert not segment_in("enterprise", ["Mid-Market"])
    assert not segment_in(None, ["SMB"])
    assert same_segment("Enterprise", "enterprise")
    assert not same_segment(None, None)
