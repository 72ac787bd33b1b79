"""Two processes ingest the same folder at the same time: every brief is stored once."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

from tests.reliability._support import check_consistency, cli

BATCH = 30


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


async def test_two_processes_ingest_same_folder_once_each(
    db_url: str, brief_folder: Path, tmp_path: Path, record_figure: Any
) -> None:
    args = ["ingest", str(brief_folder), "--db", db_url, "--json"]
    started = time.monotonic()
    first, second = await asyncio.gather(
        asyncio.to_thread(cli, args, cwd=tmp_path), asyncio.to_thread(cli, args, cwd=tmp_path)
    )
    seconds = time.monotonic() - started
    assert first.returncode == 0, first.stderr[-2000:]
    assert second.returncode == 0, second.stderr[-2000:]
    outcomes = json.loads(first.stdout) + json.loads(second.stdout)
    statuses = [o["status"] for o in outcomes]
    state = await check_consistency(db_url)
    record_figure(
        "concurrent_ingest",
        backend="sqlite" if db_url.startswith("sqlite") else "postgres",
        processes=2,
        files=BATCH,
        briefs_stored=state.briefs,
        added=statuses.count("added"),
        duplicate=statuses.count("duplicate"),
        other=len(statuses) - statuses.count("added") - statuses.count("duplicate"),
        seconds=round(seconds, 1),
    )
    assert state.ok, state
    assert state.briefs == BATCH
    assert statuses.count("added") == BATCH
    assert statuses.count("duplicate") == BATCH
    # each file was added by exactly one of the two processes
    added = sorted(o["file"] for o in outcomes if o["status"] == "added")
    assert added == _names(brief_folder)
