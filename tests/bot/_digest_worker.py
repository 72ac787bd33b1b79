"""A scheduler process for the multi-process exactly-once test (driven clock, real database).

Usage: python -m tests.bot._digest_worker DB_URL OUT_DIR T0_ISO SLOTS STEP_SECONDS LEASE
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

from bot.scheduler import DigestScheduler, FileSink
from briefs.digest.service import DigestService
from storage import Database
from storage.digest_store import DigestStore


class DrivenClock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at


class WallClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


async def main(url: str, out: str, t0: str, slots: int, step: float, lease: float) -> None:
    db = await Database.connect(url)
    try:
        store = DigestStore(db.engine)
        clock = DrivenClock(dt.datetime.fromisoformat(t0))
        service = DigestService(db.sentences, digests=store.digests, clock=clock)
        sched = DigestScheduler(
            subscriptions=store.subscriptions,
            claims=store.claims,
            builder=service,
            sinks={"file": FileSink(out)},
            clock=clock,
            lease_clock=WallClock(),
            lease=dt.timedelta(seconds=lease),
            chart=False,
        )
        await sched.reload()
        start = dt.datetime.fromisoformat(t0)
        for i in range(slots):
            clock.at = start + dt.timedelta(minutes=i, seconds=1)
            await sched.tick()
            await asyncio.sleep(step)
        # claims left behind by a killed instance become stale after the lease
        await asyncio.sleep(lease + 0.5)
        await sched.recover()
        print("done", sched.instance, flush=True)
    finally:
        await db.close()


if __name__ == "__main__":
    a = sys.argv[1:]
    asyncio.run(main(a[0], a[1], a[2], int(a[3]), float(a[4]), float(a[5])))
