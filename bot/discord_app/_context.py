"""Adapter state shared by commands and buttons: the App, pending uploads, thread questions."""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import cast

import discord

from bot.container import App
from briefs.digest.ports import SubscriptionRepository
from briefs.digest.service import DigestService
from briefs.services.ingest import PreparedBrief

__all__ = ["PREVIEW_TTL_S", "DiscordContext", "PendingUpload", "PendingUploads", "context_of"]

PREVIEW_TTL_S = 15 * 60  # the follow-up webhook token lives 15 minutes, so do previews


@dataclass(frozen=True, slots=True)
class PendingUpload:
    prepared: PreparedBrief
    uploader_id: int
    created: float


class PendingUploads:
    """Prepared briefs awaiting Confirm / Cancel, keyed by a random token in the button id."""

    def __init__(
        self, ttl_s: float = PREVIEW_TTL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self._items: dict[str, PendingUpload] = {}

    def add(self, prepared: PreparedBrief, uploader_id: int) -> str:
        self._expire()
        token = secrets.token_hex(6)
        self._items[token] = PendingUpload(prepared, uploader_id, self.clock())
        return token

    def get(self, token: str) -> PendingUpload | None:
        self._expire()
        return self._items.get(token)

    def pop(self, token: str) -> PendingUpload | None:
        self._expire()
        return self._items.pop(token, None)

    def __len__(self) -> int:
        return len(self._items)

    def _expire(self) -> None:
        cutoff = self.clock() - self.ttl_s
        for token in [t for t, p in self._items.items() if p.created < cutoff]:
            del self._items[token]


class BoundedMap(OrderedDict[int, str]):
    """A small LRU map (message/thread id → question)."""

    def __init__(self, size: int = 2000) -> None:
        super().__init__()
        self.size = size

    def put(self, key: int, value: str) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.size:
            self.popitem(last=False)


@dataclass
class DiscordContext:
    app: App
    uploads: PendingUploads = field(default_factory=PendingUploads)
    # id of a public answer message (= id of a thread started from it) → its question
    thread_questions: BoundedMap = field(default_factory=BoundedMap)
    # question id → question text, for "More sources"
    questions: BoundedMap = field(default_factory=BoundedMap)
    digests: DigestService | None = None
    subscriptions: SubscriptionRepository | None = None
    # called after a subscription changes (the scheduler's `reload`)
    on_subscriptions_changed: Callable[[], Awaitable[None]] | None = None


def context_of(interaction: discord.Interaction) -> DiscordContext:
    return cast(DiscordContext, interaction.client.ctx)  # type: ignore[attr-defined]
