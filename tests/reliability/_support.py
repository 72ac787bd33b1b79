"""Helpers shared by the reliability tests: generated briefs, CLI subprocesses, checks."""

from __future__ import annotations

import asyncio
import builtins
import os
import random
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

__all__ = [
    "REPO",
    "Consistency",
    "check_consistency",
    "cli",
    "cli_env",
    "record_writes",
    "spawn_cli",
    "write_briefs",
]

REPO = Path(__file__).resolve().parents[2]


def record_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Wrap ``open`` for the test: every file opened to write is added to the returned list."""
    written: list[str] = []
    real_open = builtins.open

    def recording_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(m in mode for m in "wax+"):
            written.append(str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    return written


_PLACES = [
    "Moscow",
    "Tehran",
    "Bushehr",
    "Hamadan",
    "Astrakhan",
    "Bandar Abbas",
    "Caspian Sea",
    "Damascus",
    "Aleppo",
    "Isfahan",
    "Kazan",
    "Rasht",
    "Vladivostok",
    "Tabriz",
    "Sochi",
]
_TOPICS = [
    "gas swaps",
    "wheat exports",
    "drone deliveries",
    "the North-South corridor",
    "the nuclear talks",
    "railway financing",
    "banking links",
    "the Mir card",
    "oil barter",
    "air defence systems",
    "the Syrian ceasefire",
    "grain shipments",
    "port investment",
    "satellite launches",
    "arms purchases",
    "tourist visas",
    "customs rules",
    "fisheries",
]
_VERBS = [
    "signed",
    "delayed",
    "criticised",
    "welcomed",
    "renegotiated",
    "suspended",
    "expanded",
    "questioned",
    "approved",
    "postponed",
    "praised",
    "reviewed",
    "cancelled",
    "accelerated",
]
_WORDS = (
    "minister envoy parliament committee analysts traders officials diplomats engineers "
    "bankers generals clerics reformers hardliners exporters importers shippers insurers "
    "quarterly annual bilateral regional strategic technical commercial financial legal "
    "pipeline refinery terminal reactor warehouse checkpoint freight tariff quota license "
    "memorandum protocol roadmap framework tender auction contract summit forum delegation"
).split()


def _sentence(rng: random.Random, n: int) -> str:
    who = rng.choice(["Russian", "Iranian", "Russia and Iran", "Officials in Moscow and Tehran"])
    filler = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(6, 11)))
    return (
        f"{who} {rng.choice(_VERBS)} {rng.choice(_TOPICS)} near {rng.choice(_PLACES)} "
        f"({filler}, item {n}-{rng.randint(1000, 9999)})."
    )


def write_briefs(folder: Path, count: int = 30, *, seed: int = 7) -> list[Path]:
    """`count` distinct Markdown briefs (front matter, several paragraphs) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        paragraphs = [
            " ".join(_sentence(rng, i * 100 + p * 10 + s) for s in range(rng.randint(3, 5)))
            for p in range(rng.randint(4, 7))
        ]
        title = f"Generated brief {i:02d}: {rng.choice(_TOPICS)} and {rng.choice(_PLACES)}"
        day = 1 + i % 28
        text = (
            f'---\ntitle: "{title}"\ndate: 2024-{1 + i % 12:02d}-{day:02d}\n'
            f'outlet: "Reliability Wire {i}"\n---\n\n# {title}\n\n' + "\n\n".join(paragraphs) + "\n"
        )
        path = folder / f"brief-{i:02d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for a `python -m bot` subprocess: no .env secrets, no starter corpus."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DISCORD_", "SLACK_", "LLM_", "DATABASE_URL"))
    }
    env.update(
        {
            "LOAD_STARTER_CORPUS": "false",
            "PYTHONUNBUFFERED": "1",
            "COLUMNS": "200",
            "NO_COLOR": "1",
            "TERM": "dumb",
        }
    )
    env.update(extra)
    return env


def spawn_cli(
    args: list[str], *, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env or cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def cli(
    args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env or cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass(frozen=True)
class Consistency:
    briefs: int
    distinct_hashes: int
    passages: int
    briefs_without_passages: int
    briefs_without_bands: int
    passages_without_index: int
    index_without_passages: int
    integrity_ok: bool

    @property
    def ok(self) -> bool:
        return (
            self.briefs_without_passages == 0
            and self.briefs_without_bands == 0
            and self.passages_without_index == 0
            and self.index_without_passages == 0
            and self.integrity_ok
            and self.briefs == self.distinct_hashes
        )


_COMMON = {
    "briefs": "SELECT count(*) FROM briefs",
    "distinct_hashes": "SELECT count(DISTINCT content_hash) FROM briefs",
    "passages": "SELECT count(*) FROM passages",
    "briefs_without_passages": (
        "SELECT count(*) FROM briefs b WHERE NOT EXISTS "
        "(SELECT 1 FROM passages p WHERE p.brief_id = b.id)"
    ),
    "briefs_without_bands": (
        "SELECT count(*) FROM briefs b WHERE NOT EXISTS "
        "(SELECT 1 FROM brief_bands x WHERE x.brief_id = b.id)"
    ),
}
_SQLITE_INDEX = {
    "passages_without_index": (
        "SELECT count(*) FROM passages p WHERE NOT EXISTS "
        "(SELECT 1 FROM passages_fts f WHERE f.rowid = p.id)"
    ),
    "index_without_passages": (
        "SELECT count(*) FROM passages_fts f WHERE NOT EXISTS "
        "(SELECT 1 FROM passages p WHERE p.id = f.rowid)"
    ),
}
_POSTGRES_INDEX = {
    # the tsvector is a generated column: it can only be missing if it is NULL/empty
    "passages_without_index": "SELECT count(*) FROM passages WHERE tsv IS NULL OR tsv = ''",
    "index_without_passages": "SELECT 0",
}


def _sqlite_path(url: str) -> str:
    path = make_url(url).database
    assert path
    return path


def _check_sqlite(url: str) -> Consistency:
    con = sqlite3.connect(_sqlite_path(url), timeout=30)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "briefs" not in tables:  # killed before the first migration committed
            return Consistency(0, 0, 0, 0, 0, 0, 0, True)
        values = {k: con.execute(q).fetchone()[0] for k, q in {**_COMMON, **_SQLITE_INDEX}.items()}
        try:
            con.execute("INSERT INTO passages_fts(passages_fts) VALUES('integrity-check')")
            integrity = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            integrity = False
        return Consistency(**values, integrity_ok=integrity)
    finally:
        con.close()


def _asyncpg_target(url: str) -> tuple[str, str | None]:
    parsed = make_url(url)
    schema = parsed.query.get("search_path")
    dsn = parsed.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
    return dsn, schema if isinstance(schema, str) else None


async def _check_postgres(url: str) -> Consistency:
    dsn, schema = _asyncpg_target(url)
    con = await asyncpg.connect(dsn, timeout=10)
    try:
        if schema:
            await con.execute(f'SET search_path TO "{schema}"')
        exists = await con.fetchval("SELECT to_regclass('briefs') IS NOT NULL")
        if not exists:
            return Consistency(0, 0, 0, 0, 0, 0, 0, True)
        values = {k: await con.fetchval(q) for k, q in {**_COMMON, **_POSTGRES_INDEX}.items()}
        return Consistency(**values, integrity_ok=True)
    finally:
        await con.close()


async def check_consistency(url: str) -> Consistency:
    if url.startswith("sqlite"):
        return await asyncio.to_thread(_check_sqlite, url)
    return await _check_postgres(url)
