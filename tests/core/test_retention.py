from datetime import UTC, datetime, timedelta

import pytest
from groundswell.core.errors import ConfigurationError
from groundswell.core.retention import parse_retention

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_sources_fields_and_the_default_combine():
    policy = parse_retention("zendesk:365, appstore:730,*.raw_payload:90,zendesk.rejected_raw:30", default_days=1000)
    assert policy.record_days("zendesk") == 365 and policy.record_days("gong") == 1000
    assert policy.field_days("appstore", "raw_payload") == 90 and policy.field_days("zendesk", "rejected_raw") == 30
    assert policy.field_days("gong", "rejected_raw") == 1000  # never kept longer than the record
    assert policy.record_cutoff("zendesk", NOW) == NOW - timedelta(days=365)


def test_nothing_configured_is_an_empty_policy():
    policy = parse_retention("", None)
    assert not policy and policy.record_cutoff("zendesk", NOW) is None
    assert policy.field_cutoff("zendesk", "raw_payload", NOW) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("zendesk", "must look like SOURCE:DAYS"),
        ("zendesk:soon", "is not a number of days"),
        ("zendesk:0", "at least 1"),
        ("zendesk.body:3", "unknown field 'body'"),
    ],
)
def test_a_bad_entry_says_what_is_wrong(text, message):
    with pytest.raises(ConfigurationError, match=message):
        parse_retention(text)
