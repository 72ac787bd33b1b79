"""The Discord adapter's own loopback fake and fixtures, reused as they are."""

from tests.bot.discord_app.conftest import client, core, fake, settings  # noqa: F401
