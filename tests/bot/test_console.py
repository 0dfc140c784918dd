"""`groundswell console` drives the real app: typed lines become signed requests, posts become text."""

from __future__ import annotations

import re

from groundswell.bot import BotDeps
from groundswell.bot.console import ConsoleSession
from groundswell.bot.tickets import local_ticket_sink
from groundswell.storage.cache import MemoryCache

from groundswell.settings import Settings
from tests.bot.answers import ScriptedAsker


def test_console_session_asks_follows_up_presses_buttons_and_submits_a_modal(engine, tmp_path):
    asker = ScriptedAsker()

    def build(settings: Settings) -> BotDeps:
        return BotDeps(settings=settings, asker=asker, engine=engine, cache=MemoryCache(),
                       ticket_sink=local_ticket_sink(engine))  # fmt: skip

    session = ConsoleSession(Settings(_env_file=None, data_dir=tmp_path), build)
    try:
        screen = session.handle("what are enterprise customers saying about SSO?")
        text = "\n".join(screen.lines)
        assert "SSO LOGIN PROBLEMS LEAD ENTERPRISE FEEDBACK" in text
        assert "[1] Show sources" in text and "[2] Create ticket" in text
        assert "Acme Corp" in text and "(https://brightloop.zendesk.com/agent/tickets/1000)" in text
        session.handle("and for mid-market?")  # a follow-up in the same thread
        assert asker.calls[0][2] == asker.calls[1][2] is not None

        screen = session.handle("2")
        assert any("Title: SSO login problems lead enterprise feedback" in line for line in screen.lines)
        screen = session.handle("submit")
        assert any(re.search(r"created GS-[0-9A-F]{6}", line) for line in screen.lines)

        help_screen = session.handle("/groundswell help")
        assert any("ask <question>" in line for line in help_screen.lines)
        home = session.handle("home")
        assert any("App Home" in line for line in home.lines) and any("SOURCE HEALTH" in x for x in home.lines)
        assert session.handle("99").lines[0].startswith("(no button 99")
    finally:
        session.close()


def test_demo_points_new_users_at_the_console():
    import ast
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "cli" / "data.py"  # read, not imported: that loads the pipeline
    tree = ast.parse(source.read_text())
    steps = next(n.value.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "NEXT_STEPS")
    assert "groundswell console" in steps


def test_socket_mode_needs_an_app_token():
    import pytest
    from groundswell.bot.hosting import run_socket_mode
    from groundswell.core.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="GROUNDSWELL_SLACK_APP_TOKEN"):
        run_socket_mode(None, None)  # type: ignore[arg-type]


def test_unconfigured_agent_is_explained(engine, tmp_path):
    import pytest
    from groundswell.bot.errors import UserError
    from groundswell.bot.hosting import UnavailableAsker
    from groundswell.core.query import Viewer

    with pytest.raises(UserError, match="not available"):
        UnavailableAsker().ask("q", viewer=Viewer(name="x"))
