"""Adapter state shared by commands and buttons: the App, pending uploads, thread questions.

Upload previews live in the database (``bot._pending``): a Confirm click handled by another
shard or process, or after a restart, still finds its preview.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import cast

import discord

from bot._pending import PREVIEW_TTL_S, PendingUpload, PendingUploads
from bot.container import App
from briefs.digest.ports import SubscriptionRepository
from briefs.digest.service import DigestService
from storage.chat_state import ChatState

__all__ = [
    "PREVIEW_TTL_S",
    "DiscordContext",
    "PendingUpload",
    "PendingUploads",
    "context_of",
    "uploader_id",
]


def uploader_id(user_id: int) -> str:
    """How a Discord uploader is recorded with a pending upload."""
    return f"discord:{user_id}"


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
    # shared state in the database (a default one on app.database when not given)
    chat_state: ChatState | None = None
    uploads: PendingUploads = field(init=False)
    # id of a public answer message (= id of a thread started from it) → its question
    thread_questions: BoundedMap = field(default_factory=BoundedMap)
    # question id → question text, for "More sources"
    questions: BoundedMap = field(default_factory=BoundedMap)
    digests: DigestService | None = None
    subscriptions: SubscriptionRepository | None = None
    # called after a subscription changes (the scheduler's `reload`)
    on_subscriptions_changed: Callable[[], Awaitable[None]] | None = None

    def __post_init__(self) -> None:
        if self.chat_state is None:
            self.chat_state = ChatState(self.app.database.engine, self.app.clock)
        self.uploads = PendingUploads(self.chat_state.uploads, "discord")


def context_of(interaction: discord.Interaction) -> DiscordContext:
    return cast(DiscordContext, interaction.client.ctx)  # type: ignore[attr-defined]
