"""Bolt listeners, one module per kind; each exposes ``register(bolt_app, services)``."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack_app._services import SlackServices
from bot.slack_app.listeners import actions, commands, events

__all__ = ["register_all"]


def register_all(bolt_app: AsyncApp, services: SlackServices) -> None:
    commands.register(bolt_app, services)
    events.register(bolt_app, services)
    actions.register(bolt_app, services)
