"""Subprocess entry for peak-RSS figures: `python -m bench.rss ours|bm25s|rank_bm25 ...`.

Each kind starts from a bare interpreter, imports what it needs, records its RSS ("base"),
then holds the corpus and answers every question; it prints one JSON line with the peak
RSS (VmHWM) and the RSS at the end, in MB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
from pathlib import Path


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    """VmHWM: this process image's own high-water mark.

    (`ru_maxrss` would do on macOS, but on Linux it survives exec and so reports the parent's
    RSS at fork when that was larger.)
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _ours(url: str, questions: list[str]) -> None:
    from bot.container import open_app

    async with open_app(url, starter=False) as app:
        for q in questions:
            await app.ask.answer(q)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("ours", "bm25s", "rank_bm25"))
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--url", required=True)
    parser.add_argument("--corpus", required=True)
    args = parser.parse_args()

    from bench.corpus import load_corpus, questions_for

    questions = [q.text for q in questions_for(args.seed, args.size, args.questions)]
    if args.kind == "ours":
        import bot.container  # noqa: F401 (count the app's imports in the base)

        base = _rss_mb()
        asyncio.run(_ours(args.url, questions))
    else:
        from bench import methods

        cls = methods.Bm25sMethod if args.kind == "bm25s" else methods.RankBm25Method
        import numpy  # noqa: F401

        if args.kind == "bm25s":
            import bm25s  # noqa: F401
        else:
            import rank_bm25  # noqa: F401
        base = _rss_mb()
        briefs = list(load_corpus(Path(args.corpus)))
        method = cls(briefs)
        del briefs  # a search service keeps the index, not the texts

        async def answer_all() -> None:
            for q in questions:
                await method.timed(q)

        asyncio.run(answer_all())
    print(json.dumps({"base_mb": base, "peak_mb": _peak_mb(), "end_mb": _rss_mb()}))


if __name__ == "__main__":
    main()
