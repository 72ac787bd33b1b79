"""Connecting, migrating and failing fast with a clear message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text

from briefs.errors import StoreUnavailableError
from storage import Database
from storage.tables import Base
from tests.factories import make_new_brief

OWN_TABLES = {
    "briefs",
    "brief_bands",
    "passages",
    "sentences",
    "audit_log",
    "questions",
    "feedback",
    "passage_embeddings",
}


async def test_upgrade_reaches_head_and_is_idempotent(database: Database) -> None:
    head = await database.current_revision()
    assert head is not None
    assert head >= "0001"
    await database.upgrade()  # nothing left to do
    assert await database.current_revision() == head


async def test_upgrading_a_populated_database_keeps_every_row(db_url: str) -> None:
    """Migrations after 0002 must never rebuild `briefs`: with foreign keys on, a SQLite
    table rebuild cascades deletes into passages and sentences."""
    db = await Database.connect(db_url)
    try:
        await db.upgrade("0002")
        async with db.writing() as conn:
            await conn.execute(
                text(
                    "INSERT INTO briefs (id, title, original_filename, published, date_origin,"
                    " ingested_at, uploaded_by, content_hash, minhash, version, deleted, tags,"
                    " body, top_cooperation, top_tension) VALUES (1, 'Hamadan', 'h.md',"
                    " :published, 'upload_time', :at, 'u', 'h', '[]', 1, false, '[]', 'body',"
                    " '[]', '[]')"
                ),
                {
                    "published": dt.date(2016, 8, 22),
                    "at": dt.datetime(2016, 8, 23, tzinfo=dt.UTC),
                },
            )
            await conn.execute(
                text(
                    'INSERT INTO passages (brief_id, ordinal, title, text, start, "end")'
                    " VALUES (1, 0, 'Hamadan', 'Russian bombers flew from Hamadan.', 0, 34)"
                )
            )
        await db.upgrade()
        assert await db.briefs.count() == 1
        assert len(await db.briefs.passages(1)) == 1
        brief = await db.briefs.get(1)
        assert brief is not None
        assert brief.provenance.type.value == "unknown"
    finally:
        await db.close()


async def test_fresh_database_has_no_revision(db_url: str) -> None:
    db = await Database.connect(db_url)
    try:
        assert await db.current_revision() is None
        assert db.dialect in ("sqlite", "postgresql")
    finally:
        await db.close()


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})

    def include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object):
        if type_ == "table":
            return name in OWN_TABLES
        table = getattr(obj, "table", None)
        if table is not None and table.name not in OWN_TABLES:
            return False
        # the PostgreSQL search column and its index live only in the migration
        return name not in ("tsv", "ix_passages_tsv")

    context.opts["include_object"] = include
    return list(compare_metadata(context, Base.metadata))


async def test_migration_matches_the_models(database: Database) -> None:
    async with database.reading() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == []


async def test_dialect_specific_setup(database: Database) -> None:
    """PostgreSQL: objects in the test's schema; SQLite: WAL, foreign keys, FTS5 tokenizer."""
    if database.dialect == "postgresql":
        await _check_postgres_schema(database)
    else:
        await _check_sqlite_settings(database)


async def _check_postgres_schema(database: Database) -> None:
    async with database.reading() as conn:
        schema = await conn.scalar(text("SELECT current_schema()"))
        assert schema is not None
        assert schema.startswith("t_")
        tables = set(
            (
                await conn.scalars(
                    text(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = :s"
                    ),
                    {"s": schema},
                )
            ).all()
        )
        assert {"alembic_version", *OWN_TABLES} <= tables
        tsv = await conn.scalar(
            text(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_schema = :s AND table_name = 'passages' AND column_name = 'tsv'"
            ),
            {"s": schema},
        )
        assert tsv == "tsvector"


async def _check_sqlite_settings(database: Database) -> None:
    async with database.reading() as conn:
        assert (await conn.scalar(text("PRAGMA journal_mode"))) == "wal"
        assert (await conn.scalar(text("PRAGMA foreign_keys"))) == 1
        assert (await conn.scalar(text("PRAGMA busy_timeout"))) == 5000
        fts = await conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'passages_fts'"))
        assert "fts5" in fts
        assert "porter unicode61" in fts


async def test_datetimes_come_back_aware_utc(database: Database) -> None:
    brief = await database.briefs.add(make_new_brief())
    stored = await database.briefs.get(brief.id)
    assert stored is not None
    assert stored.ingested_at.tzinfo is not None
    assert stored.ingested_at.utcoffset() == dt.timedelta(0)
    assert abs(stored.ingested_at - brief.ingested_at) < dt.timedelta(milliseconds=1)


class _NaiveClock:
    def now(self) -> dt.datetime:
        return dt.datetime(2025, 1, 1, 12, 0)  # naive on purpose


class _ShiftedClock:
    def now(self) -> dt.datetime:
        return dt.datetime(2025, 1, 1, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


async def test_clock_must_be_aware_and_is_stored_as_utc(db_url: str) -> None:
    async with await Database.connect(db_url, clock=_NaiveClock()) as db:
        await db.upgrade()
        with pytest.raises(ValueError, match="aware"):
            await db.audit.record("alice", "test")
    async with await Database.connect(db_url, clock=_ShiftedClock()) as db:
        await db.audit.record("alice", "test")
        (entry,) = await db.audit.recent()
        assert entry.at == dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)
        assert entry.at.tzinfo == dt.UTC


async def test_closed_port_raises_store_unavailable_with_masked_password() -> None:
    url = "postgresql+asyncpg://postgres:s3cret@127.0.0.1:1/test"
    with pytest.raises(StoreUnavailableError) as info:
        await Database.connect(url, connect_timeout=2)
    message = info.value.message
    assert "s3cret" not in message
    assert "***" in message
    assert "127.0.0.1:1" in message
    assert "connection refused" in message.lower()
    assert "\n" not in message


async def test_unwritable_sqlite_path_raises_store_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    path = blocker / "briefs.db"
    with pytest.raises(StoreUnavailableError) as info:
        await Database.connect(f"sqlite+aiosqlite:///{path}")
    assert str(path) in info.value.message
    assert "\n" not in info.value.message


async def test_missing_sqlite_directory_raises_store_unavailable(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailableError, match="Cannot open the SQLite database"):
        await Database.connect(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'briefs.db'}")


async def test_unsupported_url_is_a_clear_error() -> None:
    with pytest.raises(StoreUnavailableError, match="Unsupported database URL"):
        await Database.connect("mysql://root:pw@localhost/db")
    with pytest.raises(StoreUnavailableError, match="Invalid database URL"):
        await Database.connect("not a url")


async def test_plain_driver_names_get_the_async_driver(tmp_path: Path) -> None:
    async with await Database.connect(f"sqlite:///{tmp_path / 'plain.db'}") as db:
        assert db.engine.url.drivername == "sqlite+aiosqlite"
        assert db.url.startswith("sqlite+aiosqlite:///")


@pytest.mark.postgres
async def test_unknown_postgres_database_is_a_clear_error(postgres_reachable: str | None) -> None:
    if postgres_reachable is not None:
        pytest.skip(postgres_reachable)
    url = "postgresql+asyncpg://postgres:pw@127.0.0.1:5432/no_such_database_here"
    with pytest.raises(StoreUnavailableError, match="does not exist") as info:
        await Database.connect(url)
    assert "pw@" not in info.value.message
