"""The Discord adapter (discord.py 2.7): slash commands, buttons, and a digest sink.

Named `discord_app` so it never shadows the `discord` package.
"""

from bot.discord_app.client import build_client, run_discord, sync_commands
from bot.discord_app.sink import DiscordDigestSink

__all__ = ["DiscordDigestSink", "build_client", "run_discord", "sync_commands"]
