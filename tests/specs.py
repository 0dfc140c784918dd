"""Where the test fakes find the vendors' API specs: shipped, trimmed copies under ``tests/fixtures/specs``
(MIT-licensed, licences beside them; rebuilt by ``scripts/trim_specs.py``), never a path outside the clone.

Jira's OpenAPI document carries no licence that lets us redistribute it: tests checking requests against it
run only when ``JIRA_OPENAPI_SPEC`` names a local copy (Atlassian publishes it at
https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json), and are skipped with that reason
otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SPECS = Path(__file__).resolve().parent / "fixtures" / "specs"
SLACK_SPECS = SPECS / "slack"
SLACK_WEB_API = SLACK_SPECS / "web-api" / "slack_web_openapi_v2.json"
INTERCOM_OPENAPI = SPECS / "intercom" / "api.intercom.io.v2.16.json"
LINEAR_SCHEMA = SPECS / "linear" / "schema.graphql"
JIRA_SPEC_VARIABLE = "JIRA_OPENAPI_SPEC"


def jira_openapi() -> Path:
    """The Jira Cloud platform OpenAPI v3 document named by ``JIRA_OPENAPI_SPEC``; skips the test without one."""
    value = os.environ.get(JIRA_SPEC_VARIABLE, "")
    if not value or not Path(value).is_file():
        pytest.skip(f"Jira's OpenAPI spec is not redistributable: set {JIRA_SPEC_VARIABLE} to a local copy to run")
    return Path(value)
