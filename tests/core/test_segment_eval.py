from groundswell.core.segment_eval import Span, iou, score_units


def _s(start: int, end: int, message: str = "m", source: str = "zendesk") -> Span:
    return Span(source, "1", message, start, end)


def test_iou():
    assert iou(_s(0, 10), _s(0, 10)) == 1.0
    assert iou(_s(0, 10), _s(5, 15)) == 5 / 15
    assert iou(_s(0, 10), _s(10, 20)) == 0.0


def test_one_to_one_greedy_matching_with_iou_threshold():
    truth = [_s(0, 100), _s(120, 200)]
    predicted = [_s(0, 95), _s(0, 90), _s(130, 200), _s(300, 320)]
    scores = score_units(predicted, truth)
    assert (scores.units, scores.signals, scores.matched, scores.chatter) == (4, 2, 2, 1)
    assert scores.precision == 0.5 and scores.recall == 1.0 and abs(scores.f1 - 2 / 3) < 1e-9
    assert scores.chatter_rate == 0.25


def test_one_unit_spanning_two_signals_matches_at_most_one_and_messages_do_not_mix():
    truth = [_s(0, 45), _s(55, 100)]
    assert score_units([_s(0, 100)], truth).matched == 0  # IoU >= 0.5 needs the unit to fit one signal
    assert score_units([_s(0, 90)], [_s(0, 45)]).matched == 1  # exactly 0.5 counts
    assert score_units([_s(0, 60)], truth).matched == 1
    assert score_units([_s(0, 50, message="other")], truth).matched == 0


def test_per_source_and_empty_inputs():
    scores = score_units([_s(0, 10), _s(0, 10, source="gong")], [_s(0, 10)])
    assert scores.per_source["zendesk"].f1 == 1.0
    assert scores.per_source["gong"].precision == 0.0 and scores.per_source["gong"].signals == 0
    empty = score_units([], [])
    assert (empty.precision, empty.recall, empty.f1, empty.chatter_rate) == (0.0, 0.0, 0.0, 0.0)
