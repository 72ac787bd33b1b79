"""What the Slack listeners share: the core `App`, permissions, short-lived state.

Shared by every instance through the database (HTTP mode behind a load balancer): upload
previews (15 min, ``bot._pending``), seen event ids and file shares (``slack_events``).
In memory (per process) on purpose: answers kept for "Share in channel" and the last question
per thread (follow-ups); a restart or another instance falls back (share re-answers the
question, thread context is read back with ``conversations.replies``).
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
import time
import urllib.parse
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import aiohttp

from bot._pending import PREVIEW_TTL_S, PendingUpload, PendingUploads
from bot.container import App
from bot.slack_app.blocks import Message, notice
from bot.slack_app.dedupe import Deduplicator
from bot.slack_app.permissions import SlackPermissions
from bot.slack_app.sink import SlackDigestSink
from briefs.answering.model import Answer
from briefs.digest.ports import SubscriptionRepository
from briefs.digest.service import DigestService
from briefs.errors import FileTooLargeError, UnreadableFileError, UserError

__all__ = [
    "PREVIEW_TTL_S",
    "FileDownloader",
    "PendingUpload",
    "PendingUploads",
    "SlackServices",
    "TtlCache",
    "guarded",
    "new_ref",
]

log = logging.getLogger("bot.slack_app")

K = TypeVar("K")
V = TypeVar("V")


def new_ref() -> str:
    return secrets.token_hex(3)


class TtlCache(Generic[K, V]):
    """A small LRU dict whose entries expire after ``ttl_s`` seconds."""

    def __init__(
        self, ttl_s: float, max_size: int = 2000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self._max = max_size
        self._clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def put(self, key: K, value: V) -> None:
        self._items[key] = (self._clock() + self.ttl_s, value)
        self._items.move_to_end(key)
        while len(self._items) > self._max:
            self._items.popitem(last=False)

    def get(self, key: K) -> V | None:
        item = self._items.get(key)
        if item is None:
            return None
        if item[0] <= self._clock():
            self._items.pop(key, None)
            return None
        return item[1]

    def pop(self, key: K) -> V | None:
        value = self.get(key)
        self._items.pop(key, None)
        return value


class FileDownloader:
    """Downloads ``url_private_download`` with the bot token, never more than ``max_bytes``.

    The token is only ever sent to ``allowed_hosts`` over https (loopback may use http, for
    tests), so a forged file URL cannot exfiltrate it.
    """

    def __init__(
        self, token: str | None, *, allowed_hosts: tuple[str, ...] = ("files.slack.com",)
    ) -> None:
        self._token = token
        self._hosts = {h.lower() for h in allowed_hosts}
        self.requests: int = 0

    def _check_url(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").lower()
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if host not in self._hosts or not (parts.scheme == "https" or loopback):
            raise UnreadableFileError("That file link does not point to Slack; not downloaded.")

    async def fetch(
        self, url: str, filename: str, max_bytes: int, *, token: str | None = None
    ) -> bytes:
        """Download with ``token`` (the workspace's bot token in OAuth mode) or the default."""
        self._check_url(url)
        self.requests += 1
        headers = {"Authorization": f"Bearer {token or self._token}"}
        timeout = aiohttp.ClientTimeout(total=60)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url, headers=headers, allow_redirects=False) as resp,
        ):
            if resp.status != 200:
                raise UnreadableFileError(
                    f"Slack refused the download of '{filename}' (HTTP {resp.status})."
                )
            chunks: list[bytes] = []
            total = 0
            async for chunk in resp.content.iter_chunked(64 * 1024):
                total += len(chunk)
                if total > max_bytes:
                    raise FileTooLargeError(
                        f"'{filename}' is larger than the limit of {max_bytes / 1048576:g} MiB."
                    )
                chunks.append(chunk)
        return b"".join(chunks)


@dataclass
class SlackServices:
    app: App
    permissions: SlackPermissions
    downloader: FileDownloader
    # event ids and file shares already handled, by any instance
    dedupe: Deduplicator
    # upload previews awaiting Confirm / Cancel, shared by every instance
    previews: PendingUploads
    answers: TtlCache[int, Answer] = field(default_factory=lambda: TtlCache[int, Answer](24 * 3600))
    threads: TtlCache[tuple[str, str, str], str] = field(
        default_factory=lambda: TtlCache[tuple[str, str, str], str](7 * 24 * 3600, 20000)
    )
    digests: DigestService | None = None
    subscriptions: SubscriptionRepository | None = None
    sink: SlackDigestSink | None = None
    on_subscriptions_changed: Callable[[], Awaitable[Any]] | None = None


Reply = Callable[[Message], Awaitable[Any]]


async def guarded(reply: Reply, work: Awaitable[Any], *, what: str) -> None:
    """Run ``work``; a `UserError` becomes its message, anything else a logged ref."""
    try:
        await work
    except UserError as exc:
        await _safe_reply(reply, notice(exc.message, emoji=":warning:"), what)
    except Exception:
        ref = new_ref()
        log.exception("Slack %s failed (ref %s)", what, ref)
        await _safe_reply(reply, notice(f"Something went wrong (ref {ref})."), what)


async def _safe_reply(reply: Reply, message: Message, what: str) -> None:
    try:
        await reply(message)
    except Exception:
        log.exception("could not deliver the reply to a failed Slack %s", what)
