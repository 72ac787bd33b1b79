"""`/ask question [public]`: a cited answer from the corpus, or an honest abstention."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.discord_app._context import DiscordContext, context_of
from bot.discord_app._reply import send
from bot.discord_app.permissions import actor_for
from bot.discord_app.render import answer_embed
from bot.discord_app.views import answer_view
from briefs.services.ask import INDEPENDENT_EXCLUDES

__all__ = ["ask_command", "thread_context"]

log = logging.getLogger(__name__)


async def thread_context(interaction: discord.Interaction, ctx: DiscordContext) -> str | None:
    """In a thread started from an answer, the question that answer was for."""
    channel = interaction.channel
    if not isinstance(channel, discord.Thread):
        return None
    known = ctx.thread_questions.get(channel.id)
    if known is not None:
        return known
    if channel.parent_id is None:
        return None
    # A thread started from a message has the message's id; read that starter message.
    try:
        data = await interaction.client.http.get_message(channel.parent_id, channel.id)
    except discord.HTTPException:
        return None
    me = interaction.client.user
    author = data.get("author", {})
    embeds = data.get("embeds") or []
    if me is not None and str(author.get("id")) != str(me.id):
        return None
    title = embeds[0].get("title") if embeds else None
    if title:
        ctx.thread_questions.put(channel.id, title)
    return title


@app_commands.command(name="ask", description="Ask about Russia–Iran relations; cited answer")
@app_commands.describe(
    question="Your question, e.g. “Did Russia deliver S-300s to Iran?”",
    public="Post the answer in the channel (default: only you see it)",
    sources="independent: leave out state media and government sources (default: all)",
)
@app_commands.choices(
    sources=[
        app_commands.Choice(name="all", value="all"),
        app_commands.Choice(name="independent (no state media or government)", value="independent"),
    ]
)
async def ask_command(
    interaction: discord.Interaction,
    question: app_commands.Range[str, 1, 500],
    public: bool = False,
    sources: str = "all",
) -> None:
    await interaction.response.defer(ephemeral=not public, thinking=True)
    ctx = context_of(interaction)
    actor = actor_for(interaction, ctx.app.settings)
    context = await thread_context(interaction, ctx)
    if sources == "independent":
        answer = await ctx.app.ask.ask(
            question, actor, context=context, exclude=INDEPENDENT_EXCLUDES
        )
    else:
        answer = await ctx.app.ask.ask(question, actor, context=context)
    if answer.question_id is not None:
        ctx.questions.put(answer.question_id, question)
    message = await send(
        interaction,
        embeds=[answer_embed(answer)],
        ephemeral=not public,
        view=answer_view(answer.question_id, ephemeral=not public),
    )
    if public and message is not None:
        # a thread started from this answer has the message's id
        ctx.thread_questions.put(message.id, context or question)
    if isinstance(interaction.channel, discord.Thread) and context is None:
        ctx.thread_questions.put(interaction.channel.id, question)
