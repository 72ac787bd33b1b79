"""Benchmark: build a weekly digest over 10,000 briefs (≈100k sentences) plus its chart.

Run: python -m bench.digest_bench [--briefs 10000] [--sentences 10]. Target: ≤ 2 s.
Uses an in-memory sentence repository so it measures the digest core, not the database.

The chart module (matplotlib, ~0.3–0.5 s to import) is imported before the clock starts, as
the bot does at start-up (its Slack/Discord listeners import it): that is a once-per-process
cost, not a per-digest one. It is timed and printed on its own line, never left out silently;
``--cold`` leaves it to the first ``chart`` call instead.

The collector runs as usual while timing; one ``gc.collect()`` after the corpus is made gives
every run the same starting point (otherwise whether a full collection over the 800k in-memory
rows — standing in for the database — falls inside the timed part depends on where making the
corpus left the collector's counters). Time spent in collections while timing is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import random
import time

from briefs.digest.service import DigestService
from briefs.indicators import TRACKS
from briefs.models import Brief, DateOrigin, SentenceAnalysis, StoredSentence


class MemoryRepo:
    def __init__(self, rows: list[tuple[StoredSentence, Brief]]) -> None:
        self.rows = rows

    async def published_between(
        self, start: dt.date, end: dt.date, *, dyad_only: bool = True
    ) -> list[tuple[StoredSentence, Brief]]:
        return [r for r in self.rows if start <= r[1].published < end]


def corpus(n_briefs: int, per_brief: int, end: dt.date, weeks: int) -> MemoryRepo:
    rnd = random.Random(7)
    rows: list[tuple[StoredSentence, Brief]] = []
    sid = 0
    for i in range(n_briefs * weeks):
        published = end - dt.timedelta(days=1 + (i % (7 * weeks)))
        b = Brief(
            i + 1,
            f"Brief {i}",
            f"b{i}.md",
            f"https://x.org/{i}",
            f"outlet{i % 40}",
            published,
            DateOrigin.FRONT_MATTER,
            dt.datetime.combine(published, dt.time(9), tzinfo=dt.UTC),
            "bench",
            f"h{i}",
            1,
            None,
            False,
        )
        for k in range(per_brief):
            sid += 1
            label = rnd.choice(("cooperation", "tension", "neutral"))
            text = f"Russia and Iran sentence {rnd.randrange(10**9)} about {k}."
            a = SentenceAnalysis(
                k,
                0,
                len(text),
                text,
                True,
                label,
                rnd.choice(TRACKS),
                "historical" if rnd.random() < 0.05 else "asserted",
                rnd.uniform(-9, 9),
                rnd.random(),
                "bench",
            )
            rows.append((StoredSentence(sid, b.id, a), b))
    return MemoryRepo(rows)


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--briefs", type=int, default=10_000)
    p.add_argument("--sentences", type=int, default=10)
    p.add_argument("--history", type=int, default=8)
    p.add_argument(
        "--cold", action="store_true", help="import matplotlib inside the timed chart call"
    )
    args = p.parse_args()
    imported = None
    if not args.cold:
        t = time.perf_counter()
        import briefs.digest.chart  # noqa: F401  (as the bot's listeners do at start-up)

        imported = time.perf_counter() - t
    end = dt.date(2025, 1, 20)
    # 10k briefs in the digest window; earlier windows (previous + chart history) as busy
    repo = corpus(args.briefs, args.sentences, end, weeks=args.history)
    service = DigestService(repo)  # type: ignore[arg-type]
    gc.collect()
    pauses: list[float] = []
    started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses.append(time.perf_counter() - started[0])

    gc.callbacks.append(on_gc)
    c0, t0 = time.process_time(), time.perf_counter()
    digest = await service.build("week", end)
    c1, t1 = time.process_time(), time.perf_counter()
    png = await service.chart("week", end, count=args.history)
    c2, t2 = time.process_time(), time.perf_counter()
    gc.callbacks.remove(on_gc)
    in_window = sum(1 for _, b in repo.rows if digest.window.contains(b.published))
    print(
        f"{args.briefs} briefs/window, {in_window} sentences in window, "
        f"{len(repo.rows)} sentences total"
    )
    print(
        f"build {t1 - t0:.3f} s · chart ({args.history} windows) {t2 - t1:.3f} s · "
        f"total {t2 - t0:.3f} s · png {len(png) // 1024} KiB · {digest.headline}"
    )
    # CPU time of this process: steadier than wall time on a shared, busy machine
    print(
        f"cpu: build {c1 - c0:.3f} s · chart {c2 - c1:.3f} s · total {c2 - c0:.3f} s · "
        f"gc: {len(pauses)} collections, {sum(pauses):.3f} s (longest {max(pauses, default=0):.3f})"
    )
    if imported is not None:
        print(
            f"chart module import (matplotlib), once per process before timing: {imported:.3f} s"
            f" · with it: {t2 - t0 + imported:.3f} s"
        )


if __name__ == "__main__":
    asyncio.run(main())
