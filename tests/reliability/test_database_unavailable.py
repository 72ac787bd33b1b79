"""The database is unreachable at start, or drops its connections mid-run.

At start: `ask`, `ingest` and `briefs list` exit non-zero within seconds with one clear line
(and the URL's password masked). Mid-run on PostgreSQL: every backend connection of the app
is terminated (`pg_terminate_backend`, only on this test's own database) between two service
calls; the next call succeeds on a fresh connection (pool_pre_ping) or fails with a clear
message, the one after succeeds, and nothing stored before is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.config import Settings
from bot.container import open_app
from briefs.errors import StoreUnavailableError
from briefs.services import Actor
from tests.conftest import _asyncpg_dsn
from tests.reliability._support import cli, write_briefs

ADMIN = Actor("test:admin", is_admin=True, platform="cli")
PASSWORD = "Pw-unavailable-7c1e"
FAST_S = 15.0  # generous on a loaded 2-core CI box; a dead port answers in milliseconds


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unavailable_url(backend: str, tmp_path: Path) -> str:
    if backend == "postgres":
        return f"postgresql+asyncpg://postgres:{PASSWORD}@127.0.0.1:{_closed_port()}/test"
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be")
    return f"sqlite+aiosqlite:///{blocker / 'briefs.db'}"


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
async def test_unavailable_at_start_fails_fast_with_one_line(
    backend: str, tmp_path: Path, record_figure: Any
) -> None:
    url = _unavailable_url(backend, tmp_path)
    brief = write_briefs(tmp_path / "in", 1)[0]
    commands = {
        "ask": ["ask", "What about Bushehr?", "--db", url],
        "ingest": ["ingest", str(brief), "--db", url],
        "briefs list": ["briefs", "list", "--db", url],
    }

    async def run(args: list[str]) -> tuple[float, Any]:
        started = time.monotonic()
        result = await asyncio.to_thread(cli, args, cwd=tmp_path, timeout=60)
        return time.monotonic() - started, result

    results = await asyncio.gather(*(run(a) for a in commands.values()))
    timings = {}
    for name, (seconds, result) in zip(commands, results, strict=True):
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode == 1, (name, result.returncode, result.stderr)
        assert len(lines) == 1, (name, result.stderr)
        expected = "Cannot reach the database" if backend == "postgres" else "Cannot open"
        assert expected in lines[0], (name, lines[0])
        assert "Traceback" not in result.stderr
        assert PASSWORD not in result.stderr + result.stdout
        assert seconds < FAST_S, (name, seconds)
        timings[name] = round(seconds, 2)
    record_figure("unavailable_at_start", backend=backend, seconds=timings, message=lines[0])


def _own_client_ports() -> set[int]:
    """Local TCP ports of this process's sockets (Linux /proc): our own connections only."""
    inodes = set()
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                if fields[9] in inodes:
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


async def _terminate_own_backends() -> int:
    """pg_terminate_backend for the app's connections (this process's sockets) only."""
    ports = _own_client_ports()
    admin = await asyncpg.connect(_asyncpg_dsn(), timeout=5)
    try:
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = 'briefbot' AND client_port = ANY($1::int[]) "
            "AND pid <> pg_backend_pid()",
            sorted(ports),
        )
        return int(killed)
    finally:
        await admin.close()


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_postgres_connections_terminated_mid_run(
    db_url: str, tmp_path: Path, record_figure: Any
) -> None:
    url = db_url
    settings = Settings(_env_file=None, database_url=url, load_starter_corpus=True)  # type: ignore[call-arg]
    files = write_briefs(tmp_path / "in", 2, seed=99)
    outcomes: dict[str, str] = {}
    async with open_app(settings=settings) as app:
        first = await app.ingest.ingest(files[0].name, files[0].read_bytes(), ADMIN)
        assert first.status == "added"
        before = await app.database.briefs.count(include_deleted=True)
        assert not (await app.ask.ask("Why did Iran let Russia use Hamadan?", ADMIN)).abstained
        for round_ in range(3):
            killed = await _terminate_own_backends()
            assert killed >= 1  # the pooled connection(s) of the app
            try:
                answer = await app.ask.ask("Why did Iran let Russia use Hamadan?", ADMIN)
                outcomes[f"round{round_}_next_call"] = (
                    "succeeded" if not answer.abstained else "abstained"
                )
            except StoreUnavailableError as exc:  # a clear, typed failure is acceptable
                outcomes[f"round{round_}_next_call"] = f"clear error: {exc.message}"
            # the call after that must work
            listed = await app.catalog.list(limit=50, include_deleted=True)
            assert len(listed) == before
        second = await app.ingest.ingest(files[1].name, files[1].read_bytes(), ADMIN)
        assert second.status == "added"
        assert await app.database.briefs.count(include_deleted=True) == before + 1
    async with open_app(settings=settings) as app:  # nothing lost, seen from a new process
        assert await app.database.briefs.count(include_deleted=True) == before + 1
        questions = await app.ask.unanswered(500)
        assert isinstance(questions, list)
    record_figure("pg_terminate_mid_run", rounds=3, outcomes=outcomes, briefs=before + 1)
    assert all(o == "succeeded" or o.startswith("clear error") for o in outcomes.values())
