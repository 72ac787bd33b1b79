"""The measurements. Every figure is paired with a baseline measured in the same run.

Latency loops interleave the methods question by question, so a burst of load from another
process on the machine hits every method alike and the ratios survive it.
"""

from __future__ import annotations

import asyncio
import cProfile
import datetime as dt
import functools
import gc
import io
import json
import math
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.corpus import (
    CACHE_DIR,
    DEFAULT_SEED,
    Question,
    cached_corpus,
    generate_brief,
    load_corpus,
    questions_for,
)
from bench.methods import (
    Bm25sMethod,
    Method,
    NaiveFts5,
    NaivePostgres,
    Ours,
    RankBm25Method,
    missing,
)
from bench.store import postgres_available, postgres_database, sqlite_database

__all__ = ["Settings", "percentile", "run_all"]

WARMUP = 5


@dataclass
class Settings:
    sizes: tuple[int, ...] = (1_000, 10_000)
    db: str = "both"  # sqlite | postgres | both
    seed: int = DEFAULT_SEED
    questions: int = 200
    pg_questions: int = 50  # PostgreSQL asks are ~1 s at 10k: fewer keep the run under 15 min
    ingest_sample: int = 200
    concurrency: int = 50
    digest_briefs: int = 10_000
    digest_history: int = 8
    rss: bool = True
    profile: bool = True
    cache_dir: Path = CACHE_DIR
    log: Callable[[str], None] = field(default=lambda _m: None, repr=False)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


# --- latency + recall ------------------------------------------------------------------


async def compare(
    methods: Sequence[Method], questions: Sequence[Question], log: Callable[[str], None]
) -> list[dict[str, Any]]:
    """p50/p95 latency and recall@10 per method, interleaved question by question."""
    for q in questions[:WARMUP]:
        for m in methods:
            await m.timed(q.text)
    latencies: dict[str, list[float]] = {m.name: [] for m in methods}
    hits: dict[str, int] = dict.fromkeys(latencies, 0)
    cited: dict[str, int] = dict.fromkeys(latencies, 0)
    for n, q in enumerate(questions, 1):
        for m in methods:
            started = time.perf_counter()
            result = await m.timed(q.text)
            latencies[m.name].append((time.perf_counter() - started) * 1000)
            ranked = await m.ranking(q.text, result)
            hits[m.name] += q.gold_index in ranked
            sources = getattr(result, "sources", None)
            if sources is not None:
                cited[m.name] += any(c.original_filename == q.gold_filename for c in sources)
        if n % 50 == 0:
            log(f"    {n}/{len(questions)} questions")
    rows = []
    for m in methods:
        lat = latencies[m.name]
        row: dict[str, Any] = {
            "method": m.name,
            "p50_ms": percentile(lat, 0.5),
            "p95_ms": percentile(lat, 0.95),
            "mean_ms": sum(lat) / len(lat),
            "recall_at_10": hits[m.name] / len(questions),
            "questions": len(questions),
        }
        if isinstance(m, Ours):
            row["gold_cited"] = cited[m.name] / len(questions)
        rows.append(row)
    return rows


def _load_briefs(settings: Settings, n: int) -> list[Any]:
    return list(load_corpus(cached_corpus(settings.seed, n, settings.cache_dir)))


async def ask_sqlite(settings: Settings, n: int) -> dict[str, Any]:
    from bot.container import open_app

    log = settings.log
    started = time.perf_counter()
    url, built = await sqlite_database(settings.seed, n, settings.cache_dir)
    setup = {"db_build_s": time.perf_counter() - started if built else None}
    questions = questions_for(settings.seed, n, settings.questions)
    briefs = _load_briefs(settings, n)
    notes: dict[str, str] = {}
    async with open_app(url, starter=False) as app:
        methods: list[Method] = [Ours(app), NaiveFts5(app.database)]
        for module, cls in (("rank_bm25", RankBm25Method), ("bm25s", Bm25sMethod)):
            if missing(module):
                notes[cls.name] = "not installed"
                continue
            t0 = time.perf_counter()
            methods.append(cls(briefs))
            setup[f"{cls.name}_index_s"] = time.perf_counter() - t0
        del briefs
        gc.collect()
        log(f"  sqlite {n:,}: {len(questions)} questions × {len(methods)} methods")
        rows = await compare(methods, questions, log)
    for name, note in notes.items():
        rows.append({"method": name, "note": note})
    return {"size": n, "backend": "sqlite", "setup": setup, "methods": rows}


async def ask_postgres(settings: Settings, n: int) -> dict[str, Any]:
    from bot.container import open_app

    why = await postgres_available()
    if why is not None:
        return {"size": n, "backend": "postgres", "skipped": f"PostgreSQL unavailable: {why}"}
    started = time.perf_counter()
    async with postgres_database(settings.seed, n, settings.cache_dir) as url:
        setup = {"db_build_s": time.perf_counter() - started}
        count = min(settings.questions, settings.pg_questions)
        questions = questions_for(settings.seed, n, settings.questions)[:count]
        async with open_app(url, starter=False) as app:
            methods: list[Method] = [Ours(app), NaivePostgres(app.database)]
            settings.log(f"  postgres {n:,}: {len(questions)} questions × {len(methods)} methods")
            rows = await compare(methods, questions, settings.log)
    return {"size": n, "backend": "postgres", "setup": setup, "methods": rows}


# --- concurrency -----------------------------------------------------------------------


async def concurrency(settings: Settings, n: int) -> dict[str, Any]:
    """`c` asks in flight at once vs the same asks one at a time (same process, same DB)."""
    from bot.container import open_app

    url, _ = await sqlite_database(settings.seed, n, settings.cache_dir)
    qs = [q.text for q in questions_for(settings.seed, n, settings.questions)]
    c = settings.concurrency
    batch = [qs[i % len(qs)] for i in range(c)]
    async with open_app(url, starter=False) as app:
        for q in batch[:WARMUP]:
            await app.ask.answer(q)

        async def one(question: str) -> float:
            started = time.perf_counter()
            await app.ask.answer(question)
            return (time.perf_counter() - started) * 1000

        t0 = time.perf_counter()
        single = [await one(q) for q in batch]
        t1 = time.perf_counter()
        together = await asyncio.gather(*(one(q) for q in batch))
        t2 = time.perf_counter()
    return {
        "size": n,
        "concurrent": c,
        "single_p50_ms": percentile(single, 0.5),
        "single_p95_ms": percentile(single, 0.95),
        "concurrent_p50_ms": percentile(together, 0.5),
        "concurrent_p95_ms": percentile(together, 0.95),
        "ratio_p95": percentile(together, 0.95) / percentile(single, 0.95),
        "sequential_qps": c / (t1 - t0),
        "concurrent_qps": c / (t2 - t1),
    }


# --- ingest ----------------------------------------------------------------------------


async def ingest(settings: Settings) -> dict[str, Any]:
    """The CLI's path (`ingest_files`, the sample as one folder) vs plain INSERTs of the same
    texts, fresh SQLite: a transaction per text (`ratio`, as before) or per BATCH_SIZE texts
    (`ratio_vs_batched`). `single_per_s`: chat uploads (`ingest`) of further briefs."""
    from bot.container import open_app
    from briefs.services import Actor
    from briefs.services.ingest import BATCH_SIZE

    actor = Actor("bench", is_admin=True, platform="system")
    # Indices far past any corpus size: briefs no cached database holds.
    n = settings.ingest_sample
    sample = [generate_brief(settings.seed, 50_000_000 + i) for i in range(n)]
    data = [b.markdown() for b in sample]  # made before the clock starts, as before
    files = [(b.filename, functools.partial(bytes, d)) for b, d in zip(sample, data, strict=True)]
    singles = [generate_brief(settings.seed, 60_000_000 + i) for i in range(max(1, n // 4))]
    uploads = [(b.filename, b.markdown()) for b in singles]
    rows = [{"name": b.filename, "body": d.decode()} for b, d in zip(sample, data, strict=True)]
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'ingest.db'}"
        async with open_app(url, starter=False) as app:
            async with app.database.writing() as conn:
                await conn.execute(
                    text("CREATE TABLE plain_docs (id INTEGER PRIMARY KEY, name TEXT, body TEXT)")
                )
            plain = text("INSERT INTO plain_docs (name, body) VALUES (:name, :body)")
            t0 = time.perf_counter()
            outcomes = await app.ingest.ingest_files(files, actor)
            t1 = time.perf_counter()
            for row in rows:
                async with app.database.writing() as conn:
                    await conn.execute(plain, row)
            t2 = time.perf_counter()
            for begin in range(0, n, BATCH_SIZE):
                async with app.database.writing() as conn:
                    await conn.execute(plain, rows[begin : begin + BATCH_SIZE])
            t3 = time.perf_counter()
            for name, upload in uploads:
                await app.ingest.ingest(name, upload, actor)
            t4 = time.perf_counter()
    ours_s, plain_s, batched_s = t1 - t0, t2 - t1, t3 - t2
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    return {
        "briefs": n,
        "batch_size": BATCH_SIZE,
        "statuses": statuses,
        "ours_per_s": n / ours_s,
        "plain_insert_per_s": n / plain_s,
        "plain_batched_per_s": n / batched_s,
        "ratio": plain_s / ours_s,
        "ratio_vs_batched": batched_s / ours_s,
        "ours_ms_per_brief": ours_s / n * 1000,
        "single_per_s": len(singles) / (t4 - t3),
    }


# --- digest ----------------------------------------------------------------------------


async def digest(settings: Settings) -> dict[str, Any]:
    """bench/digest_bench.py's workload: a week holding N briefs (×10 sentences) + chart."""
    from bench.digest_bench import corpus
    from briefs.digest.service import DigestService

    t = time.perf_counter()
    import briefs.digest.chart  # noqa: F401  (`serve` and the chat listeners load it at start)

    import_s = time.perf_counter() - t
    end = dt.date(2025, 1, 20)
    repo = corpus(settings.digest_briefs, 10, end, weeks=settings.digest_history)
    service = DigestService(repo)  # type: ignore[arg-type]
    gc.collect()  # the corpus build's garbage is not the digest's
    c0, t0 = time.process_time(), time.perf_counter()
    await service.build("week", end)
    t1 = time.perf_counter()
    png = await service.chart("week", end, count=settings.digest_history)
    c2, t2 = time.process_time(), time.perf_counter()
    rows = len(repo.rows)
    del repo, service
    gc.collect()
    return {
        "briefs_in_window": settings.digest_briefs,
        "sentences_total": rows,
        "build_s": t1 - t0,
        "chart_s": t2 - t1,
        "total_s": t2 - t0,
        "cpu_s": c2 - c0,
        "chart_import_s": import_s,
        "png_kib": len(png) // 1024,
    }


# --- peak RSS (subprocesses) -----------------------------------------------------------


def rss(settings: Settings, n: int) -> list[dict[str, Any]]:
    url, _ = asyncio.run(sqlite_database(settings.seed, n, settings.cache_dir))
    corpus = cached_corpus(settings.seed, n, settings.cache_dir)
    out = []
    for kind in ("ours", "bm25s", "rank_bm25"):
        if kind != "ours" and missing(kind):
            out.append({"size": n, "process": kind, "note": "not installed"})
            continue
        cmd = [sys.executable, "-m", "bench.rss", kind, "--size", str(n)]
        cmd += ["--seed", str(settings.seed), "--questions", str(settings.questions)]
        cmd += ["--url", url, "--corpus", str(corpus)]
        settings.log(f"  rss {kind} {n:,}")
        done = subprocess.run(  # noqa: S603 (our own interpreter and module)
            cmd, capture_output=True, text=True, check=False, cwd=Path(__file__).parent.parent
        )
        if done.returncode != 0:
            out.append({"size": n, "process": kind, "note": done.stderr.strip()[-300:]})
            continue
        out.append({"size": n, "process": kind, **json.loads(done.stdout.strip().splitlines()[-1])})
    return out


# --- profile ---------------------------------------------------------------------------


async def profile(settings: Settings, n: int) -> dict[str, Any]:
    """Profile 40 asks once: pyinstrument text (when installed) + cProfile top self-time."""
    from bot.container import open_app

    url, _ = await sqlite_database(settings.seed, n, settings.cache_dir)
    qs = [q.text for q in questions_for(settings.seed, n, settings.questions)][:40]
    result: dict[str, Any] = {"size": n, "asks": len(qs)}
    async with open_app(url, starter=False) as app:
        for q in qs[:WARMUP]:
            await app.ask.answer(q)
        if not missing("pyinstrument"):
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="enabled")
            profiler.start()
            for q in qs:
                await app.ask.answer(q)
            profiler.stop()
            path = settings.cache_dir / f"profile-ask-{n}.txt"
            path.write_text(profiler.output_text(unicode=False, color=False))
            result["pyinstrument"] = str(path)
        else:
            result["pyinstrument"] = "not installed"
        prof = cProfile.Profile()
        prof.enable()
        for q in qs:
            await app.ask.answer(q)
        prof.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(prof, stream=buffer)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    top = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:8]  # type: ignore[attr-defined]
    result["top_self_time"] = [
        {
            "function": f"{Path(file).name}:{line}({func})",
            "self_share": tt / total if total else 0.0,
        }
        for (file, line, func), (_cc, _nc, tt, _ct, _callers) in top
    ]
    return result


# --- the whole run ---------------------------------------------------------------------


def run_all(settings: Settings) -> dict[str, Any]:
    log = settings.log
    started = time.perf_counter()
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": sys.platform,
        },
        "settings": {k: v for k, v in asdict(settings).items() if k not in ("log", "cache_dir")},
        "ask": [],
    }
    backends = ("sqlite", "postgres") if settings.db == "both" else (settings.db,)
    for n in settings.sizes:
        if "sqlite" in backends:
            log(f"ask on SQLite, {n:,} briefs")
            results["ask"].append(asyncio.run(ask_sqlite(settings, n)))
        if "postgres" in backends:
            log(f"ask on PostgreSQL, {n:,} briefs")
            results["ask"].append(asyncio.run(ask_postgres(settings, n)))
    largest = max(settings.sizes)
    if "sqlite" in backends:
        log(f"{settings.concurrency} concurrent asks, {largest:,} briefs")
        results["concurrency"] = asyncio.run(concurrency(settings, largest))
    log(f"ingest {settings.ingest_sample} briefs")
    results["ingest"] = asyncio.run(ingest(settings))
    if settings.digest_briefs:
        log(f"digest, {settings.digest_briefs:,} briefs in the week")
        results["digest"] = asyncio.run(digest(settings))
    if settings.rss:
        log(f"peak RSS, {largest:,} briefs")
        results["rss"] = rss(settings, largest)
    if settings.profile and "sqlite" in backends:
        log(f"profile ask, {largest:,} briefs")
        results["profile"] = asyncio.run(profile(settings, largest))
    results["elapsed_s"] = time.perf_counter() - started
    return results
