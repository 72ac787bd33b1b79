"""Shared CLI plumbing: run a coroutine against the app, print JSON, map errors to exits."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import enum
import getpass
import json
import logging
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from bot.config import ConfigError
from bot.container import App, open_app
from briefs.errors import UserError
from briefs.services import Actor

__all__ = ["DbOption", "JsonOption", "cli_actor", "console", "emit_json", "run_app"]

T = TypeVar("T")
log = logging.getLogger("bot.cli")
console = Console(highlight=False)
# soft_wrap: an error stays one line however narrow the terminal is.
err_console = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: DATABASE_URL or the per-user SQLite file)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def cli_actor() -> Actor:
    """The CLI runs on the admin's own machine, so its user is an admin."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(f"cli:{user}", is_admin=True, platform="cli")


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, default=_default, ensure_ascii=False, indent=2) + "\n")


def run_app(
    db: str | None,
    work: Callable[[App], Awaitable[T]],
    *,
    starter: bool | None = None,
    semantic: bool | None = None,
) -> T:
    """Open the app, run `work`, close; user errors exit 1 with one line, others exit 70."""

    async def main() -> T:
        async with open_app(db, starter=starter, semantic=semantic) as app:
            return await work(app)

    try:
        return asyncio.run(main())
    except ConfigError as exc:
        err_console.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    except UserError as exc:
        err_console.print(f"[red]Error:[/red] {escape(exc.message)}")
        raise typer.Exit(1) from None
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("unexpected error (ref %s)", ref)
        err_console.print(f"[red]Something went wrong (ref {ref}).[/red] See the log above.")
        raise typer.Exit(70) from None
