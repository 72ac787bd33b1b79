"""Benchmark: build a weekly digest over 10,000 briefs (≈100k sentences) plus its chart.

Run: python bench/digest_bench.py [--briefs 10000] [--sentences 10]. Target: ≤ 2 s.
Uses an in-memory sentence repository so it measures the digest core, not the database.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
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
    args = p.parse_args()
    end = dt.date(2025, 1, 20)
    # 10k briefs in the digest window; earlier windows (previous + chart history) as busy
    repo = corpus(args.briefs, args.sentences, end, weeks=args.history)
    service = DigestService(repo)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    digest = await service.build("week", end)
    t1 = time.perf_counter()
    png = await service.chart("week", end, count=args.history)
    t2 = time.perf_counter()
    in_window = sum(1 for _, b in repo.rows if digest.window.contains(b.published))
    print(
        f"{args.briefs} briefs/window, {in_window} sentences in window, "
        f"{len(repo.rows)} sentences total"
    )
    print(
        f"build {t1 - t0:.3f} s · chart ({args.history} windows) {t2 - t1:.3f} s · "
        f"total {t2 - t0:.3f} s · png {len(png) // 1024} KiB · {digest.headline}"
    )


if __name__ == "__main__":
    asyncio.run(main())
