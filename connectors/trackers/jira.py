"""Jira Cloud through the ``jira`` package (REST API v3), built without contacting the server.

Construction sends nothing (``get_server_info=False``, no update check); every call has a timeout and no
automatic retries, so a down or rate-limiting Jira fails fast with a ``TrackerError`` and the draft is kept.
Reads go through the client's ``_get_json`` with exact parameters (no field-cache or project lookups).
Tickets carry a label per theme (``gs:theme:<key>``) so an open one is found again before filing a duplicate.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from groundswell.connectors.trackers.adf import markdown_to_adf
from groundswell.connectors.trackers.errors import http_error, label_for
from groundswell.core.errors import TrackerError, TrackerUnavailable
from groundswell.core.tickets import MARKER_PREFIX, Ticket, TicketDraft
from jira import JIRA, JIRAError

__all__ = ["JiraTracker", "adf"]

_FIELDS = "summary,status,assignee,resolutiondate"


def adf(text: str) -> dict[str, Any]:
    """A description as an Atlassian Document (v3 descriptions are ADF): Groundswell's Markdown subset as headings,
    bullet lists, quotes and links (:mod:`connectors.trackers.adf`); plain text as one paragraph per line."""
    return markdown_to_adf(text)


class JiraTracker:
    name = "jira"

    def __init__(
        self,
        *,
        base_url: str,
        email: str,
        api_token: str,
        project_key: str,
        issue_type: str = "Task",
        timeout_s: float = 10.0,
        client: JIRA | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.project_key = project_key
        self.issue_type = issue_type
        self._client = client or JIRA(
            server=self.base_url,
            basic_auth=(email, api_token),
            options={"rest_api_version": "3", "check_update": False},
            get_server_info=False,
            max_retries=0,
            timeout=timeout_s,
        )

    def _call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except JIRAError as exc:
            response = exc.response
            body: Any = None
            if response is not None:
                try:
                    body = response.json()
                except ValueError:
                    body = response.text
            headers = dict(response.headers) if response is not None else {}
            raise http_error(self.name, exc.status_code or 0, headers, body) from exc
        except requests.Timeout as exc:
            raise TrackerUnavailable(self.name, f"{what} timed out") from exc
        except requests.RequestException as exc:
            raise TrackerUnavailable(self.name, f"{what} failed: cannot reach {self.base_url}") from exc

    def _ticket(self, raw: dict[str, Any]) -> Ticket:
        fields = raw.get("fields") or {}
        status = fields.get("status") or {}
        category = (status.get("statusCategory") or {}).get("key")
        assignee = fields.get("assignee") or {}
        return Ticket(
            tracker=self.name,
            key=raw["key"],
            url=f"{self.base_url}/browse/{raw['key']}",
            title=fields.get("summary") or "",
            status=status.get("name") or "open",
            closed=category == "done",
            assignee=assignee.get("emailAddress") or assignee.get("accountId"),
            closed_at=fields.get("resolutiondate"),
        )

    def search_open(self, marker: str) -> list[Ticket]:
        label = label_for(marker.removeprefix(MARKER_PREFIX).strip())
        jql = f'project = "{self.project_key}" AND labels = "{label}" AND statusCategory != Done ORDER BY created DESC'
        params = {"jql": jql, "maxResults": 10, "fields": _FIELDS, "validateQuery": "strict"}
        found = self._call("search", self._client._get_json, "search", params=params)
        return [self._ticket(issue) for issue in found.get("issues") or []]

    def find_user(self, email: str) -> str | None:
        users = self._call("user search", self._client._get_json, "user/search", params={"query": email})
        users = users or []
        exact = [u for u in users if (u.get("emailAddress") or "").lower() == email.lower()]
        if exact:
            return exact[0].get("accountId")
        # Jira hides emails of users who chose so; a single hit on the email query is still them
        return users[0].get("accountId") if len(users) == 1 else None

    def create(self, draft: TicketDraft, *, assignee_id: str | None = None) -> Ticket:
        fields: dict[str, Any] = {
            "project": {"key": draft.project or self.project_key},
            "summary": draft.title,
            "issuetype": {"name": self.issue_type},
            "description": adf(draft.body_with_marker()),
            "labels": sorted({*draft.labels, label_for(draft.dedupe_key)}),
        }
        if assignee_id:
            fields["assignee"] = {"accountId": assignee_id}
        issue = self._call("create", self._client.create_issue, fields=fields, prefetch=False)
        if not getattr(issue, "key", None):
            raise TrackerError(self.name, "created an issue but returned no key")
        return Ticket(
            tracker=self.name,
            key=issue.key,
            url=f"{self.base_url}/browse/{issue.key}",
            title=draft.title,
            assignee=assignee_id,
        )

    def get_status(self, key: str) -> Ticket:
        raw = self._call("status", self._client._get_json, f"issue/{key}", params={"fields": _FIELDS})
        return self._ticket(raw)

    def update_text(self, key: str, *, title: str, body: str) -> None:
        """Rewrite a filed issue's summary and description (``PUT /rest/api/3/issue/{key}``, 204 when done)."""
        fields = {"summary": title, "description": adf(body)}
        url = self._client._get_url(f"issue/{key}")
        self._call("update", self._client._session.put, url, data=json.dumps({"fields": fields}))
