"""Shared fixtures: a database URL for each backend and a migrated `Database`.

`db_url` runs a test once on a SQLite file and once on PostgreSQL (a fresh schema per test
on the `test` database, selected with `?search_path=`, dropped afterwards). When the
PostgreSQL server is unreachable its runs are skipped, except on CI (CI=true) where they
fail. Override the server with BRIEFBOT_TEST_POSTGRES_URL.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from storage import Database

POSTGRES_URL = os.environ.get(
    "BRIEFBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


def _postgres_unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required on CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def postgres_reachable() -> str | None:
    """None when the PostgreSQL port answers, else why not (checked once per session)."""
    url = make_url(POSTGRES_URL)
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=2):
            return None
    except OSError as exc:
        return f"{url.host}:{url.port}: {exc}"


async def _postgres_schema_url(tmp_schema: str) -> str:
    url = make_url(POSTGRES_URL)
    return url.update_query_dict({"search_path": tmp_schema}).render_as_string(hide_password=False)


def _asyncpg_dsn() -> str:
    url = make_url(POSTGRES_URL).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
async def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_reachable: str | None
) -> AsyncIterator[str]:
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'briefs.db'}"
        return
    if postgres_reachable is not None:
        _postgres_unavailable(postgres_reachable)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    try:
        admin = await asyncpg.connect(_asyncpg_dsn(), timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        _postgres_unavailable(str(exc))
    try:
        await admin.execute(f'CREATE SCHEMA "{schema}"')
        yield await _postgres_schema_url(schema)
    finally:
        try:
            await admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            await admin.close()


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    """A connected, migrated `Database` on each backend; closed after the test."""
    db = await Database.connect(db_url)
    try:
        await db.upgrade()
        yield db
    finally:
        await db.close()
