"""What digests need beyond ``briefs/ports.py``; ``storage/digest_store.py`` implements these.

Subscriptions are rows in our own table (APScheduler 3 job stores cannot be shared across
processes); ``ClaimRepository`` gives exactly-once posting with a UNIQUE
``(subscription_id, slot_start)`` claim row inserted with ``ON CONFLICT DO NOTHING``.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from briefs.digest.model import Digest
from briefs.digest.windows import InvalidWindowError, zone
from briefs.errors import UserError
from briefs.models import Brief

__all__ = [
    "CADENCES",
    "PLATFORMS",
    "ChannelUnavailableError",
    "Claim",
    "ClaimRepository",
    "ClaimStatus",
    "DigestRepository",
    "DigestSink",
    "IngestedBriefs",
    "InvalidSubscriptionError",
    "NewSubscription",
    "Subscription",
    "SubscriptionNotFoundError",
    "SubscriptionRepository",
    "parse_at",
]

PLATFORMS = ("discord", "slack", "file")
CADENCES = ("daily", "weekly", "monthly")
_AT = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class InvalidSubscriptionError(UserError):
    pass


class SubscriptionNotFoundError(UserError):
    pass


class ChannelUnavailableError(Exception):
    """A sink cannot post to the channel at all (deleted, no access, bot removed).

    Retrying cannot help: the scheduler fails the slot at once and pauses the subscription
    until an admin fixes the channel and resumes it.
    """


def parse_at(value: str) -> tuple[int, int]:
    """``"HH:MM"`` → ``(hour, minute)``."""
    m = _AT.match(value.strip())
    if not m:
        raise InvalidSubscriptionError(f"'{value}' is not a time of day like 08:30")
    return int(m.group(1)), int(m.group(2))


@dataclass(frozen=True, slots=True)
class NewSubscription:
    """A digest subscription as requested; validated on construction.

    ``cadence`` is ``daily``/``weekly``/``monthly`` or a cron expression (5 fields, or 6 with
    seconds first; weekday numbers follow crontab: 0 or 7 = Sunday). ``weekday`` is 0=Monday
    … 6=Sunday (weekly); ``day_of_month`` is 1–28 or -1 for the last day (monthly).
    """

    platform: str
    workspace: str
    channel: str
    cadence: str = "weekly"
    at: str = "08:00"
    weekday: int | None = None
    day_of_month: int | None = None
    timezone: str = "UTC"
    tracks: tuple[str, ...] | None = None
    quiet: bool = False
    created_by: str = ""

    def __post_init__(self) -> None:
        if self.platform not in PLATFORMS:
            raise InvalidSubscriptionError(
                f"unknown platform '{self.platform}': use one of {', '.join(PLATFORMS)}"
            )
        if not self.channel:
            raise InvalidSubscriptionError("a subscription needs a channel")
        parse_at(self.at)
        try:
            zone(self.timezone)
        except InvalidWindowError as exc:
            raise InvalidSubscriptionError(exc.message) from None
        if self.cadence not in CADENCES:
            fields = self.cadence.split()
            if len(fields) not in (5, 6):
                raise InvalidSubscriptionError(
                    f"unknown cadence '{self.cadence}': use daily, weekly, monthly or a cron "
                    "expression such as '30 7 * * 1'"
                )
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise InvalidSubscriptionError("weekday must be 0 (Monday) … 6 (Sunday)")
        if self.day_of_month is not None and not (
            1 <= self.day_of_month <= 28 or self.day_of_month == -1
        ):
            raise InvalidSubscriptionError(
                "day of month must be 1–28, or 'last' for the last day of the month"
            )


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    platform: str
    workspace: str
    channel: str
    cadence: str
    at: str
    weekday: int | None
    day_of_month: int | None
    timezone: str
    tracks: tuple[str, ...] | None
    quiet: bool
    created_by: str
    paused: bool
    created_at: dt.datetime

    def describe(self) -> str:
        if self.cadence == "daily":
            when = f"daily at {self.at}"
        elif self.cadence == "weekly":
            days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
            when = f"weekly on {days[self.weekday if self.weekday is not None else 0]} {self.at}"
        elif self.cadence == "monthly":
            dom = self.day_of_month if self.day_of_month is not None else 1
            when = f"monthly on day {'last' if dom == -1 else dom} at {self.at}"
        else:
            when = f"cron '{self.cadence}'"
        tracks = f" tracks={','.join(self.tracks)}" if self.tracks else ""
        flags = (" quiet" if self.quiet else "") + (" PAUSED" if self.paused else "")
        return (
            f"#{self.id} {self.platform}:{self.workspace}/{self.channel} {when} "
            f"{self.timezone}{tracks}{flags}"
        )


class SubscriptionRepository(Protocol):
    async def create(self, sub: NewSubscription) -> Subscription: ...

    async def list(
        self,
        *,
        platform: str | None = None,
        workspace: str | None = None,
        include_paused: bool = True,
    ) -> builtins.list[Subscription]: ...

    async def get(self, subscription_id: int) -> Subscription | None: ...

    async def pause(self, subscription_id: int) -> Subscription | None: ...

    async def resume(self, subscription_id: int) -> Subscription | None: ...

    async def remove(self, subscription_id: int) -> bool: ...


class ClaimStatus(StrEnum):
    CLAIMED = "claimed"
    POSTED = "posted"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Claim:
    subscription_id: int
    slot_start: dt.datetime  # aware UTC
    status: ClaimStatus
    attempts: int
    message_id: str | None
    claimed_at: dt.datetime
    instance: str
    digest_id: str | None = None
    error: str | None = None


class ClaimRepository(Protocol):
    async def try_claim(
        self,
        subscription_id: int,
        slot_start: dt.datetime,
        *,
        instance: str = "",
        now: dt.datetime | None = None,
        stale_before: dt.datetime | None = None,
    ) -> bool:
        """Insert the claim row (``ON CONFLICT DO NOTHING``); True if this call won it.

        With ``stale_before``, a row still ``claimed`` (never posted nor failed) whose
        ``claimed_at`` is older than that instant is taken over atomically — the instance
        that held it died mid-post.
        """
        ...

    async def record_attempt(self, subscription_id: int, slot_start: dt.datetime) -> int:
        """Increment and return the attempts counter."""
        ...

    async def mark_posted(
        self,
        subscription_id: int,
        slot_start: dt.datetime,
        message_id: str,
        digest_id: str | None = None,
    ) -> None: ...

    async def mark_failed(
        self, subscription_id: int, slot_start: dt.datetime, error: str = ""
    ) -> None: ...

    async def get(self, subscription_id: int, slot_start: dt.datetime) -> Claim | None: ...

    async def list(self, subscription_id: int | None = None) -> builtins.list[Claim]: ...

    async def stale(self, before: dt.datetime) -> builtins.list[Claim]:
        """Claims still in status ``claimed`` with ``claimed_at < before``."""
        ...


class DigestRepository(Protocol):
    async def save(self, digest: Digest) -> None:
        """Store ``digest.to_dict()`` as JSON (idempotent on ``digest.id``)."""
        ...

    async def get(self, digest_id: str) -> Digest | None: ...


class IngestedBriefs(Protocol):
    async def ingested_between(self, start: dt.datetime, end: dt.datetime) -> list[Brief]:
        """Non-deleted briefs with ``start <= ingested_at < end`` (aware UTC)."""
        ...


class DigestSink(Protocol):
    async def post(
        self, subscription: Subscription, digest: Digest, chart_png: bytes | None
    ) -> str:
        """Post the digest to the subscription's channel; return the platform message id."""
        ...
