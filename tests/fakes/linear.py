"""A loopback Linear GraphQL API: every document is parsed and VALIDATED against the official schema
(``tests/fixtures/specs/linear/schema.graphql``) with graphql-core, variables are coerced to their declared types,
and the operation is executed by graphql-core itself over an in-memory workspace, so answers have exactly the
shape the query asked for. Errors use Linear's shape (``extensions.code``: AUTHENTICATION_ERROR, RATELIMITED,
INVALID_INPUT). ``issueUpdate`` applies its input to the issue named by id or identifier and keeps what it received
in ``updates`` for tests to inspect.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from graphql import GraphQLError, GraphQLSchema, build_schema, execute, parse, validate

from tests.fakes.loopback import LoopbackFake, Reply, Request
from tests.specs import LINEAR_SCHEMA

SCHEMA = LINEAR_SCHEMA


@cache
def linear_schema() -> GraphQLSchema:
    return build_schema(SCHEMA.read_text(encoding="utf-8"))


def validation_errors(document: str) -> list[str]:
    """Why ``document`` is not a valid operation against Linear's schema (empty when it is)."""
    try:
        return [e.message for e in validate(linear_schema(), parse(document))]
    except GraphQLError as exc:
        return [exc.message]


_COMPARATORS: dict[str, Any] = {
    "eq": lambda value, arg: value == arg,
    "neq": lambda value, arg: value != arg,
    "eqIgnoreCase": lambda value, arg: str(value or "").lower() == str(arg).lower(),
    "contains": lambda value, arg: str(arg) in str(value or ""),
    "containsIgnoreCase": lambda value, arg: str(arg).lower() in str(value or "").lower(),
    "in": lambda value, arg: value in arg,
    "nin": lambda value, arg: value not in arg,
}


def _compare(value: Any, comparator: dict[str, Any]) -> bool:
    for op, arg in comparator.items():
        if op not in _COMPARATORS:
            raise GraphQLError(f"fake: comparator {op!r} not implemented")
        if not _COMPARATORS[op](value, arg):
            return False
    return True


class FakeLinear(LoopbackFake):
    def __init__(self, *, api_key: str = "lin_api_test", team_id: str = "team-eng", team_key: str = "ENG") -> None:
        super().__init__()
        linear_schema()  # built once per session (about 2 s), before any client timeout starts
        self.api_key = api_key
        self.teams = {team_id: team_key}
        self.users: list[dict[str, Any]] = []
        self.issues: list[dict[str, Any]] = []
        self.rate_limited = 0  # next N requests answer RATELIMITED
        self.required_inputs: dict[str, str] = {}  # IssueCreateInput field -> message when missing
        self.updates: list[tuple[str, dict[str, Any]]] = []  # (identifier, input) of every accepted issueUpdate

    def add_user(self, email: str, user_id: str) -> None:
        self.users.append({"id": user_id, "email": email, "name": email.split("@")[0]})

    def close_issue(self, identifier: str, state: str = "Done", kind: str = "completed") -> None:
        issue = next(i for i in self.issues if i["identifier"] == identifier)
        issue["state"] = {"name": state, "type": kind}
        issue["completedAt" if kind == "completed" else "canceledAt"] = datetime.now(UTC).isoformat()

    def handle(self, request: Request) -> Reply:
        if request.method != "POST" or request.path != "/graphql":
            return self.problem(f"{request.method} {request.path}: Linear only serves POST /graphql")
        body = request.body if isinstance(request.body, dict) else {}
        query, variables = body.get("query"), body.get("variables") or {}
        if not isinstance(query, str):
            return self.problem("request body has no GraphQL 'query' string")
        problems = validation_errors(query)
        if problems:
            return self.problem("query does not validate against Linear's schema: " + "; ".join(problems))
        if request.headers.get("Authorization") != self.api_key:
            return _error(400, "Authentication required, not authenticated", "AUTHENTICATION_ERROR")
        if self.rate_limited:
            self.rate_limited -= 1
            return _error(400, "Rate limit exceeded", "RATELIMITED")
        result = execute(linear_schema(), parse(query), root_value=self._root(), variable_values=variables)
        if result.errors:
            errors = [e.formatted for e in result.errors]
            if any("Variable" in e["message"] or "fake:" in e["message"] for e in errors):
                self.problems += [e["message"] for e in errors]
            return Reply(400 if result.data is None else 200, {"data": result.data, "errors": errors})
        return Reply(200, {"data": result.data})

    def _root(self) -> dict[str, Any]:
        return {
            "issues": lambda _info, **args: {
                "nodes": [i for i in self.issues if self._matches(i, args.get("filter") or {})][
                    : args.get("first") or 50
                ]
            },
            "issue": lambda _info, id: next((i for i in self.issues if id in (i["id"], i["identifier"])), None),
            "users": lambda _info, **args: {
                "nodes": [u for u in self.users if _compare(u["email"], (args.get("filter") or {}).get("email", {}))]
            },
            "issueCreate": lambda _info, input: self._create(input),
            "issueUpdate": lambda _info, id, input: self._update(id, input),
        }

    def _update(self, id: str, data: dict[str, Any]) -> dict[str, Any]:
        issue = next((i for i in self.issues if id in (i["id"], i["identifier"])), None)
        if issue is None:
            raise GraphQLError(
                "Entity not found: Issue",
                extensions={"code": "INVALID_INPUT", "userPresentableMessage": "Could not find referenced Issue."},
            )
        unknown = set(data) - {"title", "description"}
        if unknown:
            raise GraphQLError(f"fake: issueUpdate of {sorted(unknown)} not implemented")
        issue.update(data)
        self.updates.append((issue["identifier"], data))
        return {"success": True, "issue": issue, "lastSyncId": float(len(self.updates))}

    def _matches(self, issue: dict[str, Any], issue_filter: dict[str, Any]) -> bool:
        for key, comparator in issue_filter.items():
            if key == "team":
                value = issue["team"]["id"]
                comparator = comparator.get("id", {})
            elif key == "state":
                value = issue["state"]["type"]
                comparator = comparator.get("type", {})
            elif key in ("description", "title"):
                value = issue.get(key)
            else:
                raise GraphQLError(f"fake: filter on {key!r} not implemented")
            if not _compare(value, comparator):
                return False
        return True

    def _create(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["teamId"] not in self.teams:
            raise GraphQLError(
                "Argument Validation Error",
                extensions={"code": "INVALID_INPUT", "field": "teamId", "userPresentableMessage": "Team not found"},
            )
        missing = {name: message for name, message in self.required_inputs.items() if not data.get(name)}
        if missing:
            name, message = next(iter(missing.items()))
            raise GraphQLError(
                message, extensions={"code": "INVALID_INPUT", "field": name, "userPresentableMessage": message}
            )
        assignee = next((u for u in self.users if u["id"] == data.get("assigneeId")), None)
        if data.get("assigneeId") and assignee is None:
            raise GraphQLError(
                "Argument Validation Error",
                extensions={
                    "code": "INVALID_INPUT",
                    "field": "assigneeId",
                    "userPresentableMessage": "Assignee not found",
                },
            )
        number = len(self.issues) + 1
        identifier = f"{self.teams[data['teamId']]}-{number}"
        issue = {
            "id": f"issue-{number}",
            "identifier": identifier,
            "title": data.get("title") or "",
            "description": data.get("description"),
            "url": f"https://linear.app/brightloop/issue/{identifier}",
            "team": {"id": data["teamId"]},
            "state": {"name": "Todo", "type": "unstarted"},
            "assignee": assignee,
            "completedAt": None,
            "canceledAt": None,
        }
        self.issues.append(issue)
        return {"success": True, "issue": issue, "lastSyncId": float(number)}


def _error(status: int, message: str, code: str) -> Reply:
    return Reply(
        status, {"errors": [{"message": message, "extensions": {"code": code, "userPresentableMessage": message}}]}
    )
