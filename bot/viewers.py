"""Who is asking: Slack user ids and user groups -> a role -> the core Viewer the agent filters by."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from groundswell.core.query import Viewer
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from groundswell.settings import Settings

__all__ = ["ViewerDirectory"]

GROUP_TTL_S = 600.0


class ViewerDirectory:
    """Resolves a Slack user to a Viewer. A user listed by id wins over a group; the first matching group wins."""

    def __init__(self, settings: Settings, client: WebClient, named: Mapping[str, Viewer] | None = None) -> None:
        """``named``: viewers configured for the agent (name -> Viewer); a Slack role naming one takes its scopes."""
        self.settings = settings
        self.client = client
        self.named = dict(named or {})
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self._mutex = threading.Lock()

    def _members(self, group_id: str) -> frozenset[str]:
        with self._mutex:
            cached = self._groups.get(group_id)
            if cached and cached[0] > time.monotonic():
                return cached[1]
        try:
            users = self.client.usergroups_users_list(usergroup=group_id).get("users") or []
        except SlackApiError:
            users = []  # a missing group or scope: nobody gets its role (logged by the client)
        members = frozenset(users)
        with self._mutex:
            self._groups[group_id] = (time.monotonic() + GROUP_TTL_S, members)
        return members

    def role_of(self, user_id: str) -> str:
        roles = self.settings.slack_user_roles
        if user_id in roles:
            return roles[user_id]
        for group_id, role in roles.items():
            if group_id.startswith("S") and user_id in self._members(group_id):
                return role
        return self.settings.slack_default_role

    def is_admin(self, user_id: str) -> bool:
        return self.role_of(user_id) in self.settings.slack_admin_roles

    def can_review(self, user_id: str) -> bool:
        """Admins and the configured reviewer roles may label units (App Home queue, sources page)."""
        role = self.role_of(user_id)
        return role in self.settings.slack_admin_roles or role in self.settings.slack_reviewer_roles

    def viewer_for(self, user_id: str, *, segment: str | None = None) -> Viewer:
        """The user's Viewer; a channel's default ``segment`` narrows it further (never widens it)."""
        return self.viewer_for_role(self.role_of(user_id), name=f"slack:{user_id}", segment=segment)

    def viewer_for_role(self, role: str, *, name: str, segment: str | None = None) -> Viewer:
        """The Viewer of ``role`` (a named viewer's scopes, or the role's Slack scopes), narrowed to ``segment``."""
        if role in self.named:
            base = self.named[role]
            segments = base.segments
            if segment:
                segments = frozenset({segment}) if segments is None else segments & {segment}
            return base.model_copy(update={"name": name, "segments": segments})
        scope: dict[str, Any] = self.settings.slack_role_scopes.get(role, {})

        def scoped(key: str) -> frozenset[str] | None:
            values = scope.get(key)
            return None if values is None else frozenset(values)

        segments = scoped("segments")
        if segment:
            segments = frozenset({segment}) if segments is None else segments & {segment}
        return Viewer(
            name=name,
            role=role,
            sources=scoped("sources"),
            segments=segments,
            accounts=scoped("accounts"),
            can_reveal_pii=bool(scope.get("can_reveal_pii", False)),
        )
