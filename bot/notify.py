"""What the scheduled jobs post to Slack: spike alerts (with Snooze buttons) and ticket closures.

``build_job_hooks(runtime)`` gives the worker (and ``serve``'s in-process scheduler) a publisher and a
ticket-closure notifier on the bot token, or no hooks when Slack is not configured (alerts are stored only).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from groundswell.bot.deps import ChannelPacer, build_web_client
from groundswell.bot.digests import digest_hook
from groundswell.core.errors import ChatPostError
from groundswell.core.tickets import Outcome, Ticket
from groundswell.jobs.schedule import JobHooks
from groundswell.messaging.alerts import alert_blocks, closed_ticket_text
from groundswell.messaging.notices import notice_blocks
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from groundswell.runtime import Runtime

__all__ = ["SlackAlertPublisher", "SlackTicketNotifier", "build_job_hooks"]

log = logging.getLogger(__name__)


class SlackAlertPublisher:
    """``AlertPublisher``: a new spike is a new message (with Snooze buttons), updates reply in its thread."""

    def __init__(self, client: WebClient, pacer: ChannelPacer | None = None) -> None:
        self.client = client
        self.pacer = pacer or ChannelPacer()

    def post(
        self, *, channel: str, text: str, thread_ts: str | None = None, theme_key: str | None = None
    ) -> str | None:
        self.pacer.wait(channel)
        try:
            reply = self.client.chat_postMessage(
                channel=channel, text=text[:3000], thread_ts=thread_ts, blocks=alert_blocks(text, theme_key=theme_key)
            )
        except SlackApiError as exc:  # the job stores the alert anyway and logs this
            raise ChatPostError(f"Slack refused the alert in {channel}: {exc.response.get('error')}") from exc
        return reply.get("ts")


class SlackTicketNotifier:
    """``TicketNotifier``: tells the originating thread, and DMs the CSMs of the affected accounts when mapped."""

    def __init__(self, client: WebClient, *, csms: Mapping[str, str] | None = None) -> None:
        self.client = client
        self.csms = {k.lower(): v for k, v in (csms or {}).items()}

    def ticket_closed(
        self,
        *,
        channel: str,
        thread_ts: str | None,
        ticket: Ticket,
        outcome: Outcome | None,
        accounts: Sequence[tuple[str | None, str]] = (),
    ) -> None:
        text = closed_ticket_text(ticket, outcome)
        self._post(channel, text, thread_ts)
        for csm, names in self._csms_of(accounts).items():
            user = self._slack_user(csm)
            if user is None:
                continue
            try:
                self._post(user, f"{text}\nIt was filed on feedback from your accounts: {', '.join(names)}.")
            except ChatPostError as exc:  # the thread was told; a CSM's DM is best effort
                log.warning("CSM %s not told: %s", csm, exc)

    def _csms_of(self, accounts: Sequence[tuple[str | None, str]]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for external_id, name in accounts:
            email = self.csms.get((external_id or "").lower()) or self.csms.get(name.lower())
            if email is None:
                log.info("no CSM mapped for account %s: not notified", name)
                continue
            found.setdefault(email, []).append(name)
        return found

    def _slack_user(self, email: str) -> str | None:
        try:
            return self.client.users_lookupByEmail(email=email)["user"]["id"]
        except SlackApiError as exc:
            log.info("CSM %s has no Slack user (%s): not notified", email, exc.response.get("error"))
            return None

    def _post(self, channel: str, text: str, thread_ts: str | None = None) -> None:
        try:
            self.client.chat_postMessage(channel=channel, text=text[:3000], thread_ts=thread_ts,
                                         blocks=notice_blocks(text), unfurl_links=False)  # fmt: skip
        except SlackApiError as exc:
            raise ChatPostError(f"Slack refused the ticket update in {channel}: {exc.response.get('error')}") from exc


def build_job_hooks(runtime: Runtime, *, client: WebClient | None = None) -> JobHooks:
    """Slack hooks for the scheduled jobs when a bot token is set; none otherwise."""
    s = runtime.settings
    digest = digest_hook(runtime)
    if client is None:
        if s.slack_bot_token is None:
            return JobHooks(digest=digest)
        client = build_web_client(s.slack_bot_token.get_secret_value(), s.slack_api_url)
    pacer = ChannelPacer(s.slack_post_interval_s)
    return JobHooks(
        publisher=SlackAlertPublisher(client, pacer),
        ticket_notifier=SlackTicketNotifier(client, csms=s.account_csms),
        digest=digest,
    )
