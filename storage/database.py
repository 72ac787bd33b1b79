"""`Database`: one engine, the migrations, and the repositories that implement the ports."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import AbstractAsyncContextManager, closing
from pathlib import Path
from types import TracebackType
from typing import Self

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from briefs.errors import StoreUnavailableError
from briefs.ports import Clock
from storage._access import Access, Dialect, SystemClock
from storage._engine import WRITE_OPTION, build_engine, describe_failure, parse_url, safe_url
from storage.audit_log import SqlAuditLog
from storage.brief_repository import SqlBriefRepository
from storage.embedding_store import SqlEmbeddingStore
from storage.question_log import SqlQuestionLog
from storage.search_index import SqlSearchIndex
from storage.sentence_repository import SqlSentenceRepository

__all__ = ["MIGRATIONS_DIR", "Database", "alembic_config"]

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_CONNECT_TIMEOUT = 5.0
# Serialises concurrent `upgrade()` calls from several processes on PostgreSQL.
_MIGRATION_LOCK_KEY = 0x42_52_49_45_46  # "BRIEF"


class Database:
    """The storage side of the application, built once by the composition root.

    >>> db = await Database.connect("sqlite+aiosqlite:///briefs.db")
    >>> await db.upgrade()
    >>> ...
    >>> await db.close()
    """

    def __init__(self, engine: AsyncEngine, *, clock: Clock | None = None) -> None:
        access = Access(engine, clock or SystemClock())
        self.engine: AsyncEngine = engine
        self.dialect: Dialect = access.dialect
        self.clock: Clock = access.clock
        # Sessions for repositories added later. On SQLite they open with BEGIN IMMEDIATE
        # (the write lock up front), so read-then-write in one session cannot deadlock.
        self.session_factory: async_sessionmaker[AsyncSession] = async_sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self._access = access
        self.briefs = SqlBriefRepository(access)
        self.search = SqlSearchIndex(access)
        self.sentences = SqlSentenceRepository(access)
        self.audit = SqlAuditLog(access)
        self.questions = SqlQuestionLog(access)
        self.embeddings = SqlEmbeddingStore(access)

    @classmethod
    async def connect(
        cls,
        url: str,
        *,
        clock: Clock | None = None,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> Self:
        """Create the engine and check that the database answers.

        `url` is `sqlite+aiosqlite:///path/to/file.db` or
        `postgresql+asyncpg://user:password@host:port/db`; a PostgreSQL URL may carry
        `?search_path=schema` to keep every table in that schema.
        Raises StoreUnavailableError (one line, password masked) when it cannot connect.
        """
        parsed = parse_url(url)
        if parsed.get_backend_name() == "sqlite":
            await asyncio.to_thread(_check_sqlite_file, parsed, connect_timeout)
        engine = build_engine(parsed, connect_timeout=connect_timeout)
        try:
            async with asyncio.timeout(connect_timeout * 2 + 1):
                async with engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
        except Exception as exc:  # any driver error here means the store is unusable
            await engine.dispose()
            raise StoreUnavailableError(describe_failure(parsed, exc, connect_timeout)) from exc
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine, clock=clock)

    @property
    def url(self) -> str:
        """The database URL with the password masked."""
        return safe_url(self.engine.url)

    async def upgrade(self, revision: str = "head") -> None:
        """Apply the Alembic migrations up to `revision` in one transaction."""
        try:
            async with self._access.write() as conn:
                if self.dialect == "postgresql":
                    await conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                    )
                await conn.run_sync(_run_alembic_upgrade, revision)
        except (OSError, TimeoutError) as exc:
            raise StoreUnavailableError(
                describe_failure(self.engine.url, exc, DEFAULT_CONNECT_TIMEOUT)
            ) from exc

    async def current_revision(self) -> str | None:
        """The schema revision the database is at (None before the first upgrade)."""
        async with self._access.read() as conn:
            return await conn.run_sync(_current_revision)

    def reading(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A Core connection for queries (rolled back at exit)."""
        return self._access.read()

    def writing(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A Core connection in one transaction: committed at exit, rolled back on error."""
        return self._access.write()

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


def _check_sqlite_file(url: URL, connect_timeout: float) -> None:
    """Open a SQLite file once with the standard library, to fail early and cleanly.

    (A failed aiosqlite connect leaves a worker thread that may outlive its event loop.)
    """
    path = url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    try:
        with closing(sqlite3.connect(path, timeout=connect_timeout)) as conn:
            conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error as exc:
        raise StoreUnavailableError(describe_failure(url, exc, connect_timeout)) from None


def alembic_config() -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


def _run_alembic_upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
