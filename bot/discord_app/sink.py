"""`DiscordDigestSink`: the scheduler posts digests to a channel through the REST API."""

from __future__ import annotations

import io

import discord

from bot.discord_app._reply import NO_MENTIONS
from bot.discord_app.digest_commands import CHART_FILENAME
from bot.discord_app.render import digest_embeds
from briefs.digest.model import Digest
from briefs.digest.ports import ChannelUnavailableError, Subscription

__all__ = ["DiscordDigestSink"]


class DiscordDigestSink:
    """Implements `briefs.digest.ports.DigestSink` for `platform == "discord"`.

    Needs only a logged-in client (REST), not a gateway connection.
    """

    def __init__(self, client: discord.Client) -> None:
        self._client = client

    async def post(
        self, subscription: Subscription, digest: Digest, chart_png: bytes | None
    ) -> str:
        channel = self._client.get_partial_messageable(int(subscription.channel))
        name = CHART_FILENAME if chart_png else None
        embeds = digest_embeds(digest, chart_filename=name)
        try:
            if chart_png:
                message = await channel.send(
                    embeds=embeds,
                    file=discord.File(io.BytesIO(chart_png), filename=CHART_FILENAME),
                    allowed_mentions=NO_MENTIONS,
                )
            else:
                message = await channel.send(embeds=embeds, allowed_mentions=NO_MENTIONS)
        except (discord.Forbidden, discord.NotFound) as exc:
            # Deleted channel or lost permission: retrying cannot help.
            raise ChannelUnavailableError(f"Discord {exc.status}: {exc.text}") from exc
        return str(message.id)
