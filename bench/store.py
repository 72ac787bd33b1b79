"""Bulk-loading a synthetic corpus into the product's own tables (SQLite file or PostgreSQL).

Ingesting 10k-100k briefs through `IngestService` would take most of the time budget (it
segments sentences, runs the indicator model and MinHash per brief), so the ask benchmarks
load rows straight into `briefs` and `passages` with the same Core tables the repositories
use; the FTS5 triggers (SQLite) and the generated `tsv` column (PostgreSQL) index them
exactly as on a normal insert. Ingest itself is measured separately on a sample.

SQLite databases are cached under bench/.cache (built once per seed and size); PostgreSQL
databases are created per run (`bench_<pid>_<size>`) and dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from bench.corpus import (
    CACHE_DIR,
    GENERATOR_VERSION,
    Brief,
    cached_corpus,
    load_corpus,
    passages_of,
)
from storage import Database
from storage._access import table

__all__ = ["POSTGRES_URL", "load_rows", "postgres_database", "sqlite_database"]

POSTGRES_URL = os.environ.get(
    "BRIEFBOT_BENCH_POSTGRES_URL",
    os.environ.get(
        "BRIEFBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    ),
)
_CHUNK = 1000
_INGESTED_AT = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _brief_row(brief: Brief, brief_id: int) -> dict[str, object]:
    return {
        "id": brief_id,
        "title": brief.title,
        "original_filename": brief.filename,
        "source_url": None,
        "outlet": brief.outlet,
        "published": dt.date.fromisoformat(brief.published),
        "date_origin": "front_matter",
        "ingested_at": _INGESTED_AT,
        "uploaded_by": "bench",
        "content_hash": brief.content_hash(),
        "minhash": "[]",
        "version": 1,
        "supersedes_id": None,
        "deleted": False,
        "tags": ["bench"],
        "body": brief.body,
        "balance": None,
        "top_cooperation": [],
        "top_tension": [],
    }


async def load_rows(database: Database, briefs: Iterable[Brief]) -> int:
    """Insert briefs (id = index + 1) and their passages; returns the number of briefs."""
    briefs_t, passages_t = table("briefs"), table("passages")
    count = 0
    batch_b: list[dict[str, object]] = []
    batch_p: list[dict[str, object]] = []
    passage_id = 0

    async def flush() -> None:
        if not batch_b:
            return
        async with database.writing() as conn:
            await conn.execute(insert(briefs_t), batch_b)
            await conn.execute(insert(passages_t), batch_p)
        batch_b.clear()
        batch_p.clear()

    for brief in briefs:
        brief_id = brief.index + 1
        batch_b.append(_brief_row(brief, brief_id))
        for ordinal, passage, start, end in passages_of(brief):
            passage_id += 1
            batch_p.append(
                {
                    "id": passage_id,
                    "brief_id": brief_id,
                    "ordinal": ordinal,
                    "title": brief.title,
                    "text": passage,
                    "start": start,
                    "end": end,
                }
            )
        count += 1
        if len(batch_b) >= _CHUNK:
            await flush()
    await flush()
    if database.dialect == "postgresql":
        async with database.writing() as conn:
            for name in ("briefs", "passages"):
                sequence = f"pg_get_serial_sequence('{name}', 'id')"
                await conn.execute(text(f"SELECT setval({sequence}, max(id)) FROM {name}"))
            await conn.execute(text("ANALYZE"))
    else:
        async with database.writing() as conn:
            await conn.execute(text("ANALYZE"))
    return count


def _prepare_paths(cache_dir: Path, name: str) -> tuple[Path, Path, bool]:
    """(final path, temporary path, whether the final one exists); clears stale temporaries."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / name
    tmp = path.with_name(path.name + ".building")
    if path.exists():
        return path, tmp, True
    for leftover in cache_dir.glob(tmp.name + "*"):
        leftover.unlink()
    return path, tmp, False


async def sqlite_database(seed: int, n: int, cache_dir: Path = CACHE_DIR) -> tuple[str, bool]:
    """(URL of a cached SQLite file holding the n-brief corpus, whether it was just built)."""
    name = f"sqlite-v{GENERATOR_VERSION}-s{seed}-{n}.db"
    path, tmp, exists = _prepare_paths(cache_dir, name)
    if exists:
        return f"sqlite+aiosqlite:///{path}", False
    corpus = cached_corpus(seed, n, cache_dir)
    database = await Database.connect(f"sqlite+aiosqlite:///{tmp}")
    try:
        await database.upgrade()
        await load_rows(database, load_corpus(corpus))
        async with database.writing() as conn:
            await conn.execute(text("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')"))
    finally:
        await database.close()
    tmp.replace(path)
    return f"sqlite+aiosqlite:///{path}", True


def _admin_dsn() -> str:
    return make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(False)


async def postgres_available() -> str | None:
    """None when the bench PostgreSQL server answers, else why not."""
    try:
        conn = await asyncpg.connect(_admin_dsn(), timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        return str(exc) or type(exc).__name__
    await conn.close()
    return None


@asynccontextmanager
async def postgres_database(seed: int, n: int, cache_dir: Path = CACHE_DIR) -> AsyncIterator[str]:
    """A fresh PostgreSQL database holding the n-brief corpus; dropped on exit."""
    name = f"bench_{os.getpid()}_{n}"
    admin = await asyncpg.connect(_admin_dsn(), timeout=5)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = make_url(POSTGRES_URL).set(database=name).render_as_string(False)
        database = await Database.connect(url)
        try:
            await database.upgrade()
            await load_rows(database, load_corpus(cached_corpus(seed, n, cache_dir)))
        finally:
            await database.close()
        yield url
    finally:
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
