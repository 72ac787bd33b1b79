"""De-duplicate Slack event retries (``X-Slack-Retry-Num``) on ``event_id``.

Slack re-sends an event up to three times when it was not acknowledged in time, and bolt does
not de-duplicate. With several instances behind a load balancer a retry may land on another
instance, so ``SharedDeduplicator`` records ids in the ``slack_events`` table
(``storage.chat_state``: insert-or-nothing, exactly one instance wins; rows pruned after 1 h).
``EventDeduplicator`` is the in-memory variant (one process, TTL) for tests and tools.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from slack_bolt.response import BoltResponse

from storage.chat_state import SqlSeenEvents

__all__ = ["Deduplicator", "EventDeduplicator", "SharedDeduplicator", "dedupe_middleware"]

log = logging.getLogger(__name__)


class Deduplicator(Protocol):
    async def claim(self, key: str) -> bool:
        """True the first time ``key`` is seen (by any instance sharing the store)."""
        ...


class SharedDeduplicator:
    """Seen keys in the database, shared by every instance."""

    def __init__(self, store: SqlSeenEvents) -> None:
        self.store = store

    async def claim(self, key: str) -> bool:
        return await self.store.first_time(key)


class EventDeduplicator:
    def __init__(
        self,
        *,
        ttl_s: float = 3600.0,
        max_size: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_s
        self._max = max_size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        """True the first time ``key`` is seen within the TTL (and remember it)."""
        now = self._clock()
        while self._seen:
            oldest, expires = next(iter(self._seen.items()))
            if expires > now and len(self._seen) < self._max:
                break
            self._seen.pop(oldest)
        if key in self._seen:
            return False
        self._seen[key] = now + self._ttl
        return True

    async def claim(self, key: str) -> bool:
        return self.first_time(key)

    def __len__(self) -> int:
        return len(self._seen)


def dedupe_middleware(
    dedupe: Deduplicator,
) -> Callable[..., Awaitable[BoltResponse | None]]:
    """A bolt global middleware: a repeated ``event_id`` is acked (200) and goes no further."""

    async def skip_retried_events(
        body: dict[str, Any],
        next: Callable[[], Awaitable[None]],
    ) -> BoltResponse | None:
        if body.get("type") == "event_callback":
            event_id = body.get("event_id")
            if isinstance(event_id, str) and event_id and not await dedupe.claim(event_id):
                log.info("skipping repeated Slack event %s", event_id)
                return BoltResponse(status=200, body="")
        await next()
        return None

    return skip_retried_events
