"""A loopback Jira Cloud (REST API v3) that checks every request against the official OpenAPI document.

Beyond the spec it enforces what Jira enforces: Basic auth, a known project, ``summary`` and ``issuetype``,
descriptions as Atlassian Documents, labels without spaces, assignees that exist, and any extra required fields
(``required_fields``, answered with Jira's 400 ``errors`` shape). JQL understood: ``project``, ``labels``,
``statusCategory != Done`` joined by AND, optional ORDER BY. ``PUT /issue/{key}`` (editIssue) applies ``fields``
with the same checks as a create, answers 204, and keeps what it received in ``updates`` for tests to inspect.
"""

from __future__ import annotations

import base64
import functools
import json
import re
from datetime import UTC, datetime
from typing import Any

from tests.fakes.loopback import LoopbackFake, Reply, Request
from tests.fakes.openapi import OpenApiChecker
from tests.specs import JIRA_OPENAPI

_CLAUSE = re.compile(r'^(project|labels)\s*=\s*"([^"]*)"$|^statusCategory\s*!=\s*Done$')


# ADF nesting (developer.atlassian.com/cloud/jira/platform/apis/document/structure): the nodes Groundswell writes
ADF_CHILDREN = {
    "doc": {"paragraph", "heading", "bulletList", "orderedList", "blockquote", "rule", "codeBlock"},
    "paragraph": {"text", "hardBreak"},
    "heading": {"text", "hardBreak"},
    "bulletList": {"listItem"},
    "orderedList": {"listItem"},
    "listItem": {"paragraph", "bulletList", "orderedList", "codeBlock"},
    "blockquote": {"paragraph", "bulletList", "orderedList", "codeBlock"},
    "codeBlock": {"text"},
}
ADF_MARKS = {"strong", "em", "code", "link", "strike", "underline"}


def adf_problems(node: Any, where: str = "doc") -> list[str]:
    """What Jira would refuse in an Atlassian Document: unknown nesting, empty text, links without href."""
    kind = node.get("type") if isinstance(node, dict) else None
    if kind == "text":
        problems = [] if isinstance(node.get("text"), str) and node["text"] else [f"{where}: empty text node"]
        for mark in node.get("marks", []):
            if mark.get("type") not in ADF_MARKS:
                problems.append(f"{where}: unknown mark {mark.get('type')!r}")
            if mark.get("type") == "link" and not str((mark.get("attrs") or {}).get("href", "")).startswith("http"):
                problems.append(f"{where}: a link mark needs an absolute href")
        return problems
    if kind not in ADF_CHILDREN:
        return [f"{where}: unknown node {kind!r}"]
    if kind == "doc" and node.get("version") != 1:
        return ["doc: version must be 1"]
    if kind == "heading" and (node.get("attrs") or {}).get("level") not in range(1, 7):
        return [f"{where}: heading level 1..6"]
    content = node.get("content", [])
    if kind in ("bulletList", "orderedList", "listItem", "blockquote") and not content:
        return [f"{where}: {kind} needs content"]
    problems = []
    for i, child in enumerate(content):
        child_kind = child.get("type") if isinstance(child, dict) else None
        if child_kind not in ADF_CHILDREN[kind]:
            problems.append(f"{where}.content[{i}]: {child_kind!r} inside {kind}")
        else:
            problems += adf_problems(child, f"{where}.content[{i}]")
    return problems


@functools.cache
def _checker() -> OpenApiChecker:
    return OpenApiChecker(str(JIRA_OPENAPI))


class FakeJira(LoopbackFake):
    def __init__(self, *, email: str = "bot@brightloop.io", token: str = "jira-token", project: str = "GS") -> None:
        super().__init__()
        _checker()  # the spec is parsed once per session (seconds), before any client timeout starts
        self.auth = "Basic " + base64.b64encode(f"{email}:{token}".encode()).decode()
        self.projects = {project}
        self.users: list[dict[str, Any]] = []
        self.issues: dict[str, dict[str, Any]] = {}
        self.required_fields: dict[str, str] = {}  # field -> Jira's message when missing
        self.updates: list[tuple[str, dict[str, Any]]] = []  # (key, fields) of every accepted edit

    def add_user(self, email: str, account_id: str, name: str = "") -> None:
        self.users.append(
            {"accountId": account_id, "emailAddress": email, "displayName": name or email, "active": True}
        )

    def close_issue(self, key: str, status: str = "Done") -> None:
        fields = self.issues[key]["fields"]
        fields["status"] = {"name": status, "statusCategory": {"key": "done", "name": "Done"}}
        fields["resolutiondate"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")

    def handle(self, request: Request) -> Reply:
        query = {name: values[-1] for name, values in request.query.items()}
        body = b"" if request.body is None else json.dumps(request.body).encode()
        problems = _checker().check(request.method, request.path, query, request.headers, body)
        if problems:
            return self.problem("; ".join(problems))
        if request.headers.get("Authorization") != self.auth:
            return Reply(
                401,
                {"errorMessages": ["You are not authenticated. Authentication required to perform this operation."]},
            )
        path = request.path.removeprefix("/rest/api/3/")
        if request.method == "POST" and path == "issue":
            return self._create(request.body)
        if request.method == "GET" and path == "search":
            return self._search(request.query)
        if request.method in ("GET", "PUT") and path.startswith("issue/"):
            issue = self._issue(path.removeprefix("issue/"))
            if issue is None:
                return Reply(
                    404,
                    {"errorMessages": ["Issue does not exist or you do not have permission to see it."], "errors": {}},
                )
            return Reply(200, issue) if request.method == "GET" else self._edit(issue, request.body)
        if request.method == "GET" and path == "user/search":
            query = request.query.get("query", [""])[0].lower()
            return Reply(200, [u for u in self.users if query and query in u["emailAddress"].lower()])
        return self.problem(f"{request.method} {request.path} is in the spec but not implemented by the fake")

    def _issue(self, id_or_key: str) -> dict[str, Any] | None:
        return self.issues.get(id_or_key) or next((i for i in self.issues.values() if i["id"] == id_or_key), None)

    def _edit(self, issue: dict[str, Any], body: dict[str, Any]) -> Reply:
        fields = body.get("fields") or {}
        errors = self._field_errors(fields, creating=False)
        if errors:
            return Reply(400, {"errorMessages": [], "errors": errors})
        issue["fields"].update(fields)
        self.updates.append((issue["key"], fields))
        return Reply(204)

    def _field_errors(self, fields: dict[str, Any], *, creating: bool) -> dict[str, str]:
        errors: dict[str, str] = {}
        if creating or "summary" in fields:
            if not fields.get("summary"):
                errors["summary"] = "You must specify a summary of the issue."
            elif len(fields["summary"]) > 255:
                errors["summary"] = "Summary must be less than 255 characters."
        description = fields.get("description")
        if description is not None and not (isinstance(description, dict) and description.get("type") == "doc"):
            errors["description"] = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
        elif description is not None and (bad := adf_problems(description)):
            errors["description"] = "INVALID_INPUT: " + "; ".join(bad)
        if any(not isinstance(label, str) or " " in label for label in fields.get("labels", [])):
            errors["labels"] = "The label must not contain spaces."
        return errors

    def _create(self, body: dict[str, Any]) -> Reply:
        fields = body.get("fields")
        if not isinstance(fields, dict):
            return Reply(400, {"errorMessages": ["fields are required"], "errors": {}})
        errors = self._field_errors(fields, creating=True)
        project = (fields.get("project") or {}).get("key")
        if project not in self.projects:
            errors["project"] = "valid project is required"
        if not (fields.get("issuetype") or {}).get("name") and not (fields.get("issuetype") or {}).get("id"):
            errors["issuetype"] = "Specify an issue type"
        assignee = (fields.get("assignee") or {}).get("accountId")
        if assignee and assignee not in {u["accountId"] for u in self.users}:
            errors["assignee"] = f"User '{assignee}' cannot be assigned issues."
        errors |= {name: message for name, message in self.required_fields.items() if name not in fields}
        if errors:
            return Reply(400, {"errorMessages": [], "errors": errors})
        number = len(self.issues) + 1
        key = f"{project}-{number}"
        user = next((u for u in self.users if u["accountId"] == assignee), None)
        self.issues[key] = {
            "id": str(10000 + number),
            "key": key,
            "self": f"{self.url}/rest/api/3/issue/{10000 + number}",
            "fields": {
                **fields,
                "status": {"name": "To Do", "statusCategory": {"key": "new", "name": "To Do"}},
                "assignee": user,
                "resolutiondate": None,
            },
        }
        return Reply(
            201, {"id": str(10000 + number), "key": key, "self": f"{self.url}/rest/api/3/issue/{10000 + number}"}
        )

    def _search(self, query: dict[str, list[str]]) -> Reply:
        jql = query.get("jql", [""])[0]
        where = re.split(r"\s+ORDER BY\s+", jql, flags=re.IGNORECASE)[0]
        matches = list(self.issues.values())
        for clause in re.split(r"\s+AND\s+", where.strip()):
            parsed = _CLAUSE.match(clause.strip())
            if parsed is None:
                return self.problem(f"JQL clause the fake does not understand: {clause!r}")
            field, value = parsed.group(1), parsed.group(2)
            if field == "project":
                matches = [i for i in matches if i["fields"]["project"]["key"] == value]
            elif field == "labels":
                matches = [i for i in matches if value in i["fields"].get("labels", [])]
            else:
                matches = [i for i in matches if i["fields"]["status"]["statusCategory"]["key"] != "done"]
        limit = int(query.get("maxResults", ["50"])[0])
        return Reply(200, {"startAt": 0, "maxResults": limit, "total": len(matches), "issues": matches[:limit]})
