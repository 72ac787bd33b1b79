"""The Slack adapter (slack-bolt `AsyncApp`): /ask, /brief, /digest, mentions, DMs, uploads."""

from bot.slack_app.app import SlackRuntime, build_slack, run_slack
from bot.slack_app.sink import SlackDigestSink

__all__ = ["SlackDigestSink", "SlackRuntime", "build_slack", "run_slack"]
