"""Loopback Jira and Linear for tracker tests; a fake's recorded spec problems fail the test that caused them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from groundswell.connectors.trackers import JiraTracker, LinearTracker

from tests.fakes.jira import FakeJira
from tests.fakes.linear import FakeLinear

TIMEOUT_S = 0.5


@pytest.fixture
def jira(fake_jira: FakeJira) -> JiraTracker:
    return JiraTracker(
        base_url=fake_jira.url, email="bot@brightloop.io", api_token="jira-token", project_key="GS", timeout_s=TIMEOUT_S
    )


@pytest.fixture
def linear(fake_linear: FakeLinear) -> Iterator[LinearTracker]:
    tracker = LinearTracker(base_url=fake_linear.url, api_key="lin_api_test", team_id="team-eng", timeout_s=TIMEOUT_S)
    yield tracker
    tracker.close()
