"""The Slack adapter's own loopback fake and fixtures, reused as they are."""

from tests.bot.slack_app.conftest import core, harness, slack, template_db  # noqa: F401
