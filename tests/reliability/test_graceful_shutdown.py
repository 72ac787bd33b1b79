"""`python -m bot serve` stops cleanly on SIGTERM: exit 0 within seconds, no claim left held.

Two file subscriptions keep the scheduler busy: a daily one whose slot was ten minutes ago
(posted late by the start-up catch-up) and one firing every two seconds (cron with seconds),
so SIGTERM arrives while digests are being claimed and written.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

from sqlalchemy import text

from bot.config import Settings
from bot.container import open_app
from briefs.digest.ports import NewSubscription
from tests.reliability._support import cli_env

STOP_WITHIN_S = 5.0


async def _subscribe(url: str) -> None:
    settings = Settings(_env_file=None, database_url=url, load_starter_corpus=True)  # type: ignore[call-arg]
    at = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).strftime("%H:%M")
    async with open_app(settings=settings) as app:
        subs = app.digest_store.subscriptions
        await subs.create(NewSubscription("file", "", "daily", cadence="daily", at=at))
        await subs.create(NewSubscription("file", "", "fast", cadence="*/2 * * * * *"))


async def _claims(url: str) -> dict[str, int]:
    settings = Settings(_env_file=None, database_url=url, load_starter_corpus=False)  # type: ignore[call-arg]
    async with open_app(settings=settings, starter=False) as app, app.database.reading() as conn:
        rows = await conn.execute(
            text("SELECT status, count(*) FROM digest_claims GROUP BY status")
        )
        return {str(status): int(n) for status, n in rows}


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _start_serve(url: str, digest_dir: Path, cwd: Path, log: IO[bytes]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--db", url, "--digest-dir", str(digest_dir)],
        cwd=cwd,
        env=cli_env(LOG_LEVEL="INFO"),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


async def _wait_for(path: Path, needle: str, proc: subprocess.Popen[bytes], limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if needle in _read(path):
            return
        assert proc.poll() is None, _read(path)
        await asyncio.sleep(0.05)
    raise AssertionError(f"{needle!r} not logged within {limit_s}s:\n{_read(path)}")


async def test_sigterm_stops_cleanly_and_releases_claims(
    db_url: str, tmp_path: Path, record_figure: Any
) -> None:
    await _subscribe(db_url)
    log_path = tmp_path / "serve.log"
    digest_dir = tmp_path / "digests"
    with log_path.open("wb") as log:
        proc = _start_serve(db_url, digest_dir, tmp_path, log)
        try:
            await _wait_for(log_path, "serving:", proc, limit_s=60)
            await asyncio.sleep(2.5)  # let the fast subscription post at least once
            # then aim SIGTERM just after a two-second slot fires: a post is in flight
            now = time.time()
            await asyncio.sleep(2 - now % 2 + float(os.environ.get("REL_SIGTERM_OFFSET", "0.05")))
            sent = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            returncode = await asyncio.to_thread(proc.wait, 30)
            stop_seconds = time.monotonic() - sent
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    output = _read(log_path)
    claims = await _claims(db_url)
    posts = _read(digest_dir / "posts.jsonl").splitlines()
    record_figure(
        "sigterm_serve",
        backend="sqlite" if db_url.startswith("sqlite") else "postgres",
        returncode=returncode,
        stop_seconds=round(stop_seconds, 2),
        claims=claims,
        posts=len(posts),
        post_in_flight_at_sigterm="digest post(s) in flight" in output,
    )
    assert returncode == 0, output
    assert stop_seconds < STOP_WITHIN_S
    assert "stopped cleanly" in output
    assert "Traceback" not in output
    assert claims.get("claimed", 0) == 0, claims
    assert claims.get("posted", 0) >= 2  # the late daily digest and at least one fast one
    slots = [(p["subscription_id"], p["slot_start"]) for p in map(json.loads, posts)]
    assert len(slots) == len(set(slots))  # no slot posted twice
