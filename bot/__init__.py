"""The Slack app: `create_app(deps)` builds the Bolt app; listeners live in `bot/listeners/`."""

from groundswell.bot.app import create_app
from groundswell.bot.deps import BotDeps

__all__ = ["BotDeps", "create_app"]
