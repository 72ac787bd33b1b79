"""Small helpers the listener modules share."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.slack_app._services import SlackServices, guarded
from bot.slack_app.blocks import Message, unescape
from bot.slack_app.permissions import ADMIN_REFUSAL, actor_id
from briefs.errors import PermissionDeniedError, UserError
from briefs.services.actor import Actor

__all__ = [
    "Reply",
    "acked",
    "admin_actor",
    "ephemeral",
    "parse_id",
    "plain_actor",
    "question_text",
    "team_of",
]

Reply = Callable[[Message], Awaitable[Any]]

_MENTION = re.compile(r"<[@!][^>]*>")


def team_of(context: AsyncBoltContext) -> str:
    return str(context.team_id or context.enterprise_id or "-")


def plain_actor(context: AsyncBoltContext, user_id: str | None = None) -> Actor:
    """The actor for non-admin work (asking, voting): no API call needed."""
    return Actor(actor_id(team_of(context), user_id or context.user_id or ""), platform="slack")


async def admin_actor(services: SlackServices, context: AsyncBoltContext, action: str) -> Actor:
    """The actor, after checking in code that they are an admin; refuses otherwise."""
    user = context.user_id or ""
    client = context.client
    if client is None:  # pragma: no cover - bolt always sets a client
        raise PermissionDeniedError(ADMIN_REFUSAL.format(action=action))
    actor = await services.permissions.actor(client, team_of(context), user)
    if not actor.is_admin:
        raise PermissionDeniedError(ADMIN_REFUSAL.format(action=action))
    return actor


def ephemeral(respond: AsyncRespond, *, replace_original: bool | None = None) -> Reply:
    async def reply(message: Message) -> None:
        await respond(
            response_type="ephemeral",
            replace_original=bool(replace_original),
            **message.kwargs(),
        )

    return reply


async def acked(
    ack: AsyncAck,
    respond: AsyncRespond,
    work: Callable[[], Awaitable[Any]],
    *,
    what: str,
) -> None:
    """Ack at once, then run ``work()`` guarded, failures answered privately."""
    await ack()
    reply = ephemeral(respond)
    await guarded(reply, work(), what=what)


def question_text(raw: str | None) -> str:
    """User text as typed: Slack's escaping undone, mentions of the bot removed."""
    return " ".join(unescape(_MENTION.sub(" ", raw or "")).split())


def parse_id(value: str, what: str = "brief") -> int:
    cleaned = value.strip().lstrip("#")
    if not cleaned.isdigit() or len(cleaned) > 12:
        raise UserError(f"'{value.strip()}' is not a {what} number; try `#12` or `12`.")
    return int(cleaned)
