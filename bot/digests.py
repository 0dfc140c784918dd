"""Digests in Slack: the publisher (message + chart upload), `/groundswell digest now`, and the worker's hooks.

The chart goes up with Slack's current upload flow (``files.getUploadURLExternal``, a POST of the bytes to the
returned URL, ``files.completeUploadExternal`` sharing it into the digest's thread with its alt text), which
``WebClient.files_upload_v2`` performs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from groundswell.bot.deps import build_web_client
from groundswell.bot.viewers import ViewerDirectory
from groundswell.core.digest import DigestPeriod, DigestPublisher
from groundswell.core.query import Viewer
from groundswell.jobs.digest import ChannelTarget, RenderedDigest, run_digests
from groundswell.jobs.schedule import DigestBuilder
from groundswell.messaging.blockkit import assert_valid_blocks
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from groundswell.runtime import Runtime

__all__ = ["ChannelDigestRunner", "SlackDigestPublisher", "channel_viewer", "digest_hook", "digest_now"]

log = logging.getLogger(__name__)
CHART_FILENAME = "digest-trend.png"


class SlackDigestPublisher:
    """``chat.postMessage`` with the digest's (validated) blocks, then the chart uploaded into its thread."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def publish(
        self, *, channel: str, text: str, blocks: list[dict[str, Any]], chart: bytes | None, alt_text: str
    ) -> str | None:
        assert_valid_blocks(blocks)
        posted = self.client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False)
        ts = posted.get("ts")
        if chart:
            try:
                self.client.files_upload_v2(
                    channel=channel,
                    file=chart,
                    filename=CHART_FILENAME,
                    title="Trend of the top themes",
                    alt_txt=alt_text,
                    initial_comment=alt_text,
                    thread_ts=ts,
                )
            except (SlackApiError, SlackRequestError) as exc:  # the digest itself is posted; the chart is a bonus
                log.warning("digest chart upload to %s failed: %s", channel, exc)
        return ts


def _directory(runtime: Runtime) -> ViewerDirectory:
    return ViewerDirectory(runtime.settings, WebClient(), getattr(runtime, "viewers", None) or {})


def channel_viewer(runtime: Runtime, target: ChannelTarget, requester: Viewer | None = None) -> Viewer:
    """Everyone in the channel reads the digest: the default Slack role's scope, the channel's segment, no PII;
    narrowed to ``requester``'s scope when someone asked for it (a restricted user never gets wider totals)."""
    viewer = _directory(runtime).viewer_for_role(
        runtime.settings.slack_default_role, name=f"digest:{target.channel_id}", segment=target.default_segment
    )
    return viewer.narrowed(requester).model_copy(update={"can_reveal_pii": False})


def _as_of(runtime: Runtime) -> datetime:
    return runtime.settings.agent_as_of or datetime.now(UTC)


def digest_now(
    runtime: Runtime,
    period: DigestPeriod,
    *,
    publisher: DigestPublisher | None,
    channel: str | None = None,
    as_of: datetime | None = None,
    requester: Viewer | None = None,
) -> list[RenderedDigest]:
    """Build (and post, with a publisher) the digests of every subscribed channel, or of one channel (within
    ``requester``'s scope when a person asked)."""
    return run_digests(
        tools=runtime.agent_context().tools,
        engine=runtime.engine,
        period=period,
        as_of=as_of or _as_of(runtime),
        viewer_for=lambda target: channel_viewer(runtime, target, requester),
        publisher=publisher,
        channel=channel,
        telemetry=runtime.telemetry,
    )


class ChannelDigestRunner:
    """``/groundswell digest now``: this channel's daily digest, posted in the channel."""

    def __init__(self, runtime: Runtime, publisher: Callable[[], DigestPublisher]) -> None:
        self.runtime = runtime
        self.publisher = publisher

    def __call__(self, *, channel: str, requested_by: str) -> str:
        requester = _directory(self.runtime).viewer_for(requested_by)
        done = digest_now(self.runtime, "daily", publisher=self.publisher(), channel=channel, requester=requester)
        if not done:
            return "No digest: nothing to report for this channel."
        digest = done[0].digest
        log.info("digest for %s requested by %s", channel, requested_by)
        what = (
            "a quiet digest (nothing moved beyond noise)"
            if digest.quiet
            else f"the daily digest ({digest.total} items)"
        )
        return f"Posted {what} in <#{channel}>."


def digest_hook(runtime: Runtime) -> DigestBuilder:
    """The worker's digest job: digests post to Slack when a bot token is set (else they are built and logged)."""
    settings = runtime.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    publisher = SlackDigestPublisher(build_web_client(token, settings.slack_api_url)) if token else None

    def digest(period: str, *, runtime: Runtime) -> dict[str, Any]:
        done = digest_now(runtime, "weekly" if period == "weekly" else "daily", publisher=publisher)
        return {"channels": len(done), "quiet": sum(d.digest.quiet for d in done), "posted": publisher is not None}

    return digest
