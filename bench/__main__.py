"""`python -m bench [--sizes 1k,10k] [--db sqlite|postgres|both] [--json]`.

Everything generated (corpora, SQLite databases, profiles, the chart, results.json) goes to
bench/.cache/ (git-ignored). See BENCHMARKS.md for the figures and how to read them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.corpus import CACHE_DIR, DEFAULT_SEED
from bench.measure import Settings, run_all
from bench.report import chart, evaluate_targets, growth, print_report


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = 1
    if text.endswith("k"):
        factor, text = 1_000, text[:-1]
    elif text.endswith("m"):
        factor, text = 1_000_000, text[:-1]
    return int(float(text) * factor)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1k,10k", help="corpus sizes, e.g. 1k,10k,100k")
    p.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    p.add_argument("--json", action="store_true", help="print the results as JSON only")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--questions", type=int, default=200)
    p.add_argument(
        "--pg-questions", type=int, default=50, help="questions asked on PostgreSQL (slow)"
    )
    p.add_argument("--ingest-sample", type=int, default=200)
    p.add_argument("--concurrency", type=int, default=50)
    p.add_argument("--digest-briefs", type=int, default=10_000, help="0 skips the digest")
    p.add_argument("--no-rss", action="store_true")
    p.add_argument("--no-profile", action="store_true")
    p.add_argument("--cache-dir", type=Path, default=CACHE_DIR)
    return p


def main(argv: list[str] | None = None) -> dict:
    args = build_parser().parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    settings = Settings(
        sizes=tuple(sorted({parse_size(s) for s in args.sizes.split(",") if s.strip()})),
        db=args.db,
        seed=args.seed,
        questions=args.questions,
        pg_questions=args.pg_questions,
        ingest_sample=args.ingest_sample,
        concurrency=args.concurrency,
        digest_briefs=args.digest_briefs,
        rss=not args.no_rss,
        profile=not args.no_profile,
        cache_dir=args.cache_dir,
        log=log,
    )
    results = run_all(settings)
    results["growth"] = growth(results)
    results["targets"] = evaluate_targets(results)
    png = chart(results, settings.cache_dir / "latency_vs_size.png")
    results["chart"] = str(png) if png else None
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    (settings.cache_dir / "results.json").write_text(json.dumps(results, indent=2, default=str))
    if args.json:
        print(json.dumps(results, indent=2, default=str))
    else:
        print_report(results)
    return results


if __name__ == "__main__":
    main()
