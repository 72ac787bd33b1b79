"""`SlackDigestSink`: the `DigestSink` port for Slack (message + chart via files_upload_v2)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app.blocks import digest_message
from briefs.digest.model import Digest
from briefs.digest.ports import ChannelUnavailableError, Subscription
from briefs.digest.render_text import title_line

# Slack errors after which posting to the channel again cannot succeed.
CHANNEL_GONE = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "channel_is_archived",
        "account_inactive",
    }
)

__all__ = ["SlackDigestSink", "TokenLookup"]

# workspace (team id) → that workspace's bot token (OAuth installs), None when not installed
TokenLookup = Callable[[str], Awaitable[str | None]]

log = logging.getLogger(__name__)


class SlackDigestSink:
    """Posts a digest to a channel; the chart goes in the message's thread as a PNG file.

    Single workspace: every post uses ``client`` (its bot token). Multi-workspace (OAuth):
    ``token_for`` finds the subscription's workspace installation and the post uses a client
    with that bot token (same base URL and retry handlers).
    """

    def __init__(self, client: AsyncWebClient, *, token_for: TokenLookup | None = None) -> None:
        self._client = client
        self._token_for = token_for

    async def post(
        self, subscription: Subscription, digest: Digest, chart_png: bytes | None
    ) -> str:
        return await self.post_to_channel(
            subscription.channel, digest, chart_png, team=subscription.workspace
        )

    async def _client_for(self, team: str | None) -> AsyncWebClient:
        if self._token_for is None:
            return self._client
        token = await self._token_for(team or "") if team else None
        if not token:
            raise SlackClientError(f"the app is not installed in Slack workspace {team!r}")
        base = self._client
        return AsyncWebClient(
            token=token,
            base_url=base.base_url,
            timeout=base.timeout,
            retry_handlers=list(base.retry_handlers),
        )

    async def post_to_channel(
        self, channel: str, digest: Digest, chart_png: bytes | None, *, team: str | None = None
    ) -> str:
        """Post and return ``"<channel>/<ts>"``; raises `SlackApiError` if the post fails."""
        message = digest_message(digest)
        client = await self._client_for(team)
        try:
            resp = await client.chat_postMessage(
                channel=channel, unfurl_links=False, unfurl_media=False, **message.kwargs()
            )
        except SlackApiError as exc:
            code = str(exc.response.get("error", "")) if exc.response is not None else ""
            if code in CHANNEL_GONE:
                raise ChannelUnavailableError(f"Slack {code} for channel {channel}") from exc
            raise
        posted_in = str(resp.get("channel") or channel)
        ts = str(resp.get("ts") or "")
        if chart_png:
            try:
                await client.files_upload_v2(
                    channel=posted_in,
                    thread_ts=ts or None,
                    file=chart_png,
                    filename=f"digest-{digest.id or 'chart'}.png",
                    title=title_line(digest)[:200],
                    alt_txt="Balance between cooperation and tension per track, recent windows",
                )
            except (SlackApiError, SlackClientError) as exc:
                # The digest itself is out; a missing chart must not make the scheduler retry.
                log.warning("digest %s: chart upload to %s failed: %s", digest.id, posted_in, exc)
        return f"{posted_in}/{ts}"
