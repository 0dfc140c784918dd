"""Where the test fakes find the vendors' API specs: shipped, trimmed copies under ``tests/fixtures/specs``
(MIT or Apache-2.0, licences beside them, sources in its README; rebuilt by ``scripts/trim_specs.py``), never a
path outside the clone."""

from __future__ import annotations

from pathlib import Path

SPECS = Path(__file__).resolve().parent / "fixtures" / "specs"
SLACK_SPECS = SPECS / "slack"
SLACK_WEB_API = SLACK_SPECS / "web-api" / "slack_web_openapi_v2.json"
INTERCOM_OPENAPI = SPECS / "intercom" / "api.intercom.io.v2.16.json"
LINEAR_SCHEMA = SPECS / "linear" / "schema.graphql"
JIRA_OPENAPI = SPECS / "jira" / "jira_cloud_platform_swagger.v3.json"
