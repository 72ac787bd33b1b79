"""Engine construction per backend, and turning connection failures into one clear line."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from briefs.errors import StoreUnavailableError

__all__ = [
    "SEARCH_PATH_PARAM",
    "WRITE_OPTION",
    "build_engine",
    "describe_failure",
    "parse_url",
    "safe_url",
]

# A URL query parameter (PostgreSQL only) that selects the schema every statement runs in,
# e.g. `postgresql+asyncpg://u@h/db?search_path=tenant_a`. Used to isolate tests.
SEARCH_PATH_PARAM = "search_path"
# Execution option: on SQLite, open the transaction with BEGIN IMMEDIATE (take the write
# lock up front, waiting up to the busy timeout) so read-then-write never deadlocks.
WRITE_OPTION = "briefbot_write"

_SUPPORTED = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def safe_url(url: URL | str) -> str:
    """The URL with any password masked, safe to print or log."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except ArgumentError:
        return "<unparseable database URL>"
    return parsed.render_as_string(hide_password=True)


def parse_url(url: str) -> URL:
    """Parse and validate a database URL; the async driver is filled in when omitted."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreUnavailableError(f"Invalid database URL {safe_url(url)!s}: {exc}") from None
    backend = parsed.get_backend_name()
    if backend not in _SUPPORTED:
        raise StoreUnavailableError(
            f"Unsupported database URL {safe_url(parsed)}: use sqlite+aiosqlite:///path "
            "or postgresql+asyncpg://user@host/db"
        )
    if parsed.get_driver_name() != _SUPPORTED[backend].split("+")[1]:
        parsed = parsed.set(drivername=_SUPPORTED[backend])
    return parsed


def build_engine(url: URL, *, connect_timeout: float) -> AsyncEngine:
    """An async engine for `url` with the per-backend settings the repositories rely on."""
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url, connect_timeout)
        return _postgres_engine(url, connect_timeout)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreUnavailableError(f"Invalid database URL {safe_url(url)}: {exc}") from None


def _sqlite_engine(url: URL, connect_timeout: float) -> AsyncEngine:
    busy_ms = int(connect_timeout * 1000)
    engine = create_async_engine(url, connect_args={"timeout": connect_timeout})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN instead of the driver (the
        # documented recipe for real transactions with pysqlite/aiosqlite).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _postgres_engine(url: URL, connect_timeout: float) -> AsyncEngine:
    query = dict(url.query)
    server_settings = {"application_name": "briefbot"}
    search_path = query.pop(SEARCH_PATH_PARAM, None)
    if search_path is not None:
        if not isinstance(search_path, str):
            raise StoreUnavailableError(f"{SEARCH_PATH_PARAM} appears twice in the database URL")
        server_settings["search_path"] = search_path
    return create_async_engine(
        url.set(query=query),
        pool_pre_ping=True,
        connect_args={"timeout": connect_timeout, "server_settings": server_settings},
    )


def describe_failure(url: URL, exc: BaseException, connect_timeout: float) -> str:
    """One line telling the user why the database at `url` could not be used."""
    shown = safe_url(url)
    if url.get_backend_name() == "sqlite":
        where = f"Cannot open the SQLite database at {url.database or ':memory:'}"
    else:
        where = f"Cannot reach the database at {shown}"
    return f"{where}: {_reason(exc, connect_timeout)}"


def _reason(exc: BaseException, connect_timeout: float) -> str:
    cause: BaseException = exc
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        cause = exc.orig
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    if isinstance(cause, TimeoutError):
        return f"no answer within {connect_timeout:g} s"
    text = str(cause).strip().splitlines()
    first = text[0] if text else type(cause).__name__
    # asyncpg/aiosqlite wrap the real error in "<class '...'>: message"
    if first.startswith("<class '") and ">: " in first:
        first = first.split(">: ", 1)[1]
    return first
