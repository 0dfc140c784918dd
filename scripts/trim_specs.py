"""Make the small API specs the test fakes check requests against (tests/fixtures/specs/) from the vendors'
published files: prose (descriptions, summaries, examples) dropped, structure kept. Run again on a new spec:

    python scripts/trim_specs.py SLACK_WEB_OPENAPI.json INTERCOM_OPENAPI.yaml LINEAR_SCHEMA.graphql SLACK_DIR JIRA.json
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml
from graphql import parse, print_ast

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "specs"
PROSE = {"description", "summary", "externalDocs", "x-slack-docs"}
EXAMPLES = {"example", "examples"}
NAMED = {"properties", "paths", "definitions", "schemas", "parameters", "responses", "patternProperties"}
PAYLOADS = (  # the Slack payload shapes tests/fakes/slack_api.py uses
    "app-backend/slash-commands/SlashCommandPayload.json",
    "app-backend/interactive-components/BlockActionPayload.json",
    "app-backend/views/ViewSubmissionPayload.json",
    "events/AppMentionPayload.json",
    "events/MessagePayload.json",
    "events/AppHomeOpenedPayload.json",
)


def strip(node: Any, parent: str = "") -> Any:
    """``node`` without prose; keys of name maps (``properties`` …) are names, never prose, and stay."""
    if isinstance(node, dict):
        keep = {}
        for key, value in node.items():
            if parent not in NAMED and ((key in PROSE and not isinstance(value, dict | list)) or key in EXAMPLES):
                continue
            keep[key] = strip(value, key)
        return keep
    if isinstance(node, list):
        return [strip(item, parent) for item in node]
    return node


def strip_graphql(text: str) -> str:
    document = parse(text, no_location=True)

    def visit(node: Any) -> None:
        if hasattr(node, "description"):
            object.__setattr__(node, "description", None)  # nodes are frozen dataclasses
        for key in getattr(node, "keys", ()):
            value = getattr(node, key, None)
            for child in value if isinstance(value, tuple | list) else [value]:
                if hasattr(child, "kind"):
                    visit(child)

    visit(document)
    return print_ast(document) + "\n"


def _openapi(source: str, target: Path, prefix: str = "") -> None:
    """The trimmed spec; with ``prefix``, only the paths under it."""
    spec = strip(yaml.safe_load(Path(source).read_text()))
    if prefix:
        spec["paths"] = {path: item for path, item in spec["paths"].items() if path.startswith(prefix)}
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(spec, indent=0, sort_keys=True) + "\n")


def main(slack: str, intercom: str, linear: str, slack_dir: str, jira: str) -> None:
    _openapi(slack, OUT / "slack" / "web-api" / "slack_web_openapi_v2.json")
    _openapi(intercom, OUT / "intercom" / "api.intercom.io.v2.16.json")
    _openapi(jira, OUT / "jira" / "jira_cloud_platform_swagger.v3.json", prefix="/rest/api/3/")  # the v3 REST API
    schema = OUT / "linear" / "schema.graphql"
    schema.parent.mkdir(parents=True, exist_ok=True)
    schema.write_text(strip_graphql(Path(linear).read_text()))
    for rel in PAYLOADS:
        target = OUT / "slack" / "payload_shapes" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(slack_dir) / "payload_shapes" / rel, target)


if __name__ == "__main__":
    main(*sys.argv[1:])
