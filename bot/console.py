"""`groundswell console`: the real Bolt app and listeners, driven offline from a terminal.

What the user types becomes a signed Slack request dispatched through the app in-process; what the bot posts is
captured by a loopback Web API the app's client points at, and returned as readable text with numbered buttons.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from groundswell.bot.app import create_app
from groundswell.bot.deps import BotDeps
from groundswell.bot.loopback import LoopbackSlack, Posted
from groundswell.bot.simulate import SignedRequest, SlackSimulator
from groundswell.messaging.plaintext import Choice, blocks_to_text
from pydantic import SecretStr
from slack_bolt import App, BoltRequest

from groundswell.settings import Settings

__all__ = ["CONSOLE_CHANNEL", "CONSOLE_DM", "CONSOLE_USER", "ConsoleSession", "Screen"]

CONSOLE_USER = "U0CONSOLE"
CONSOLE_CHANNEL = "C0GENERAL"
CONSOLE_DM = "D0CONSOLE"
HELP = """Type a question to ask it in #general (mentioning the bot, answered in a thread);
  /groundswell …   a slash command (try /groundswell help)
  dm <question>    ask in a direct message
  home             open the App Home tab
  <number>         press that button;  submit  sends an open modal;  quit  leaves"""


@dataclass
class Screen:
    """What changed after one input: lines to print and the buttons now pressable."""

    lines: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)


class ConsoleSession:
    """One offline workspace: a loopback Slack, the app, and the conversation state of the terminal user."""

    def __init__(self, settings: Settings, build_deps: Any) -> None:
        """``build_deps(settings) -> BotDeps`` gets console settings (loopback URL, a fresh signing secret)."""
        self.fake = LoopbackSlack()
        self.fake.start()
        secret = secrets.token_hex(16)
        console_settings = settings.model_copy(
            update={
                "slack_bot_token": SecretStr("xoxb-console"),
                "slack_signing_secret": SecretStr(secret),
                "slack_api_url": self.fake.api_url,
                "slack_post_interval_s": 0.0,
                "slack_allowed_teams": [],
                "slack_user_roles": {**settings.slack_user_roles, CONSOLE_USER: "admin"},
            }
        )
        self.deps: BotDeps = build_deps(console_settings)
        self.app: App = create_app(self.deps)
        self.sim = SlackSimulator(secret, response_url=self.fake.response_url, command=console_settings.slack_command)
        self.command = console_settings.slack_command
        self.thread_ts: str | None = None
        self.choices: list[Choice] = []
        self.choice_messages: dict[int, Posted] = {}
        self.modal: dict[str, Any] | None = None
        self._seen: dict[tuple[str, str], tuple[str, int]] = {}

    def close(self) -> None:
        self.deps.executor.shutdown(wait=True)
        self.fake.stop()

    def help(self) -> str:
        return HELP.replace("/groundswell", self.command)

    # --- input ------------------------------------------------------------------------------------------------

    def handle(self, line: str) -> Screen:
        """One line the user typed -> the bot's visible reaction."""
        line = line.strip()
        if not line:
            return Screen()
        if line.isdigit():
            return self.press(int(line))
        if line == "submit":
            return self.submit()
        if line == "home":
            return self._dispatch(self.sim.home_opened(user=CONSOLE_USER))
        if line.startswith(self.command):
            return self._dispatch(self.sim.command(line[len(self.command) :].strip(), user=CONSOLE_USER,
                                                   channel=CONSOLE_CHANNEL))  # fmt: skip
        if line.startswith("dm "):
            return self._dispatch(self.sim.message(line[3:], user=CONSOLE_USER, channel=CONSOLE_DM))
        request = self.sim.mention(line, user=CONSOLE_USER, channel=CONSOLE_CHANNEL, thread_ts=self.thread_ts)
        return self._dispatch(request)

    def press(self, number: int) -> Screen:
        if not 1 <= number <= len(self.choices):
            return Screen([f"(no button {number}; there are {len(self.choices)})"], self.choices)
        label, element, block_id = self.choices[number - 1]
        message = self.choice_messages.get(number)
        if message is None or message.kind == "home":
            home = {"id": "VHOME", "type": "home", "blocks": message.blocks if message else []}
            request = self.sim.block_action(element, user=CONSOLE_USER, channel="", view=home, block_id=block_id)
        else:
            payload = {"ts": message.ts, "text": message.text, "blocks": message.blocks, "thread_ts": message.thread_ts}
            request = self.sim.block_action(element, user=CONSOLE_USER, channel=message.channel, message=payload,
                                            block_id=block_id, ephemeral=message.ephemeral_to is not None)  # fmt: skip
        screen = self._dispatch(request)
        screen.lines.insert(0, f"(pressed “{label}”)")
        return screen

    def submit(self) -> Screen:
        if self.modal is None:
            return Screen(["(no modal is open)"], self.choices)
        view, self.modal = self.modal, None
        return self._dispatch(self.sim.view_submission(view, user=CONSOLE_USER))

    # --- dispatch and rendering ---------------------------------------------------------------------------------

    def _dispatch(self, request: SignedRequest) -> Screen:
        response = self.app.dispatch(BoltRequest(body=request.body, headers=request.headers))
        self.deps.executor.wait_idle(120)
        screen = Screen()
        if response.status >= 400:
            screen.lines.append(f"(Slack request refused: HTTP {response.status} {response.body})")
        elif response.body and response.body.startswith("{"):
            import json

            body = json.loads(response.body)
            lines, _ = blocks_to_text(body.get("blocks") or [])
            screen.lines += lines or [body.get("text", "")]
        self._render_changes(screen)
        return screen

    def _render_changes(self, screen: Screen) -> None:
        self.choices, self.choice_messages = [], {}
        for message in self.fake.messages():
            key = (message.channel, message.ts)
            digest = (message.text, hash(repr(message.blocks)))
            previous = self._seen.get(key)
            self._seen[key] = (message.text, digest[1])
            if previous == digest:
                continue
            if message.kind == "modal":
                self.modal = next((c.args.get("view") for c in reversed(self.fake.calls_to("views.open"))), None)
            if message.channel == CONSOLE_CHANNEL and message.thread_ts and message.ephemeral_to is None:
                self.thread_ts = message.thread_ts
            start = len(self.choices) + 1
            lines, choices = blocks_to_text(message.blocks, first_choice=start)
            for i in range(len(choices)):
                self.choice_messages[start + i] = message
            self.choices += choices
            screen.lines += [self._where(message), *("  " + line for line in (lines or [message.text]))]
        if self.modal is not None:
            screen.lines.append("(type `submit` to send the form with these values)")
        screen.choices = self.choices

    @staticmethod
    def _where(message: Posted) -> str:
        if message.kind == "home":
            return "── App Home ──"
        if message.kind == "modal":
            return f"── modal: {message.text} ──"
        place = "DM" if message.channel.startswith("D") else f"#{message.channel}"
        thread = " (thread)" if message.thread_ts else ""
        private = " (only you can see this)" if message.ephemeral_to else ""
        return f"── Groundswell in {place}{thread}{private} ──"
