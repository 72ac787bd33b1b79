"""Sending to an interaction without pinging anyone, and turning errors into one clear line."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from bot.discord_app.render import fit_content, fit_message
from briefs.errors import UserError

__all__ = ["NO_MENTIONS", "report_error", "send"]

log = logging.getLogger("bot.discord_app")

NO_MENTIONS = discord.AllowedMentions.none()


async def send(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embeds: Sequence[discord.Embed] = (),
    ephemeral: bool = True,
    view: discord.ui.View | None = None,
    files: Sequence[discord.File] = (),
) -> discord.Message | None:
    """Respond, or follow up when the interaction was already answered/deferred."""
    kwargs: dict[str, Any] = {
        "allowed_mentions": NO_MENTIONS,
        "ephemeral": ephemeral,
    }
    if content is not None:
        kwargs["content"] = fit_content(content)
    if embeds:
        kwargs["embeds"] = fit_message(embeds)
    if view is not None:
        kwargs["view"] = view
    if files:
        kwargs["files"] = list(files)
    if not interaction.response.is_done():
        await interaction.response.send_message(**kwargs)
        return None
    return await interaction.followup.send(wait=True, **kwargs)


def _unwrap(error: BaseException) -> BaseException:
    while isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        inner = error.__cause__ if isinstance(error, app_commands.TransformerError) else None
        nxt = getattr(error, "original", None) or inner
        if nxt is None:
            break
        error = nxt
    return error


def error_message(error: BaseException) -> tuple[str, str | None]:
    """(message shown to the user, correlation id when it was unexpected)."""
    error = _unwrap(error)
    if isinstance(error, UserError):
        return error.message, None
    if isinstance(error, app_commands.TransformerError):
        return f"“{error.value}” is not a valid value for that option.", None
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You cannot use this command here.", None
    ref = secrets.token_hex(3)
    log.error("unhandled error (ref %s)", ref, exc_info=(type(error), error, error.__traceback__))
    return f"Something went wrong (ref {ref}). Please try again or tell an admin.", ref


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the user what went wrong — never silence, never a stack trace."""
    message, _ = error_message(error)
    try:
        await send(interaction, message, ephemeral=True)
    except discord.HTTPException:
        log.exception("could not report an error to the user")
