from groundswell.core.query import Viewer


def test_narrowing_keeps_only_what_both_may_see_and_never_widens():
    channel = Viewer(name="digest:C1", segments=frozenset({"Enterprise", "SMB"}), can_reveal_pii=True)
    restricted = Viewer(name="slack:U1", segments=frozenset({"SMB"}), sources=frozenset({"zendesk"}))
    both = channel.narrowed(restricted)
    assert both.name == "digest:C1" and both.segments == {"SMB"} and both.sources == {"zendesk"}
    assert both.accounts is None and both.can_reveal_pii is False
    assert channel.narrowed(None) == channel
    assert Viewer(name="all").narrowed(restricted).segments == {"SMB"}
    apart = Viewer(name="x", segments=frozenset({"Enterprise"})).narrowed(restricted)
    assert apart.segments == frozenset()  # nothing in common: nothing is seen


def test_segment_visibility_ignores_case_and_spacing():
    viewer = Viewer(name="v", segments=frozenset({"Mid Market"}))
    assert viewer.may_see_segment("mid-market") and viewer.may_see_segment("MID MARKET")
    assert not viewer.may_see_segment("Enterprise") and Viewer(name="all").may_see_segment("Enterprise")
