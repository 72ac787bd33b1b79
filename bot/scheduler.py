"""Scheduled digests: APScheduler 3.11 jobs rebuilt from subscription rows, posted exactly once.

* Subscriptions live in our own table; ``reload()`` rebuilds one ``AsyncIOScheduler`` job per
  active subscription (``CronTrigger`` in the subscription's IANA timezone, so local times are
  DST-correct) and is called at start, after every change, and by a periodic maintenance job
  (which also sees changes made by other processes).
* Each firing computes its slot (the trigger time, UTC), claims it through
  ``ClaimRepository.try_claim`` (a UNIQUE row, ``INSERT … ON CONFLICT DO NOTHING``) and only the
  winner builds, renders and posts, with retries and exponential backoff; after ``retries``
  failed tries the claim is marked failed. The message id is recorded on the claim.
* Missed slots (the process was down): at start — and on every ``tick`` — only the *latest*
  slot inside the grace window is considered, posted once and labelled late; older ones are
  dropped, never posted as a burst.
* A claim left in ``claimed`` by an instance that died mid-post is taken over after a lease.

Everything time-dependent goes through an injectable ``Clock``; ``tick(now)`` lets tests and
drivers run the scheduler without APScheduler's wall-clock timers. Slot computations live in
``bot._schedule_slots``, the platform-free sinks in ``bot._local_sinks`` and the builder port
and result type in ``bot._scheduler_types``; all are re-exported here.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot._local_sinks import FileSink, StdoutSink
from bot._schedule_slots import latest_slot, slots_between, trigger_for, window_for_slot
from bot._scheduler_types import DigestBuilder, FireResult
from briefs.clock import SystemClock
from briefs.digest.ports import (
    ChannelUnavailableError,
    ClaimRepository,
    ClaimStatus,
    DigestSink,
    InvalidSubscriptionError,
    Subscription,
    SubscriptionRepository,
)
from briefs.digest.quiet import should_post
from briefs.ports import Clock

__all__ = [
    "DigestBuilder",
    "DigestScheduler",
    "FileSink",
    "FireResult",
    "StdoutSink",
    "latest_slot",
    "slots_between",
    "trigger_for",
    "window_for_slot",
]

log = logging.getLogger(__name__)


# ----------------------------------------------------------------------------------- scheduler


class DigestScheduler:
    def __init__(
        self,
        *,
        subscriptions: SubscriptionRepository,
        claims: ClaimRepository,
        builder: DigestBuilder,
        sinks: Mapping[str, DigestSink],
        clock: Clock | None = None,
        lease_clock: Clock | None = None,
        grace: dt.timedelta = dt.timedelta(hours=6),
        late_after: dt.timedelta = dt.timedelta(minutes=5),
        lease: dt.timedelta = dt.timedelta(minutes=10),
        retries: int = 3,
        backoff: float = 2.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        chart: bool = True,
        chart_windows: int = 8,
        instance: str | None = None,
        maintenance_seconds: float = 60.0,
        scheduler: AsyncIOScheduler | None = None,
    ) -> None:
        if retries < 1:
            raise ValueError("retries must be at least 1")
        self._subs = subscriptions
        self._claims = claims
        self._builder = builder
        self._sinks = dict(sinks)
        self._clock: Clock = clock or SystemClock()
        self._lease_clock: Clock = lease_clock or self._clock
        self.grace = grace
        self.late_after = late_after
        self.lease = lease
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        self._chart = chart
        self._chart_windows = chart_windows
        self.instance = instance or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._maintenance_seconds = maintenance_seconds
        self._scheduler = scheduler
        self._active: dict[int, Subscription] = {}
        self._signature: tuple[Any, ...] = ()
        self._in_flight: set[asyncio.Task[Any]] = set()

    # ---------------------------------------------------------------- lifecycle (APScheduler)

    @property
    def scheduler(self) -> AsyncIOScheduler | None:
        return self._scheduler

    @property
    def subscriptions(self) -> dict[int, Subscription]:
        return dict(self._active)

    def jobs(self) -> dict[int, Job]:
        if self._scheduler is None:
            return {}
        out: dict[int, Job] = {}
        for job in self._scheduler.get_jobs():
            if job.id.startswith("digest-"):
                out[int(job.id.removeprefix("digest-"))] = job
        return out

    async def start(self, *, catch_up: bool = True) -> list[FireResult]:
        """Load subscriptions, arm jobs, post at most one late digest per subscription."""
        if self._scheduler is None:
            self._scheduler = AsyncIOScheduler(timezone=dt.UTC)
        await self.reload()
        self._scheduler.add_job(
            self._maintain,
            IntervalTrigger(seconds=self._maintenance_seconds, timezone=dt.UTC),
            id="maintenance-digests",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        if not self._scheduler.running:
            self._scheduler.start()
        return await self.catch_up() if catch_up else []

    async def shutdown(self, *, drain_s: float = 10.0) -> None:
        """Stop firing, let digests being posted finish (up to ``drain_s``), then stop.

        APScheduler's asyncio executor cancels running jobs at shutdown; a post cancelled
        mid-way would leave its claim ``claimed`` (and could hang the SQLite driver).
        """
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.pause()
            current = asyncio.current_task()
            in_flight = {t for t in self._in_flight if t is not current and not t.done()}
            if in_flight:
                log.info("waiting for %d digest post(s) in flight", len(in_flight))
                await asyncio.wait(in_flight, timeout=drain_s)
            self._scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # let the loop run the scheduled shutdown callback

    async def reload(self) -> None:
        """Rebuild the jobs from the subscription rows (call after every change)."""
        every = await self._subs.list(include_paused=False)
        self._signature = tuple(sorted(dataclasses.astuple(s) for s in every))
        # An instance only claims slots it can post: one without a Discord client must
        # leave Discord subscriptions to the instances that have one.
        subs = [s for s in every if s.platform in self._sinks]
        self._active = {s.id: s for s in subs}
        if self._scheduler is None:
            return
        wanted = {f"digest-{s.id}" for s in subs}
        for job in self._scheduler.get_jobs():
            if job.id.startswith("digest-") and job.id not in wanted:
                job.remove()
        for sub in subs:
            try:
                trigger = trigger_for(sub)
            except InvalidSubscriptionError:
                log.exception("subscription %s has an invalid schedule; skipped", sub.id)
                continue
            self._scheduler.add_job(
                self._on_job,
                trigger,
                args=[sub.id],
                id=f"digest-{sub.id}",
                name=sub.describe(),
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=max(1, int(self.grace.total_seconds())),
            )

    async def _maintain(self) -> None:
        try:
            subs = await self._subs.list(include_paused=False)
            if tuple(sorted(dataclasses.astuple(s) for s in subs)) != self._signature:
                await self.reload()
            await self.recover()
        except Exception:
            log.exception("digest maintenance failed")

    async def _on_job(self, subscription_id: int) -> None:
        """APScheduler callback: the slot is the latest trigger time at or before now."""
        sub = self._active.get(subscription_id)
        if sub is None:
            return
        now = self._clock.now()
        slot = latest_slot(sub, now, self.grace)
        if slot is None:
            return
        try:
            await self.fire(sub, slot, late=now - slot > self.late_after)
        except Exception:
            log.exception("digest for subscription %s at %s failed", sub.id, slot)

    # ----------------------------------------------------------------- clock-driven operation

    async def tick(
        self, now: dt.datetime | None = None, *, late_only: bool = False
    ) -> list[FireResult]:
        """Fire the latest due slot (within grace) of every active subscription, if unclaimed."""
        now = now or self._clock.now()
        results: list[FireResult] = []
        for sub in list(self._active.values()):
            slot = latest_slot(sub, now, self.grace)
            if slot is None:
                continue
            late = now - slot > self.late_after
            if late_only and not late:
                continue
            if await self._claims.get(sub.id, slot) is not None:
                continue
            results.append(await self.fire(sub, slot, late=late))
        return results

    async def catch_up(self, now: dt.datetime | None = None) -> list[FireResult]:
        """One late post per subscription for a slot missed while the process was down."""
        return await self.tick(now, late_only=True)

    async def recover(self, now: dt.datetime | None = None) -> list[FireResult]:
        """Take over claims whose instance died mid-post (older than the lease, within grace)."""
        now = now or self._clock.now()
        lease_now = self._lease_clock.now()
        results: list[FireResult] = []
        for claim in await self._claims.stale(lease_now - self.lease):
            sub = self._active.get(claim.subscription_id)
            if sub is None or now - claim.slot_start > self.grace:
                continue
            results.append(
                await self.fire(
                    sub, claim.slot_start, late=now - claim.slot_start > self.late_after
                )
            )
        return results

    # ------------------------------------------------------------------------------ one slot

    async def fire(self, sub: Subscription, slot: dt.datetime, *, late: bool = False) -> FireResult:
        """Claim ``slot`` for ``sub``; if won, build, post (with retries) and record."""
        task = asyncio.current_task()
        if task is None:  # pragma: no cover - always called from a task
            return await self._fire(sub, slot, late=late)
        self._in_flight.add(task)
        try:
            return await self._fire(sub, slot, late=late)
        finally:
            self._in_flight.discard(task)

    async def _fire(self, sub: Subscription, slot: dt.datetime, *, late: bool) -> FireResult:
        slot = slot.astimezone(dt.UTC).replace(microsecond=0)
        lease_now = self._lease_clock.now()
        won = await self._claims.try_claim(
            sub.id,
            slot,
            instance=self.instance,
            now=lease_now,
            stale_before=lease_now - self.lease,
        )
        if not won:
            return FireResult(sub.id, slot, "taken", late)
        current = await self._subs.get(sub.id)
        if current is None or current.paused:
            await self._claims.mark_failed(sub.id, slot, "subscription removed or paused")
            return FireResult(sub.id, slot, "gone", late)
        sub = current
        try:
            window = window_for_slot(sub, slot)
            digest = await self._builder.build(
                window, tracks=sub.tracks, tz=sub.timezone, save=True, late=late
            )
            digest = dataclasses.replace(
                digest,
                late=late,
                extra={**digest.extra, "slot_start": slot.isoformat(), "subscription_id": sub.id},
            )
            if not should_post(digest, quiet=sub.quiet):
                await self._claims.mark_posted(sub.id, slot, "quiet:nothing-new", digest.id)
                return FireResult(sub.id, slot, "quiet", late, None, digest.id)
            chart = (
                await self._builder.chart(
                    window, count=self._chart_windows, tracks=sub.tracks, tz=sub.timezone
                )
                if self._chart
                else None
            )
        except Exception as exc:
            log.exception("building the digest for subscription %s failed", sub.id)
            await self._claims.mark_failed(sub.id, slot, f"build: {exc!r}")
            return FireResult(sub.id, slot, "failed", late)
        sink = self._sinks.get(sub.platform)
        if sink is None:
            await self._claims.mark_failed(sub.id, slot, f"no sink for platform {sub.platform}")
            return FireResult(sub.id, slot, "failed", late, None, digest.id)
        attempts = 0
        error = ""
        for attempt in range(1, self.retries + 1):
            attempts = await self._claims.record_attempt(sub.id, slot)
            try:
                message_id = await sink.post(sub, digest, chart)
            except ChannelUnavailableError as exc:
                log.error(
                    "subscription %s: channel %s unavailable (%s); paused until an admin resumes",
                    sub.id,
                    sub.channel,
                    exc,
                )
                await self._claims.mark_failed(sub.id, slot, f"channel unavailable: {exc}")
                await self._subs.pause(sub.id)
                await self.reload()
                return FireResult(sub.id, slot, "failed", late, None, digest.id, attempts)
            except Exception as exc:
                error = repr(exc)
                log.warning(
                    "posting digest for subscription %s failed (try %d/%d): %s",
                    sub.id,
                    attempt,
                    self.retries,
                    error,
                )
                if attempt < self.retries:
                    await self._sleep(self.backoff * 2 ** (attempt - 1))
                continue
            await self._claims.mark_posted(sub.id, slot, message_id, digest.id)
            return FireResult(sub.id, slot, "posted", late, message_id, digest.id, attempts)
        await self._claims.mark_failed(sub.id, slot, error)
        return FireResult(sub.id, slot, "failed", late, None, digest.id, attempts)

    async def status(
        self, subscription_id: int
    ) -> list[tuple[dt.datetime, ClaimStatus, str | None]]:
        return [
            (c.slot_start, c.status, c.message_id) for c in await self._claims.list(subscription_id)
        ]
