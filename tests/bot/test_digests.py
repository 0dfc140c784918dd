"""The digest publisher against the spec-checked Slack fake: message, then the 3-step chart upload."""

from __future__ import annotations

import json

import pytest
from groundswell.bot.deps import build_web_client
from groundswell.bot.digests import CHART_FILENAME, SlackDigestPublisher
from groundswell.core.digest import TrendSeries
from groundswell.messaging.blockkit import section
from groundswell.messaging.digest_chart import render_trend_png
from slack_sdk.errors import SlackApiError

from tests.fakes.slack_api import SpecCheckedSlack

CHANNEL = "C0DIGEST"


def _client(fake: SpecCheckedSlack):
    return build_web_client("xoxb-test", fake.api_url)


def test_digest_message_then_chart_upload(slack_api: SpecCheckedSlack) -> None:
    png = render_trend_png([TrendSeries(label="SSO", buckets=["a", "b"], counts=[1, 4])], title="t")
    ts = SlackDigestPublisher(_client(slack_api)).publish(
        channel=CHANNEL, text="Daily digest", blocks=[section("*Top themes*")], chart=png, alt_text="SSO: 1, 4"
    )
    [message, chart] = slack_api.messages(CHANNEL)
    assert message.ts == ts and message.blocks[0]["text"]["text"] == "*Top themes*"
    [get_url] = slack_api.calls_to("files.getUploadURLExternal")
    assert get_url.args["filename"] == CHART_FILENAME and int(get_url.args["length"]) == len(png)
    assert get_url.args["alt_txt"] == "SSO: 1, 4"
    [complete] = slack_api.calls_to("files.completeUploadExternal")
    [item] = json.loads(complete.args["files"])
    assert complete.args["channel_id"] == CHANNEL and complete.args["initial_comment"] == "SSO: 1, 4"
    assert slack_api.uploads[item["id"]]["data"] == png and chart.text.startswith(f"[file {CHART_FILENAME}]")


def test_quiet_digest_posts_no_chart(slack_api: SpecCheckedSlack) -> None:
    SlackDigestPublisher(_client(slack_api)).publish(
        channel=CHANNEL, text="quiet", blocks=[section("quiet")], chart=None, alt_text=""
    )
    assert len(slack_api.messages(CHANNEL)) == 1 and not slack_api.calls_to("files.getUploadURLExternal")


def test_the_fake_refuses_wrong_upload_calls(slack_api: SpecCheckedSlack) -> None:
    client = _client(slack_api)
    bad = [
        ("files.completeUploadExternal", {"channel_id": CHANNEL}),  # no files
        ("files.completeUploadExternal", {"files": "[]"}),
        ("files.getUploadURLExternal", {"filename": "x.png"}),  # no length
        ("files.getUploadURLExternal", {"filename": "x.png", "length": 3, "alt_txt": "a" * 1001}),
    ]
    for method, params in bad:
        with pytest.raises(SlackApiError, match="invalid_arguments"):
            client.api_call(method, params=params)
    assert len(slack_api.problems) == len(bad), slack_api.problems
    slack_api.problems.clear()


def test_an_upload_never_posted_cannot_be_completed(slack_api: SpecCheckedSlack) -> None:
    client = _client(slack_api)
    file_id = client.files_getUploadURLExternal(filename="x.png", length=3)["file_id"]
    with pytest.raises(SlackApiError, match="file_not_found"):
        client.api_call(
            "files.completeUploadExternal", params={"files": json.dumps([{"id": file_id}]), "channel_id": CHANNEL}
        )
