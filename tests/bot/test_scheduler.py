from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.scheduler import (
    DigestScheduler,
    FileSink,
    latest_slot,
    slots_between,
    trigger_for,
    window_for_slot,
)
from briefs.digest.model import Digest
from briefs.digest.ports import (
    ChannelUnavailableError,
    ClaimStatus,
    NewSubscription,
    Subscription,
)
from briefs.digest.service import DigestService
from briefs.digest.windows import WindowKind
from storage import Database
from storage.digest_store import DigestStore
from tests.briefs.digest.digest_fakes import FakeCorpus, brief, sentence

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")
ROOT = Path(__file__).resolve().parents[2]


def _sub(**kw: object) -> Subscription:
    values: dict[str, object] = {
        "id": 1,
        "platform": "file",
        "workspace": "w",
        "channel": "c",
        "cadence": "daily",
        "at": "08:00",
        "weekday": None,
        "day_of_month": None,
        "timezone": "Europe/Berlin",
        "tracks": None,
        "quiet": False,
        "created_by": "t",
        "paused": False,
        "created_at": dt.datetime(2025, 1, 1, tzinfo=UTC),
    }
    values.update(kw)
    return Subscription(**values)  # type: ignore[arg-type]


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at


class RecordingSink:
    def __init__(self, fail_times: int = 0) -> None:
        self.posts: list[tuple[int, Digest, bytes | None]] = []
        self.fail_times = fail_times
        self.calls = 0

    async def post(self, subscription: Subscription, digest: Digest, chart: bytes | None) -> str:
        self.calls += 1
        if self.calls <= self.fail_times:
            raise ConnectionError("platform down")
        self.posts.append((subscription.id, digest, chart))
        return f"m{len(self.posts)}"


# ------------------------------------------------------------------ pure slot computations


def test_daily_slots_through_spring_and_autumn_dst() -> None:
    sub = _sub(at="08:00")
    spring = slots_between(
        sub, dt.datetime(2025, 3, 28, tzinfo=UTC), dt.datetime(2025, 4, 1, tzinfo=UTC)
    )
    assert [s.astimezone(BERLIN).hour for s in spring] == [8, 8, 8, 8]
    assert [s.hour for s in spring] == [7, 7, 6, 6]  # CET → CEST on 30 March
    autumn = slots_between(
        sub, dt.datetime(2025, 10, 24, tzinfo=UTC), dt.datetime(2025, 10, 28, tzinfo=UTC)
    )
    assert [s.hour for s in autumn] == [6, 6, 7, 7]  # CEST → CET on 26 October


def test_nonexistent_and_repeated_local_times_fire_once_per_day() -> None:
    sub = _sub(at="02:30")
    spring = slots_between(
        sub, dt.datetime(2025, 3, 28, tzinfo=UTC), dt.datetime(2025, 4, 1, tzinfo=UTC)
    )
    autumn = slots_between(
        sub, dt.datetime(2025, 10, 24, tzinfo=UTC), dt.datetime(2025, 10, 28, tzinfo=UTC)
    )
    for slots in (spring, autumn):
        days = Counter(s.astimezone(BERLIN).date() for s in slots)
        assert all(n == 1 for n in days.values()), slots
    # 02:30 does not exist on 30 March: that day is skipped or shifted, never doubled
    assert len(spring) in (3, 4)
    assert len(autumn) == 4


def test_weekly_monthly_and_month_ends() -> None:
    weekly = _sub(cadence="weekly", weekday=0, at="07:30")
    mondays = slots_between(
        weekly, dt.datetime(2025, 3, 1, tzinfo=UTC), dt.datetime(2025, 4, 1, tzinfo=UTC)
    )
    assert [s.astimezone(BERLIN).day for s in mondays] == [3, 10, 17, 24, 31]
    last = _sub(cadence="monthly", day_of_month=-1, at="18:00")
    ends = slots_between(
        last, dt.datetime(2025, 1, 1, tzinfo=UTC), dt.datetime(2025, 5, 1, tzinfo=UTC)
    )
    assert [s.astimezone(BERLIN).date().isoformat() for s in ends] == [
        "2025-01-31",
        "2025-02-28",
        "2025-03-31",
        "2025-04-30",
    ]
    leap = slots_between(
        last, dt.datetime(2024, 2, 1, tzinfo=UTC), dt.datetime(2024, 3, 1, tzinfo=UTC)
    )
    assert leap[0].astimezone(BERLIN).day == 29
    first = _sub(cadence="monthly", day_of_month=1, at="06:00")
    w = window_for_slot(
        first,
        slots_between(
            first, dt.datetime(2025, 2, 15, tzinfo=UTC), dt.datetime(2025, 3, 15, tzinfo=UTC)
        )[0],
    )
    assert (w.kind, w.start.isoformat(), w.end.isoformat()) == (
        WindowKind.MONTH,
        "2025-02-01",
        "2025-03-01",
    )


def test_cron_cadence_uses_crontab_weekdays() -> None:
    sub = _sub(cadence="30 7 * * 1", timezone="UTC")  # crontab 1 = Monday
    slots = slots_between(
        sub, dt.datetime(2025, 1, 1, tzinfo=UTC), dt.datetime(2025, 1, 15, tzinfo=UTC)
    )
    assert [s.date().isoformat() for s in slots] == ["2025-01-06", "2025-01-13"]
    assert window_for_slot(sub, slots[0]).kind is WindowKind.WEEK
    sunday = _sub(cadence="0 9 * * 0", timezone="UTC")
    assert latest_slot(
        sunday, dt.datetime(2025, 1, 6, tzinfo=UTC), dt.timedelta(days=7)
    ) == dt.datetime(2025, 1, 5, 9, tzinfo=UTC)
    assert str(trigger_for(sub).timezone) == "UTC"


def test_daily_window_is_the_local_previous_day() -> None:
    sub = _sub(at="00:30")
    slot = dt.datetime(2025, 3, 30, 23, 30, tzinfo=UTC)  # 01:30 on 31 March in Berlin? no: CEST
    w = window_for_slot(sub, slot)
    assert (w.start.isoformat(), w.end.isoformat(), w.tz) == (
        "2025-03-30",
        "2025-03-31",
        "Europe/Berlin",
    )


# ------------------------------------------------------------------- with a real database


def _corpus() -> FakeCorpus:
    c = FakeCorpus()
    for day in range(1, 28):
        b = c.add(brief(day, dt.date(2025, 3, day)))
        for i in range(3):
            c.rows.append(
                (sentence(b.id, f"Moscow and Tehran {day}-{i}.", "cooperation", "military"), b)
            )
    return c


async def _scheduler(
    database: Database,
    clock: Clock,
    sink: RecordingSink | FileSink,
    *,
    retries: int = 3,
    sleeps: list[float] | None = None,
) -> tuple[DigestScheduler, DigestStore]:
    store = DigestStore(database.engine)
    service = DigestService(_corpus(), digests=store.digests, clock=clock)

    async def fake_sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)

    sched = DigestScheduler(
        subscriptions=store.subscriptions,
        claims=store.claims,
        builder=service,
        sinks={"file": sink},
        clock=clock,
        retries=retries,
        sleep=fake_sleep,
        chart_windows=3,
    )
    return sched, store


async def test_fake_clock_drives_daily_posts_through_dst(database: Database) -> None:
    clock = Clock(dt.datetime(2025, 3, 28, 0, 0, tzinfo=UTC))
    sink = RecordingSink()
    sched, store = await _scheduler(database, clock, sink)
    sub = await store.subscriptions.create(
        NewSubscription("file", "w", "c", "daily", "08:00", timezone="Europe/Berlin")
    )
    await sched.reload()
    while clock.at < dt.datetime(2025, 4, 1, 12, tzinfo=UTC):
        await sched.tick()
        clock.at += dt.timedelta(minutes=15)
    claims = await store.claims.list(sub.id)
    assert [c.slot_start.astimezone(BERLIN).strftime("%d %H:%M") for c in claims] == [
        "28 08:00",
        "29 08:00",
        "30 08:00",
        "31 08:00",
        "01 08:00",
    ]
    assert all(c.status is ClaimStatus.POSTED for c in claims)
    assert len(sink.posts) == 5
    assert not any(d.late for _, d, _ in sink.posts)
    windows = [d.window.start.isoformat() for _, d, _ in sink.posts]
    assert windows == ["2025-03-27", "2025-03-28", "2025-03-29", "2025-03-30", "2025-03-31"]
    assert all(png and png.startswith(b"\x89PNG") for _, _, png in sink.posts)


async def test_two_schedulers_racing_post_each_slot_once(database: Database) -> None:
    clock = Clock(dt.datetime(2025, 10, 24, 0, 0, tzinfo=UTC))
    sink = RecordingSink()
    a, store = await _scheduler(database, clock, sink)
    b, _ = await _scheduler(database, clock, sink)
    for cadence in ("daily", "0 */6 * * *"):
        await store.subscriptions.create(
            NewSubscription("file", "w", "c", cadence, "03:00", timezone="Europe/Berlin")
        )
    await a.reload()
    await b.reload()
    while clock.at < dt.datetime(2025, 10, 28, tzinfo=UTC):
        await asyncio.gather(a.tick(), b.tick())
        clock.at += dt.timedelta(minutes=30)
    keys = [(sid, d.extra["slot_start"]) for sid, d, _ in sink.posts]
    assert len(keys) == len(set(keys))
    claims = await store.claims.list()
    assert len(claims) == len(keys)
    assert {c.status for c in claims} == {ClaimStatus.POSTED}
    # 4 daily slots (26 Oct: 03:00 local was not doubled) + 17 six-hourly ones: the 16 in the
    # period plus 24 Oct 00:00 local, still inside the grace window at the first tick
    assert Counter(sid for sid, _ in keys) == Counter({1: 4, 2: 17})


async def test_instance_without_a_platform_sink_leaves_its_slots_alone(
    database: Database,
) -> None:
    """A box with no Discord client must not claim (and fail) Discord slots."""
    clock = Clock(dt.datetime(2025, 3, 28, 0, 0, tzinfo=UTC))
    sink = RecordingSink()
    sched, store = await _scheduler(database, clock, sink)
    discord_sub = await store.subscriptions.create(
        NewSubscription("discord", "g", "c", "daily", "08:00", timezone="UTC")
    )
    file_sub = await store.subscriptions.create(
        NewSubscription("file", "w", "c", "daily", "08:00", timezone="UTC")
    )
    await sched.reload()
    while clock.at < dt.datetime(2025, 3, 30, 12, tzinfo=UTC):
        await sched.tick()
        clock.at += dt.timedelta(hours=1)
    assert await store.claims.list(discord_sub.id) == []
    assert len(await store.claims.list(file_sub.id)) == 3
    assert set(sched.subscriptions) == {file_sub.id}


async def test_catch_up_posts_once_labelled_late(database: Database) -> None:
    clock = Clock(dt.datetime(2025, 1, 10, 12, 0, tzinfo=UTC))  # down since 6 January
    sink = RecordingSink()
    sched, store = await _scheduler(database, clock, sink)
    await store.subscriptions.create(
        NewSubscription("file", "w", "c", "daily", "09:00", timezone="UTC")
    )
    await sched.reload()
    first = await sched.catch_up()
    assert [r.outcome for r in first] == ["posted"]
    assert first[0].late
    assert first[0].slot == dt.datetime(2025, 1, 10, 9, tzinfo=UTC)  # only the latest slot
    assert sink.posts[0][1].late
    # a second instance starting later does not post it again
    other, _ = await _scheduler(database, clock, sink)
    await other.reload()
    assert await other.catch_up() == []
    assert len(sink.posts) == 1
    # a slot older than the grace window is dropped, not posted
    clock.at = dt.datetime(2025, 1, 11, 16, 0, tzinfo=UTC)  # 7 h after 09:00
    assert await sched.catch_up() == []
    assert len(sink.posts) == 1


class GoneChannelSink(RecordingSink):
    async def post(self, subscription: Subscription, digest: Digest, chart: bytes | None) -> str:
        self.calls += 1
        raise ChannelUnavailableError("channel_not_found")


async def test_unavailable_channel_fails_once_and_pauses_the_subscription(
    database: Database,
) -> None:
    clock = Clock(dt.datetime(2025, 1, 10, 9, 0, 5, tzinfo=UTC))
    sleeps: list[float] = []
    gone = GoneChannelSink()
    sched, store = await _scheduler(database, clock, gone, sleeps=sleeps)
    sub = await store.subscriptions.create(
        NewSubscription("file", "w", "c", "daily", "09:00", timezone="UTC")
    )
    await sched.reload()
    [res] = await sched.tick()
    assert res.outcome == "failed"
    assert gone.calls == 1  # no retries: they cannot help
    assert sleeps == []
    [claim] = await store.claims.list(sub.id)
    assert claim.status is ClaimStatus.FAILED
    assert (await store.subscriptions.get(sub.id)).paused
    clock.at += dt.timedelta(days=1)
    assert await sched.tick() == []  # paused: nothing more is attempted


async def test_retries_with_backoff_then_failed(database: Database) -> None:
    clock = Clock(dt.datetime(2025, 1, 10, 9, 0, 5, tzinfo=UTC))
    sleeps: list[float] = []
    flaky = RecordingSink(fail_times=2)
    sched, store = await _scheduler(database, clock, flaky, sleeps=sleeps)
    sub = await store.subscriptions.create(
        NewSubscription("file", "w", "c", "daily", "09:00", timezone="UTC")
    )
    await sched.reload()
    [res] = await sched.tick()
    assert (res.outcome, res.attempts) == ("posted", 3)
    assert sleeps == [2.0, 4.0]
    claim = await store.claims.get(sub.id, res.slot)
    assert claim is not None
    assert (claim.status, claim.attempts, claim.message_id) == (ClaimStatus.POSTED, 3, "m1")

    down = RecordingSink(fail_times=99)
    sched2, _ = await _scheduler(database, clock, down, retries=4, sleeps=sleeps)
    await sched2.reload()
    clock.at += dt.timedelta(days=1)
    [res] = await sched2.tick()
    assert (res.outcome, res.attempts) == ("failed", 4)
    claim = await store.claims.get(sub.id, res.slot)
    assert claim is not None
    assert claim.status is ClaimStatus.FAILED
    assert "platform down" in (claim.error or "")
    assert await sched2.tick() == []  # a failed slot is not retried forever


async def test_quiet_subscription_skips_uneventful_window(database: Database) -> None:
    clock = Clock(dt.datetime(2026, 6, 2, 9, 0, 5, tzinfo=UTC))  # no briefs anywhere near
    sink = RecordingSink()
    sched, store = await _scheduler(database, clock, sink)
    await store.subscriptions.create(
        NewSubscription("file", "w", "c", "daily", "09:00", timezone="UTC", quiet=True)
    )
    await sched.reload()
    [res] = await sched.tick()
    assert res.outcome == "quiet"
    assert sink.posts == []


async def test_apscheduler_jobs_follow_subscription_rows(database: Database) -> None:
    clock = Clock(dt.datetime.now(UTC))
    sink = RecordingSink()
    sched, store = await _scheduler(database, clock, sink)
    a = await store.subscriptions.create(
        NewSubscription("file", "w", "c", "daily", "08:00", timezone="Europe/Berlin")
    )
    b = await store.subscriptions.create(
        NewSubscription("file", "w", "c", "weekly", "07:00", weekday=0, timezone="Asia/Tehran")
    )
    try:
        await sched.start(catch_up=False)
        jobs = sched.jobs()
        assert set(jobs) == {a.id, b.id}
        assert str(jobs[a.id].trigger.timezone) == "Europe/Berlin"
        nxt = jobs[a.id].next_run_time
        assert nxt is not None
        assert nxt.astimezone(BERLIN).strftime("%H:%M") == "08:00"
        assert jobs[a.id].misfire_grace_time == 6 * 3600
        assert jobs[a.id].coalesce is True
        await store.subscriptions.pause(a.id)
        await sched.reload()
        assert set(sched.jobs()) == {b.id}
        await store.subscriptions.remove(b.id)
        await store.subscriptions.resume(a.id)
        await sched.reload()
        assert set(sched.jobs()) == {a.id}
    finally:
        await sched.shutdown()


async def test_file_sink_writes_markdown_chart_and_log(tmp_path: Path) -> None:
    c = _corpus()
    svc = DigestService(c)
    d = await svc.build("week", dt.date(2025, 3, 24))
    sink = FileSink(tmp_path)
    mid = await sink.post(_sub(), d, b"\x89PNGfake")
    assert mid.startswith("file:sub1/")
    lines = (tmp_path / "posts.jsonl").read_text().splitlines()
    assert json.loads(lines[0])["digest_id"] == d.id
    assert list((tmp_path / "sub1").glob("*.md"))
    assert list((tmp_path / "sub1").glob("*.png"))


async def test_file_sink_posts_a_slot_once_even_when_asked_twice(tmp_path: Path) -> None:
    """A takeover of a claim whose first poster died after writing must not post again."""
    d = await DigestService(_corpus()).build("week", dt.date(2025, 3, 24))
    d = dataclasses.replace(d, extra={**d.extra, "slot_start": "2025-03-24T08:00:00+00:00"})
    sink = FileSink(tmp_path)
    first = await sink.post(_sub(), d, None)
    again = await sink.post(_sub(), d, None)
    assert again == first
    assert len((tmp_path / "posts.jsonl").read_text().splitlines()) == 1
    other_slot = dataclasses.replace(d, extra={**d.extra, "slot_start": "2025-03-25T08:00:00"})
    assert await sink.post(_sub(), other_slot, None) != first
    assert len((tmp_path / "posts.jsonl").read_text().splitlines()) == 2


# ------------------------------------------------------------ several processes, one killed


@pytest.mark.slow
async def test_three_processes_one_killed_every_slot_once(db_url: str, tmp_path: Path) -> None:
    slots = 100
    db = await Database.connect(db_url)
    try:
        await db.upgrade()
        store = DigestStore(db.engine)
        sub = await store.subscriptions.create(
            NewSubscription("file", "w", "c", "* * * * *", "00:00", timezone="Europe/Berlin")
        )
    finally:
        await db.close()
    t0 = "2025-03-30T00:30:00+00:00"  # runs across the Berlin DST switch at 01:00 UTC
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [
        sys.executable,
        "-m",
        "tests.bot._digest_worker",
        db_url,
        str(tmp_path),
        t0,
        str(slots),
        "0.02",
        "2.0",
    ]
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: ASYNC220
        for _ in range(3)
    ]
    log = tmp_path / "posts.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if log.exists() and len(log.read_text().splitlines()) >= 25:
            break
        await asyncio.sleep(0.05)
    procs[0].send_signal(signal.SIGKILL)
    outs = []
    for p in procs:
        try:
            _out, err = await asyncio.to_thread(p.communicate, timeout=120)
        except subprocess.TimeoutExpired:
            p.kill()
            raise
        outs.append((p.returncode, err.decode()[-2000:]))
    assert outs[0][0] == -signal.SIGKILL
    assert all(rc == 0 for rc, _ in outs[1:]), outs
    posts = [json.loads(line) for line in log.read_text().splitlines()]
    per_slot = Counter(p["slot_start"] for p in posts)
    db = await Database.connect(db_url)
    try:
        claims = await DigestStore(db.engine).claims.list(sub.id)
    finally:
        await db.close()
    duplicates = sum(n - 1 for n in per_slot.values())
    missed = slots - len(per_slot)
    print(
        f"\nexactly-once: {len(per_slot)} slots posted, {duplicates} duplicates, {missed} missed"
        f" on {db_url.split(':')[0]}; posts by pid: {Counter(p['pid'] for p in posts)}"
    )
    assert duplicates == 0
    assert missed == 0
    assert len(claims) == slots
    assert {c.status for c in claims} == {ClaimStatus.POSTED}
