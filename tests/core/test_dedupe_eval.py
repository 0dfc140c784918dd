from groundswell.core.dedupe_eval import Located, clusters_from_links, map_signals_to_units, score_duplicates


def _at(id_: str, message: str, start: int, end: int) -> Located:
    return Located(id_, "zendesk", "t1", message, start, end)


def test_signals_map_to_the_most_overlapping_unit_of_the_same_message_not_ordinal_zero() -> None:
    units = [_at("u0", "m1", 0, 20), _at("u1", "m1", 20, 60), _at("u2", "m2", 0, 50)]
    signals = [_at("s1", "m1", 18, 50), _at("s2", "m2", 5, 10), _at("s3", "m3", 0, 9), _at("s4", "m1", 20, 20)]
    assert map_signals_to_units(signals, units) == {"s1": "u1", "s2": "u2", "s4": "u1"}


def test_clusters_follow_chains_to_their_root() -> None:
    clusters = clusters_from_links({"b": "a", "c": "b", "d": None, "e": "d", "x": "y"})
    assert sorted(map(sorted, clusters)) == [["a", "b", "c"], ["d", "e"], ["x", "y"]]


def test_scores_pairs_and_precision_on_signal_bearing_units_only() -> None:
    truth = {"s2": "s1", "s4": "s3", "s9": "s8"}  # s8/s9 map to one unit: no pair to find
    signal_units = {"s1": "u1", "s2": "u2", "s3": "u3", "s4": "u4", "s8": "u8", "s9": "u8"}
    predicted = {"u2": "u1", "u5": "u6", "u4": None}  # one right, one among units the truth says nothing about
    result = score_duplicates(truth, signal_units, predicted)
    assert (result["pairs_true"], result["pairs_predicted"], result["pairs_correct"]) == (2, 2, 1)
    assert (result["precision"], result["recall"], result["precision_on_signals"]) == (0.5, 0.5, 1.0)
    assert result["truth_links_mapped"] == 2 and result["f1"] == 0.5
