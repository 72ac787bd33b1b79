"""Alembic environment: runs on a connection handed in by `storage.Database.upgrade`.

Generic on purpose: the target metadata is `storage.tables.Base.metadata`, and every
revision in `versions/` is applied in order. When run from the `alembic` command line
instead (no connection in `config.attributes`), it connects to `sqlalchemy.url` itself.
"""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from typing import Any

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import storage
from storage.tables import Base

# Every public storage module may declare tables on Base: import them all so the
# metadata (used by `alembic revision --autogenerate`) is complete.
for _module in pkgutil.iter_modules(storage.__path__):
    if not _module.name.startswith("_") and _module.name != "migrations":
        importlib.import_module(f"storage.{_module.name}")

target_metadata = Base.metadata

# Full-text objects created by raw SQL in migration 0001, unknown to the models.
_FTS_OBJECTS = {"tsv", "ix_passages_tsv"}


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Keep autogenerate away from the full-text index (FTS5 tables, tsvector column)."""
    if name is None:
        return True
    if type_ == "table" and name.startswith("passages_fts"):
        return False
    return name not in _FTS_OBJECTS


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_standalone(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    if context.is_offline_mode():
        context.configure(
            url=context.config.get_main_option("sqlalchemy.url"),
            target_metadata=target_metadata,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or pass a connection in config.attributes")
    asyncio.run(_run_standalone(url))


_main()
