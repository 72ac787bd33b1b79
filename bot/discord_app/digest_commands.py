"""`/digest now|list` for everyone; `/digest subscribe|pause|remove` for admins only."""

from __future__ import annotations

import asyncio
import io
from typing import Literal

import discord
from discord import app_commands

from bot.discord_app._context import DiscordContext, context_of
from bot.discord_app._reply import send
from bot.discord_app.permissions import require_admin
from bot.discord_app.render import digest_embeds
from briefs.digest.chart import balance_chart
from briefs.digest.ports import (
    NewSubscription,
    SubscriptionNotFoundError,
    SubscriptionRepository,
)
from briefs.digest.service import BalanceHistory, DigestService
from briefs.errors import UserError

__all__ = ["CHART_FILENAME", "DigestCommands", "chart_file", "deferred_digests"]

CHART_FILENAME = "balance.png"


def _require_digests(ctx: DiscordContext) -> tuple[DigestService, SubscriptionRepository]:
    if ctx.digests is None or ctx.subscriptions is None:
        raise UserError("Digests are not set up on this bot.")
    return ctx.digests, ctx.subscriptions


async def deferred_digests(
    interaction: discord.Interaction, *, public: bool
) -> tuple[DigestService, str]:
    """Defer (privately unless ``public``), then the digest service and the default timezone."""
    await interaction.response.defer(ephemeral=not public, thinking=True)
    ctx = context_of(interaction)
    digests, _subs = _require_digests(ctx)
    return digests, ctx.app.settings.timezone


async def chart_file(history: BalanceHistory, filename: str) -> discord.File:
    """The balance chart of ``history`` as a PNG attachment (drawn off the event loop)."""
    png = await asyncio.to_thread(balance_chart, history.labels, history.balances)
    return discord.File(io.BytesIO(png), filename=filename)


def _workspace(interaction: discord.Interaction) -> str:
    return str(interaction.guild_id) if interaction.guild_id else "dm"


def _tracks(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    parts = tuple(p.strip().lower().replace(" ", "_") for p in value.split(",") if p.strip())
    return parts or None


class DigestCommands(app_commands.Group):
    def __init__(self) -> None:
        super().__init__(name="digest", description="Cooperation vs tension digests")

    @app_commands.command(name="now", description="A digest of the latest day, week or month")
    @app_commands.describe(window="Which period (default: week)", public="Post in the channel")
    async def now(
        self,
        interaction: discord.Interaction,
        window: Literal["day", "week", "month"] = "week",
        public: bool = False,
    ) -> None:
        digests, tz = await deferred_digests(interaction, public=public)
        digest = await digests.build(window, tz=tz)
        history = await digests.history(window, tz=tz, tracks=digest.tracks_filter)
        await send(
            interaction,
            embeds=digest_embeds(digest, chart_filename=CHART_FILENAME),
            files=[await chart_file(history, CHART_FILENAME)],
            ephemeral=not public,
        )

    @app_commands.command(name="subscribe", description="Post digests here on a schedule (admins)")
    @app_commands.describe(
        cadence="daily, weekly or monthly",
        time="Local time of day, HH:MM",
        timezone="IANA timezone, e.g. Europe/Berlin",
        tracks="Comma-separated tracks (default: all), e.g. military,nuclear",
        quiet="Skip posting when nothing moved",
    )
    async def subscribe(
        self,
        interaction: discord.Interaction,
        cadence: Literal["daily", "weekly", "monthly"],
        time: app_commands.Range[str, 4, 5] = "08:00",
        timezone: app_commands.Range[str, 1, 64] = "UTC",
        tracks: str | None = None,
        quiet: bool = False,
    ) -> None:
        ctx = context_of(interaction)
        require_admin(interaction, ctx.app.settings, "subscribe channels to digests")
        _digests, subs = _require_digests(ctx)
        if interaction.channel_id is None:
            raise UserError("Run this in the channel that should receive the digests.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        sub = await subs.create(
            NewSubscription(
                platform="discord",
                workspace=_workspace(interaction),
                channel=str(interaction.channel_id),
                cadence=cadence,
                at=time,
                timezone=timezone,
                tracks=_tracks(tracks),
                quiet=quiet,
                created_by=f"discord:{interaction.user.id}",
            )
        )
        await _changed(ctx)
        await send(interaction, f"Subscribed: {sub.describe()}")

    @app_commands.command(name="list", description="Digest subscriptions in this server")
    async def list_(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        ctx = context_of(interaction)
        _digests, subs = _require_digests(ctx)
        found = await subs.list(platform="discord", workspace=_workspace(interaction))
        lines = [f"{s.describe()} → <#{s.channel}>" for s in found]
        await send(interaction, "\n".join(lines) or "No digest subscriptions in this server.")

    @app_commands.command(name="pause", description="Pause a digest subscription (admins)")
    @app_commands.describe(id="Subscription number from /digest list")
    async def pause(self, interaction: discord.Interaction, id: app_commands.Range[int, 1]) -> None:
        ctx = context_of(interaction)
        require_admin(interaction, ctx.app.settings, "pause digests")
        _digests, subs = _require_digests(ctx)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await _own(subs, interaction, id)
        sub = await subs.pause(id)
        await _changed(ctx)
        await send(interaction, f"Paused: {sub.describe() if sub else id}")

    @app_commands.command(name="remove", description="Remove a digest subscription (admins)")
    @app_commands.describe(id="Subscription number from /digest list")
    async def remove(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1]
    ) -> None:
        ctx = context_of(interaction)
        require_admin(interaction, ctx.app.settings, "remove digest subscriptions")
        _digests, subs = _require_digests(ctx)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await _own(subs, interaction, id)
        await subs.remove(id)
        await _changed(ctx)
        await send(interaction, f"Removed subscription #{id}.")


async def _own(subs: SubscriptionRepository, interaction: discord.Interaction, sub_id: int) -> None:
    sub = await subs.get(sub_id)
    if sub is None or sub.platform != "discord" or sub.workspace != _workspace(interaction):
        raise SubscriptionNotFoundError(f"There is no subscription #{sub_id} in this server.")


async def _changed(ctx: DiscordContext) -> None:
    if ctx.on_subscriptions_changed is not None:
        await ctx.on_subscriptions_changed()
