"""Kill -9 a batch ingest at random points: the database stays consistent, re-runs add no dupes.

Each backend gets KILLS kills. A kill aims at a random brief of the batch (wait until the
database holds `target` briefs, then a random extra delay shorter than one brief's transaction),
so kills land during start-up and migrations, while parsing, and inside the per-brief
transactions. After every kill the database is checked (no brief without passages or bands,
no passage without its FTS5 row / tsvector, FTS5 integrity-check on SQLite). The next kill's
run is itself a re-run of the same batch; when the batch is complete the database is reset.
At the end the batch is re-run to completion: exactly one brief per distinct file.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from tests.reliability._support import _asyncpg_target, check_consistency, cli, spawn_cli

pytestmark = pytest.mark.slow

KILLS = 10  # per backend: 20 in all
BATCH = 30


class _Counter:
    """`SELECT count(*) FROM briefs` on one long-lived connection (cheap to poll)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._pg: asyncpg.Connection | None = None

    async def count(self) -> int:
        if self.url.startswith("sqlite"):
            return await asyncio.to_thread(_sqlite_count, self.url)
        if self._pg is None or self._pg.is_closed():
            dsn, schema = _asyncpg_target(self.url)
            self._pg = await asyncpg.connect(dsn, timeout=10)
            await self._pg.execute(f'SET search_path TO "{schema}"')
        try:
            return int(await self._pg.fetchval("SELECT count(*) FROM briefs"))
        except asyncpg.UndefinedTableError:
            return 0

    async def close(self) -> None:
        if self._pg is not None:
            await self._pg.close()
            self._pg = None


def _sqlite_count(url: str) -> int:
    path = url.split("///", 1)[1]
    if not Path(path).exists():
        return 0
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    try:
        return int(con.execute("SELECT count(*) FROM briefs").fetchone()[0])
    except sqlite3.OperationalError:  # no table yet, or briefly locked
        return 0
    finally:
        con.close()


def _remove_sqlite_files(url: str) -> None:
    path = url.split("///", 1)[1]
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(path + suffix).unlink(missing_ok=True)


async def _reset(url: str) -> None:
    if url.startswith("sqlite"):
        _remove_sqlite_files(url)
        return
    dsn, schema = _asyncpg_target(url)
    con = await asyncpg.connect(dsn, timeout=10)
    try:
        await con.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await con.execute(f'CREATE SCHEMA "{schema}"')
    finally:
        await con.close()


async def test_kill9_during_batch_ingest_leaves_consistent_db(
    db_url: str, brief_folder: Path, tmp_path: Path, record_figure: Any
) -> None:
    rng = random.Random(int(os.environ.get("RELIABILITY_SEED", "20240909")))
    inconsistent: list[str] = []
    mid_batch = 0
    completed_before_kill = 0
    resets = 0
    started = time.monotonic()
    counter = _Counter(db_url)
    kills = attempts = 0
    while kills < KILLS and attempts < 2 * KILLS:
        attempts += 1
        current = (await check_consistency(db_url)).briefs
        if current >= BATCH:
            await counter.close()
            await _reset(db_url)
            resets += 1
            current = 0
        target = rng.randint(current, BATCH - 1)
        proc = spawn_cli(["ingest", str(brief_folder), "--db", db_url, "--json"], cwd=tmp_path)
        try:
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                try:
                    if await counter.count() >= target:
                        break
                except (OSError, asyncpg.PostgresError):
                    await counter.close()  # e.g. the child is creating the schema
                await asyncio.sleep(0.02)
            await asyncio.sleep(rng.uniform(0, 0.08))
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                kills += 1
            else:  # the batch finished first: not a kill, try again
                completed_before_kill += 1
        finally:
            proc.communicate(timeout=30)
        state = await check_consistency(db_url)
        if 0 < state.briefs < BATCH:
            mid_batch += 1
        if not state.ok:
            inconsistent.append(f"attempt {attempts} (target {target}): {state}")
    await counter.close()
    rerun = cli(["ingest", str(brief_folder), "--db", db_url, "--json"], cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    final = await check_consistency(db_url)
    record_figure(
        "kill9_ingest",
        backend="sqlite" if db_url.startswith("sqlite") else "postgres",
        kills=kills,
        inconsistent=len(inconsistent),
        kills_leaving_partial_batch=mid_batch,
        completed_before_kill=completed_before_kill,
        resets=resets,
        final_briefs=final.briefs,
        final_distinct_hashes=final.distinct_hashes,
        distinct_files=BATCH,
        seconds=round(time.monotonic() - started, 1),
    )
    assert kills == KILLS
    assert inconsistent == []
    assert final.ok, final
    assert final.briefs == BATCH
    assert final.distinct_hashes == BATCH
