"""Linear through its GraphQL API over httpx: ``issueCreate``, ``issueUpdate``, ``issues(filter: ...)``, ``users``,
``issue``.

The dedupe marker is written into the description; an open issue (state type neither completed nor canceled)
whose description contains it is the same ticket. GraphQL errors come back in the body (often with HTTP 200 or
400): authentication, rate limiting and argument validation are told apart by ``extensions.code``.
"""

from __future__ import annotations

from typing import Any

import httpx
from groundswell.connectors.trackers.errors import http_error, retry_after
from groundswell.core.errors import (
    TrackerAuthFailed,
    TrackerError,
    TrackerRateLimited,
    TrackerRejected,
    TrackerUnavailable,
)
from groundswell.core.tickets import Ticket, TicketDraft

__all__ = ["CREATE_ISSUE", "FIND_USER", "GET_ISSUE", "SEARCH_OPEN", "UPDATE_ISSUE", "LinearTracker"]

_ISSUE = "id identifier title url completedAt canceledAt state { name type } assignee { email }"
SEARCH_OPEN = f"""
query OpenIssues($filter: IssueFilter) {{
  issues(filter: $filter, first: 10) {{ nodes {{ {_ISSUE} }} }}
}}"""
FIND_USER = """
query FindUser($email: String!) {
  users(filter: { email: { eqIgnoreCase: $email } }, first: 1) { nodes { id email } }
}"""
CREATE_ISSUE = f"""
mutation CreateIssue($input: IssueCreateInput!) {{
  issueCreate(input: $input) {{ success issue {{ {_ISSUE} }} }}
}}"""
GET_ISSUE = f"""
query GetIssue($id: String!) {{
  issue(id: $id) {{ {_ISSUE} }}
}}"""
UPDATE_ISSUE = """
mutation UpdateIssue($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success issue { id identifier } }
}"""
_DONE = ("completed", "canceled")


class LinearTracker:
    name = "linear"

    def __init__(
        self,
        *,
        api_key: str,
        team_id: str,
        base_url: str = "https://api.linear.app",
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.team_id = team_id
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers={"Authorization": api_key, "Content-Type": "application/json"},
            timeout=timeout_s,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def _graphql(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._http.post("/graphql", json={"query": query, "variables": variables})
        except httpx.TimeoutException as exc:
            raise TrackerUnavailable(self.name, "timed out") from exc
        except httpx.HTTPError as exc:
            raise TrackerUnavailable(self.name, f"cannot reach {self._http.base_url}: {exc}") from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("errors"):
            raise self._graphql_error(response, body["errors"])
        if response.status_code >= 400 or not isinstance(body, dict):
            raise http_error(self.name, response.status_code, response.headers, body)
        return body.get("data") or {}

    def _graphql_error(self, response: httpx.Response, errors: list[dict[str, Any]]) -> TrackerError:
        first = errors[0] if errors else {}
        extensions = first.get("extensions") or {}
        code = str(extensions.get("code") or "").upper()
        message = str(extensions.get("userPresentableMessage") or first.get("message") or "error")
        if code == "AUTHENTICATION_ERROR" or response.status_code in (401, 403):
            return TrackerAuthFailed(self.name, message)
        if code == "RATELIMITED" or response.status_code == 429:
            return TrackerRateLimited(self.name, retry_after(response.headers))
        if response.status_code >= 500:
            return TrackerUnavailable(self.name, message)
        fields: dict[str, str] = {}
        for error in errors:
            path = (error.get("extensions") or {}).get("field") or ".".join(map(str, error.get("path") or []))
            if path:
                fields[str(path)] = str(error.get("message") or "invalid")
        return TrackerRejected(self.name, fields, message)

    def _ticket(self, raw: dict[str, Any]) -> Ticket:
        state = raw.get("state") or {}
        return Ticket(
            tracker=self.name,
            key=raw["identifier"],
            url=raw.get("url"),
            title=raw.get("title") or "",
            status=state.get("name") or "open",
            closed=state.get("type") in _DONE,
            assignee=(raw.get("assignee") or {}).get("email"),
            closed_at=raw.get("completedAt") or raw.get("canceledAt"),
        )

    def search_open(self, marker: str) -> list[Ticket]:
        issue_filter = {
            "team": {"id": {"eq": self.team_id}},
            "description": {"contains": marker},
            "state": {"type": {"nin": list(_DONE)}},
        }
        data = self._graphql(SEARCH_OPEN, {"filter": issue_filter})
        return [self._ticket(node) for node in (data.get("issues") or {}).get("nodes") or []]

    def find_user(self, email: str) -> str | None:
        nodes = (self._graphql(FIND_USER, {"email": email}).get("users") or {}).get("nodes") or []
        return nodes[0]["id"] if nodes else None

    def create(self, draft: TicketDraft, *, assignee_id: str | None = None) -> Ticket:
        payload: dict[str, Any] = {
            "teamId": draft.project or self.team_id,
            "title": draft.title,
            "description": draft.body_with_marker(),
        }
        if assignee_id:
            payload["assigneeId"] = assignee_id
        result = self._graphql(CREATE_ISSUE, {"input": payload}).get("issueCreate") or {}
        if not result.get("success") or not result.get("issue"):
            raise TrackerRejected(self.name, {}, "issueCreate did not succeed")
        return self._ticket(result["issue"])

    def get_status(self, key: str) -> Ticket:
        issue = self._graphql(GET_ISSUE, {"id": key}).get("issue")
        if not issue:
            raise TrackerRejected(self.name, {"id": f"no issue {key}"})
        return self._ticket(issue)

    def update_text(self, key: str, *, title: str, body: str) -> None:
        """Rewrite a filed issue's title and description (``issueUpdate``; ``key`` is its identifier or id)."""
        variables = {"id": key, "input": {"title": title, "description": body}}
        result = self._graphql(UPDATE_ISSUE, variables).get("issueUpdate") or {}
        if not result.get("success"):
            raise TrackerRejected(self.name, {}, f"issueUpdate of {key} did not succeed")
