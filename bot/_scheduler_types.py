"""What ``bot.scheduler`` exchanges: the ``DigestBuilder`` port it calls and the ``FireResult``
each slot ends with. Re-exported by ``bot.scheduler``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from briefs.digest.model import Digest
from briefs.digest.windows import Window, WindowKind

__all__ = ["DigestBuilder", "FireResult"]


class DigestBuilder(Protocol):
    """What the scheduler needs from ``briefs.digest.service.DigestService``."""

    async def build(
        self,
        window: Window | WindowKind | str,
        end: dt.date | None = None,
        tracks: Sequence[str] | None = None,
        tz: str | None = None,
        *,
        save: bool = True,
        late: bool = False,
    ) -> Digest: ...

    async def chart(
        self,
        window: Window | WindowKind | str,
        end: dt.date | None = None,
        *,
        count: int = 8,
        tracks: Sequence[str] | None = None,
        tz: str | None = None,
    ) -> bytes: ...


@dataclass(frozen=True, slots=True)
class FireResult:
    subscription_id: int
    slot: dt.datetime
    outcome: str  # posted | quiet | taken | failed | gone
    late: bool = False
    message_id: str | None = None
    digest_id: str | None = None
    attempts: int = 0
