"""Adapters and the composition root: CLI, Discord, Slack, scheduler."""
