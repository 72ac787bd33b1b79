"""The Discord client: a `CommandTree` of app commands built from the `App`.

No message-content intent (slash commands and buttons only) and no tree sync at start —
syncing is rate limited, so it is an explicit step: `python -m bot discord sync [--guild ID]`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.container import App
from bot.discord_app._context import DiscordContext
from bot.discord_app._reply import NO_MENTIONS, report_error
from bot.discord_app.ask_commands import ask_command
from bot.discord_app.brief_commands import BriefCommands
from bot.discord_app.digest_commands import DigestCommands
from bot.discord_app.indicators_commands import indicators_command
from bot.discord_app.views import DYNAMIC_ITEMS
from briefs.digest.ports import SubscriptionRepository
from briefs.digest.service import DigestService
from storage.digest_store import DigestStore

__all__ = [
    "BriefBotClient",
    "BriefTree",
    "ShardedBriefBotClient",
    "build_client",
    "intents",
    "run_discord",
    "sync_commands",
]

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Minimal: guild metadata only (channels, upload limits). No message content, no members."""
    value = discord.Intents.none()
    value.guilds = True
    return value


class BriefTree(app_commands.CommandTree[Any]):
    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """The global handler: a user error as its message, anything else with a ref id."""
        await report_error(interaction, error)


class _BriefBot:
    ctx: DiscordContext
    tree: BriefTree

    def _setup_bot(self, app: App, wiring: dict[str, Any]) -> None:
        client: Any = self
        self.ctx = DiscordContext(app, **_digest_wiring(app, wiring))
        self.tree = BriefTree(client)
        self.tree.add_command(ask_command)
        self.tree.add_command(BriefCommands())
        self.tree.add_command(DigestCommands())
        self.tree.add_command(indicators_command)
        client.add_dynamic_items(*DYNAMIC_ITEMS)

    @property
    def app(self) -> App:
        return self.ctx.app


class BriefBotClient(_BriefBot, discord.Client):
    def __init__(self, app: App, wiring: dict[str, Any] | None = None, **options: Any) -> None:
        wiring = wiring or {}
        discord.Client.__init__(self, intents=intents(), allowed_mentions=NO_MENTIONS, **options)
        self._setup_bot(app, wiring)


class ShardedBriefBotClient(_BriefBot, discord.AutoShardedClient):
    """Above 2500 guilds Discord requires sharding; one process per shard range."""

    def __init__(self, app: App, wiring: dict[str, Any] | None = None, **options: Any) -> None:
        wiring = wiring or {}
        discord.AutoShardedClient.__init__(
            self, intents=intents(), allowed_mentions=NO_MENTIONS, **options
        )
        self._setup_bot(app, wiring)


def _digest_wiring(app: App, wiring: dict[str, Any]) -> dict[str, Any]:
    """Digest service + subscriptions: as given, else built on the app's database."""
    out = dict(wiring)
    if out.get("digests") is None or out.get("subscriptions") is None:
        store = DigestStore(app.database.engine, app.clock)
        out.setdefault("subscriptions", store.subscriptions)
        if out.get("digests") is None:
            out["digests"] = DigestService(
                app.database.sentences,
                ingested=store.ingested,
                digests=store.digests,
                clock=app.clock,
                default_tz=app.settings.timezone,
            )
        if out.get("subscriptions") is None:
            out["subscriptions"] = store.subscriptions
    return out


def build_client(
    app: App,
    *,
    digests: DigestService | None = None,
    subscriptions: SubscriptionRepository | None = None,
    on_subscriptions_changed: Callable[[], Awaitable[None]] | None = None,
    **options: Any,
) -> BriefBotClient | ShardedBriefBotClient:
    """The client for `app`; pass the scheduler's `reload` as `on_subscriptions_changed`."""
    wiring = {
        "digests": digests,
        "subscriptions": subscriptions,
        "on_subscriptions_changed": on_subscriptions_changed,
    }
    shards = app.settings.discord_shard_count
    if shards is not None and shards > 1:
        return ShardedBriefBotClient(app, wiring, shard_count=shards, **options)
    return BriefBotClient(app, wiring, **options)


async def sync_commands(
    client: BriefBotClient | ShardedBriefBotClient, guild_id: int | None = None
) -> list[app_commands.AppCommand]:
    """Register the commands with Discord (globally, or instantly in one guild for testing)."""
    if guild_id is None:
        return await client.tree.sync()
    guild = discord.Object(id=guild_id)
    client.tree.copy_global_to(guild=guild)
    return await client.tree.sync(guild=guild)


def _token(app: App) -> str:
    token = app.settings.discord_token
    if token is None or not token.get_secret_value().strip():
        raise RuntimeError("DISCORD_TOKEN is not set")
    return token.get_secret_value().strip()


async def run_discord(
    app: App, *, client: BriefBotClient | ShardedBriefBotClient | None = None
) -> None:
    """Log in and serve until cancelled (the `serve` command runs this)."""
    token = _token(app)
    client = client or build_client(app)
    async with client:
        await client.start(token)
