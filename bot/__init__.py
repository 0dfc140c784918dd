"""The Slack app: `create_app(deps)` builds the Bolt app; listeners live in `bot/listeners/`."""

from bot.app import create_app
from bot.deps import BotDeps

__all__ = ["BotDeps", "create_app"]
