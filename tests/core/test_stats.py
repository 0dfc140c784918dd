from groundswell.core.stats import rate_change_p_value


def test_rate_change_p_value():
    assert rate_change_p_value(0, 0) == 1.0
    assert rate_change_p_value(5, 5) == 1.0
    assert rate_change_p_value(40, 10) < 0.001
    assert rate_change_p_value(12, 8) > 0.05
    # a window twice as long expects twice the count: no change
    assert rate_change_p_value(20, 10, current_span=2, previous_span=1) == 1.0
