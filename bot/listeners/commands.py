"""The slash command: ask, themes, digest now, subscribe, unsubscribe, channel settings, help."""

from __future__ import annotations

from typing import Any

from groundswell.bot.answering import Responder
from groundswell.bot.errors import reported
from groundswell.bot.parse import ParsedCommand, parse_command, parse_switches
from groundswell.messaging.answer import themes_blocks
from groundswell.messaging.notices import help_blocks, notice_blocks
from groundswell.storage.db import session_scope
from groundswell.storage.slack import add_subscription, remove_subscriptions, update_channel_setting
from groundswell.storage.taxonomy import get_taxonomy
from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

__all__ = ["register"]


def _kind_of(responder: Responder, value: str) -> tuple[str, str]:
    """("theme", key) when ``value`` names a theme of the current taxonomy (key or name), else ("segment", value)."""
    lowered = value.lower()
    for prefix in ("theme ", "segment "):
        if lowered.startswith(prefix):
            return prefix.strip(), value[len(prefix) :].strip()
    with session_scope(responder.deps.engine) as session:
        taxonomy = get_taxonomy(session=session)
    for theme in taxonomy.themes if taxonomy else []:
        if lowered in {theme.key.lower(), theme.name.lower()}:
            return "theme", theme.key
    return "segment", value


def register(app: App, responder: Responder) -> None:
    deps = responder.deps
    command_name = deps.settings.slack_command

    @app.command(command_name)
    @reported
    def handle_command(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        parsed = parse_command(body.get("text", ""))
        if parsed.name == "help":
            intro = f"I didn't understand “{parsed.unknown}”." if parsed.unknown else None
            ack(blocks=help_blocks(command_name, intro=intro), response_type="ephemeral", text="Groundswell help")
            return
        ack()
        team, channel, user = body["team_id"], body["channel_id"], body["user_id"]
        handlers = {"ask": _ask, "themes": _ask, "digest": _digest, "subscribe": _subscribe,
                    "unsubscribe": _unsubscribe, "channel": _channel}  # fmt: skip
        handlers[parsed.name](parsed, team=team, channel=channel, user=user, client=client, context=context,
                              respond=respond, body=body)  # fmt: skip

    def _ask(parsed: ParsedCommand, *, team: str, channel: str, user: str, client: WebClient,
             context: BoltContext, respond: Respond, body: dict[str, Any]) -> None:  # fmt: skip
        question, render = parsed.rest, None
        if parsed.name == "themes":
            question, render = f"top themes {parsed.rest}".strip(), themes_blocks
        kwargs: dict[str, Any] = {"render": render} if render else {}
        if responder.channel_setting(team, channel).ephemeral:
            responder.answer_ephemeral(context=context, team=team, channel=channel, user=user, question=question,
                                       conversation=f"cmd-{body.get('trigger_id', '')}", **kwargs)  # fmt: skip
        else:
            responder.answer_in_channel(client=client, context=context, team=team, channel=channel, user=user,
                                        question=question, surface="command", **kwargs)  # fmt: skip

    def _digest(parsed: ParsedCommand, *, channel: str, user: str, respond: Respond, **_: Any) -> None:
        respond(text=deps.digest(channel=parsed.channel or channel, requested_by=user), response_type="ephemeral")

    def _subscribe(parsed: ParsedCommand, *, team: str, channel: str, user: str, respond: Respond, **_: Any) -> None:
        kind, value = _kind_of(responder, parsed.rest)
        target = parsed.channel or channel
        if kind == "segment" and not responder.viewers.viewer_for(user).may_see_segment(value):
            text = f"You can't subscribe to segment “{value}”: it is outside what you may see."
            respond(text=text, blocks=notice_blocks(text), response_type="ephemeral")
            return
        with session_scope(deps.engine) as session:
            _, created = add_subscription(
                session=session, team_id=team, channel_id=target, user_id=user, kind=kind, value=value
            )
        what = f"{kind} “{value}” in <#{target}>"
        text = f"Subscribed to {what}." if created else f"You were already subscribed to {what}."
        respond(blocks=notice_blocks(text, detail="Digests and spike alerts for it will be posted there."),
                text=text, response_type="ephemeral")  # fmt: skip

    def _unsubscribe(parsed: ParsedCommand, *, team: str, channel: str, user: str, respond: Respond,
                     **_: Any) -> None:  # fmt: skip
        value = _kind_of(responder, parsed.rest)[1] if parsed.rest else None
        target = parsed.channel or channel
        with session_scope(deps.engine) as session:
            removed = remove_subscriptions(session=session, team_id=team, channel_id=target, user_id=user, value=value)
        text = f"Removed {removed} subscription{'s' if removed != 1 else ''} in <#{target}>."
        respond(text=text, blocks=notice_blocks(text), response_type="ephemeral")

    def _channel(parsed: ParsedCommand, *, team: str, channel: str, user: str, respond: Respond, **_: Any) -> None:
        switches = parse_switches(parsed.rest)
        changes: dict[str, Any] = {}
        if "mention-only" in switches:
            changes["mention_only"] = switches["mention-only"] in {"on", "yes", "true"}
        if "answers" in switches:
            changes["ephemeral"] = switches["answers"] == "ephemeral"
        if "segment" in switches:
            changes["default_segment"] = None if switches["segment"].lower() in {"any", "none"} else switches["segment"]
        if changes and not responder.viewers.is_admin(user):
            deps.deny(
                user=user, action="slack.channel_settings", reason="admin only", code="admin_only", text=parsed.rest
            )
            respond(text="Only admins can change channel settings.", response_type="ephemeral")
            return
        with session_scope(deps.engine) as session:
            if changes:
                row = update_channel_setting(session=session, team_id=team, channel_id=channel, updated_by=user,
                                             **changes)  # fmt: skip
            else:
                row = responder.channel_setting(team, channel)
        text = (
            f"<#{channel}>: mention-only {'on' if row.mention_only else 'off'} · answers "
            f"{'ephemeral' if row.ephemeral else 'public'} · segment {row.default_segment or 'any'}"
        )
        respond(text=text, blocks=notice_blocks(text), response_type="ephemeral")
