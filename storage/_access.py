"""What every repository shares: the engine, read/write transactions and the clock."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractAsyncContextManager
from typing import Any, Literal, cast

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from briefs.clock import SystemClock
from briefs.ports import Clock
from storage._engine import WRITE_OPTION
from storage.tables import Base

__all__ = ["Access", "Dialect", "SystemClock", "dialect_insert", "table"]

Dialect = Literal["sqlite", "postgresql"]


class Access:
    """Hands out connections: `read()` for queries, `write()` for one atomic transaction."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        name = engine.dialect.name
        if name not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported dialect {name!r}")
        self.engine = engine
        self.dialect: Dialect = cast(Dialect, name)
        self.clock = clock
        self._writer = engine.execution_options(**{WRITE_OPTION: True})

    def read(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A connection for reads (its implicit transaction is rolled back at exit)."""
        return self.engine.connect()

    def write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A transaction committed at exit, rolled back on error (SQLite: BEGIN IMMEDIATE)."""
        return self._writer.begin()

    def now(self) -> dt.datetime:
        now = self.clock.now()
        if now.tzinfo is None:
            raise ValueError("the clock must return aware datetimes")
        return now.astimezone(dt.UTC)


def table(name: str) -> Table:
    """A Core table of the schema by name."""
    return Base.metadata.tables[name]


def dialect_insert(access: Access, table: Table) -> Any:
    """A dialect insert that supports ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
    if access.dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
