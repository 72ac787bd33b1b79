"""`/brief search|show|list` for everyone; `/brief upload|delete|restore` for admins only."""

from __future__ import annotations

import datetime as dt

import discord
from discord import app_commands

from bot.container import App
from bot.discord_app._context import context_of, uploader_id
from bot.discord_app._reply import send
from bot.discord_app.permissions import actor_for, require_admin
from bot.discord_app.render import (
    brief_embed,
    brief_list_embed,
    neutralize,
    preview_embed,
    search_embed,
)
from bot.discord_app.views import delete_view, upload_view
from briefs.errors import FileTooLargeError, UnreadableFileError, UserError
from briefs.services.ingest import Overrides

__all__ = ["BriefCommands", "upload_limit"]


def upload_limit(interaction: discord.Interaction, max_bytes: int) -> int:
    """The smaller of our configured limit and what this guild lets members upload."""
    limits = [max_bytes]
    if interaction.guild is not None:
        limits.append(interaction.guild.filesize_limit)
    return min(limits)


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"“{value}” is not a date like 2024-03-15.") from None


async def _admin_deferred(interaction: discord.Interaction, action: str) -> App:
    """The app, once the user is checked to be an admin and the reply deferred (privately)."""
    app = context_of(interaction).app
    require_admin(interaction, app.settings, action)
    await interaction.response.defer(ephemeral=True, thinking=True)
    return app


class BriefCommands(app_commands.Group):
    def __init__(self) -> None:
        super().__init__(name="brief", description="Search, read and manage the briefs")

    @app_commands.command(name="search", description="Find briefs by words")
    @app_commands.describe(query="Words to look for, e.g. “Bushehr fuel”")
    async def search(
        self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 300]
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        hits = await context_of(interaction).app.catalog.search(query, limit=10)
        await send(interaction, embeds=[search_embed(query, hits)])

    @app_commands.command(name="show", description="Show one brief")
    @app_commands.describe(id="The brief number, e.g. 3")
    async def show(self, interaction: discord.Interaction, id: app_commands.Range[int, 1]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        detail = await context_of(interaction).app.catalog.show(id)
        await send(interaction, embeds=[brief_embed(detail)])

    @app_commands.command(name="list", description="List briefs, newest first")
    @app_commands.describe(recent="How many to list (default 15)")
    async def list_(
        self, interaction: discord.Interaction, recent: app_commands.Range[int, 1, 50] = 15
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        briefs = await context_of(interaction).app.catalog.list(limit=recent)
        await send(
            interaction, embeds=[brief_list_embed(briefs, heading=f"Latest {recent} briefs")]
        )

    @app_commands.command(
        name="upload", description="Add a brief (admins): PDF, HTML, Markdown, text"
    )
    @app_commands.describe(
        file="The brief file",
        title="Title to use instead of the detected one",
        date="Publication date YYYY-MM-DD instead of the detected one",
        source="Source URL or outlet name",
    )
    async def upload(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        title: app_commands.Range[str, 1, 300] | None = None,
        date: str | None = None,
        source: app_commands.Range[str, 1, 500] | None = None,
    ) -> None:
        ctx = context_of(interaction)
        app = ctx.app
        require_admin(interaction, app.settings, "upload briefs")
        published = _parse_date(date)
        # Refuse by metadata BEFORE downloading a single byte.
        limit = upload_limit(interaction, app.ingest.max_bytes)
        if file.size > limit:
            raise FileTooLargeError(
                f"'{file.filename}' is {file.size / 1_048_576:.1f} MiB; "
                f"the limit here is {limit / 1_048_576:.1f} MiB."
            )
        app.ingest.check_upload(file.filename, file.size)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await file.read()
        except discord.HTTPException as exc:
            raise UnreadableFileError(
                f"I couldn't download '{file.filename}' from Discord."
            ) from exc
        actor = actor_for(interaction, app.settings)
        overrides = Overrides(title=title, published=published, source=source)
        prepared = await app.ingest.prepare(file.filename, data, actor, overrides)
        token = await ctx.uploads.add(prepared, uploader_id(interaction.user.id), file.filename)
        await send(
            interaction,
            embeds=[preview_embed(prepared)],
            view=upload_view(token, prepared.status),
        )

    @app_commands.command(name="delete", description="Delete a brief (admins; can be restored)")
    @app_commands.describe(id="The brief number")
    async def delete(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1]
    ) -> None:
        app = await _admin_deferred(interaction, "delete briefs")
        brief = await app.catalog.get(id)
        await send(
            interaction,
            f"Delete brief #{brief.id} “{neutralize(brief.title)}”? It can be restored later.",
            view=delete_view(brief.id),
        )

    @app_commands.command(name="restore", description="Restore a deleted brief (admins)")
    @app_commands.describe(id="The brief number")
    async def restore(
        self, interaction: discord.Interaction, id: app_commands.Range[int, 1]
    ) -> None:
        app = await _admin_deferred(interaction, "restore briefs")
        brief = await app.catalog.restore(id, actor_for(interaction, app.settings))
        await send(interaction, f"Restored brief #{brief.id} “{neutralize(brief.title)}”.")
