"""Buttons. Every button is a `DynamicItem` whose state lives in its custom id, so answers
keep working after a restart; admin buttons re-check permissions in code on every click."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

import discord

from bot.discord_app._context import PREVIEW_TTL_S, context_of, uploader_id
from bot.discord_app._reply import NO_MENTIONS, report_error, send
from bot.discord_app.permissions import actor_for, is_admin, require_admin
from bot.discord_app.render import closest_embed, fit_message, neutralize
from briefs.errors import PermissionDeniedError, UserError

__all__ = [
    "DYNAMIC_ITEMS",
    "DeleteButton",
    "MoreSourcesButton",
    "ShareButton",
    "UploadButton",
    "VoteButton",
    "answer_view",
    "delete_view",
    "upload_view",
]


async def _guarded(interaction: discord.Interaction, work: Callable[[], Awaitable[None]]) -> None:
    # discord.py only logs exceptions raised in dynamic item callbacks; report them instead.
    try:
        await work()
    except Exception as exc:
        await report_error(interaction, exc)


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"bb:vote:(?P<qid>\d+):(?P<vote>up|down)",
):
    def __init__(self, question_id: int, vote: str) -> None:
        self.question_id = question_id
        self.vote = vote
        super().__init__(
            discord.ui.Button(
                emoji="👍" if vote == "up" else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"bb:vote:{question_id}:{vote}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> VoteButton:
        return cls(int(match["qid"]), match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        async def work() -> None:
            ctx = context_of(interaction)
            actor = actor_for(interaction, ctx.app.settings)
            await ctx.app.ask.feedback(self.question_id, actor, 1 if self.vote == "up" else -1)
            await send(interaction, "Thanks — feedback recorded.", ephemeral=True)

        await _guarded(interaction, work)


class ShareButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"bb:share:(?P<qid>\d+)"
):
    """Post an ephemeral answer publicly: the same embeds, as a new channel message."""

    def __init__(self, question_id: int) -> None:
        self.question_id = question_id
        super().__init__(
            discord.ui.Button(
                label="Share to channel",
                style=discord.ButtonStyle.primary,
                custom_id=f"bb:share:{question_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ShareButton:
        return cls(int(match["qid"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async def work() -> None:
            message = interaction.message
            embeds = list(message.embeds) if message is not None else []
            if not embeds:
                raise UserError("That answer is no longer available; ask again.")
            view = discord.ui.View(timeout=None)
            view.add_item(VoteButton(self.question_id, "up"))
            view.add_item(VoteButton(self.question_id, "down"))
            await interaction.response.send_message(
                embeds=fit_message(embeds),
                ephemeral=False,
                view=view,
                allowed_mentions=NO_MENTIONS,
            )
            if interaction.message is not None and embeds[0].title:
                context_of(interaction).questions.put(self.question_id, embeds[0].title)

        await _guarded(interaction, work)


class MoreSourcesButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"bb:more:(?P<qid>\d+)"
):
    def __init__(self, question_id: int) -> None:
        self.question_id = question_id
        super().__init__(
            discord.ui.Button(
                label="More sources",
                style=discord.ButtonStyle.secondary,
                custom_id=f"bb:more:{question_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MoreSourcesButton:
        return cls(int(match["qid"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        async def work() -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            ctx = context_of(interaction)
            question = ctx.questions.get(self.question_id)
            if question is None and interaction.message and interaction.message.embeds:
                question = interaction.message.embeds[0].title
            if not question:
                raise UserError("I no longer know that question; ask it again.")
            hits = await ctx.app.catalog.search(question, limit=10)
            await send(interaction, embeds=[closest_embed(question, hits)], ephemeral=True)

        await _guarded(interaction, work)


def answer_view(question_id: int | None, *, ephemeral: bool) -> discord.ui.View | None:
    if question_id is None:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(question_id, "up"))
    view.add_item(VoteButton(question_id, "down"))
    if ephemeral:
        view.add_item(ShareButton(question_id))
    view.add_item(MoreSourcesButton(question_id))
    return view


class UploadButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"bb:upload:(?P<token>[0-9a-f]{12}):(?P<action>confirm|force|cancel)",
):
    """Confirm / Store anyway / Cancel on an upload preview (uploader or admins only)."""

    LABELS: ClassVar[dict[str, str]] = {
        "confirm": "Confirm",
        "force": "Store anyway",
        "cancel": "Cancel",
    }
    STYLES: ClassVar[dict[str, discord.ButtonStyle]] = {
        "confirm": discord.ButtonStyle.success,
        "force": discord.ButtonStyle.danger,
        "cancel": discord.ButtonStyle.secondary,
    }

    def __init__(self, token: str, action: str) -> None:
        self.token = token
        self.action = action
        super().__init__(
            discord.ui.Button(
                label=self.LABELS[action],
                style=self.STYLES[action],
                custom_id=f"bb:upload:{token}:{action}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> UploadButton:
        return cls(match["token"], match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        async def work() -> None:
            ctx = context_of(interaction)
            settings = ctx.app.settings
            pending = await ctx.uploads.get(self.token)
            admin = is_admin(interaction, settings)
            if self.action == "cancel":
                if pending is not None and not (
                    admin or uploader_id(interaction.user.id) == pending.uploader
                ):
                    raise PermissionDeniedError(
                        "Only the uploader or an admin can cancel this upload."
                    )
            elif not admin:
                raise PermissionDeniedError("Only admins can store briefs.")
            if pending is None:
                raise UserError(
                    f"This upload preview expired (previews last {PREVIEW_TTL_S // 60} minutes) "
                    "or was already handled; upload the file again."
                )
            if self.action == "cancel":
                await ctx.uploads.pop(self.token)
                await interaction.response.edit_message(
                    content="Upload cancelled; nothing stored.",
                    embeds=[],
                    view=None,
                    allowed_mentions=NO_MENTIONS,
                )
                return
            await interaction.response.defer()
            taken = await ctx.uploads.pop(self.token)
            if taken is None:  # confirmed or cancelled meanwhile (perhaps on another instance)
                raise UserError("This upload was already handled; nothing more was stored.")
            actor = actor_for(interaction, settings)
            stored = await ctx.app.ingest.commit(
                taken.prepared, actor, force=self.action == "force"
            )
            note = ""
            if stored.supersedes_id:
                note = f" (version {stored.version}, supersedes #{stored.supersedes_id})"
            await interaction.edit_original_response(
                content=f"Stored as brief #{stored.id} “{neutralize(stored.title)}”{note}.",
                embeds=[],
                view=None,
                allowed_mentions=NO_MENTIONS,
            )

        await _guarded(interaction, work)


def upload_view(token: str, status: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if status in ("add", "new_version"):
        view.add_item(UploadButton(token, "confirm"))
    elif status == "near_duplicate":
        view.add_item(UploadButton(token, "force"))
    view.add_item(UploadButton(token, "cancel"))
    return view


class DeleteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"bb:delete:(?P<bid>\d+):(?P<action>confirm|cancel)",
):
    def __init__(self, brief_id: int, action: str) -> None:
        self.brief_id = brief_id
        self.action = action
        super().__init__(
            discord.ui.Button(
                label="Delete" if action == "confirm" else "Keep",
                style=discord.ButtonStyle.danger
                if action == "confirm"
                else discord.ButtonStyle.secondary,
                custom_id=f"bb:delete:{brief_id}:{action}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DeleteButton:
        return cls(int(match["bid"]), match["action"])

    async def callback(self, interaction: discord.Interaction) -> None:
        async def work() -> None:
            ctx = context_of(interaction)
            settings = ctx.app.settings
            require_admin(interaction, settings, "delete briefs")
            if self.action == "cancel":
                await interaction.response.edit_message(
                    content=f"Kept brief #{self.brief_id}.",
                    embeds=[],
                    view=None,
                    allowed_mentions=NO_MENTIONS,
                )
                return
            await interaction.response.defer()
            brief = await ctx.app.catalog.delete(self.brief_id, actor_for(interaction, settings))
            await interaction.edit_original_response(
                content=f"Deleted brief #{brief.id} “{neutralize(brief.title)}”. "
                f"Undo with /brief restore {brief.id}.",
                embeds=[],
                view=None,
                allowed_mentions=NO_MENTIONS,
            )

        await _guarded(interaction, work)


def delete_view(brief_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(DeleteButton(brief_id, "confirm"))
    view.add_item(DeleteButton(brief_id, "cancel"))
    return view


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    VoteButton,
    ShareButton,
    MoreSourcesButton,
    UploadButton,
    DeleteButton,
)
