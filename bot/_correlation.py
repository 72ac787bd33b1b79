"""Correlation ids and the log formats that carry them. Re-exported by ``bot.observability``.

The id lives in a `ContextVar`; a record factory stamps it on every `LogRecord` as
``record.correlation_id``; `JsonFormatter` / `CorrelationTextFormatter` print it.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import secrets
import sys
from collections.abc import Iterator
from typing import Any

__all__ = [
    "CorrelationTextFormatter",
    "JsonFormatter",
    "bind_correlation_id",
    "configure_logging",
    "correlation_id",
    "correlation_scope",
    "current_correlation_id",
    "install_correlation_factory",
    "instrument_discord",
    "new_correlation_id",
]

log = logging.getLogger("bot.observability")

# ------------------------------------------------------------------------- correlation ids

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)


def new_correlation_id() -> str:
    return secrets.token_hex(6)


def current_correlation_id() -> str | None:
    return correlation_id.get()


def bind_correlation_id(value: str | None = None) -> str:
    """Bind an id to the current context without resetting it (per-request tasks)."""
    value = value or new_correlation_id()
    correlation_id.set(value)
    return value


@contextlib.contextmanager
def correlation_scope(value: str | None = None) -> Iterator[str]:
    """``with correlation_scope() as cid:`` — bound inside, restored afterwards."""
    value = value or new_correlation_id()
    token = correlation_id.set(value)
    try:
        yield value
    finally:
        correlation_id.reset(token)


_factory_installed = False


def install_correlation_factory() -> None:
    """Give every `LogRecord` a ``correlation_id`` attribute (``"-"`` when none is bound)."""
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.correlation_id = correlation_id.get() or "-"
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True


def instrument_discord(client: Any) -> bool:
    """A correlation id per Discord interaction (slash commands, buttons, modals).

    discord.py parses ``INTERACTION_CREATE`` synchronously and starts the command/view tasks
    from there, so binding the id around that parser hands it to every task it starts. The
    parser table (``client._connection.parsers``) is discord.py-internal: when it is not
    there, nothing is wrapped and False is returned.
    """
    parsers = getattr(getattr(client, "_connection", None), "parsers", None)
    if not isinstance(parsers, dict) or "INTERACTION_CREATE" not in parsers:
        log.debug("discord.py parser table not found; interactions get no correlation id")
        return False
    original = parsers["INTERACTION_CREATE"]
    if getattr(original, "_observed", False):
        return True

    def parse_interaction_create(data: Any) -> None:
        with correlation_scope():
            original(data)

    parse_interaction_create._observed = True  # type: ignore[attr-defined]
    parsers["INTERACTION_CREATE"] = parse_interaction_create
    return True


# ----------------------------------------------------------------------------------- logs


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, correlation_id[, exception]."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None) or "-",
        }
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            document["exception"] = record.exc_text
        if record.stack_info:
            document["stack"] = self.formatStack(record.stack_info)
        return json.dumps(document, ensure_ascii=False, default=str)


class CorrelationTextFormatter(logging.Formatter):
    """The usual text line, with `` [cid=…]`` after the message when an id is bound."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        cid = getattr(record, "correlation_id", "-")
        return f"{line} [cid={cid}]" if cid and cid != "-" else line


def configure_logging(log_format: str = "text", level: str | None = None) -> None:
    """Install the correlation factory and the formatter on the root's stream handlers.

    Idempotent. Handlers that are not plain `logging.StreamHandler`s (pytest's capture,
    files configured by an operator) are left as they are. Adds a stderr handler when the
    root logger has none.
    """
    install_correlation_factory()
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler(sys.stderr))
    formatter: logging.Formatter = (
        JsonFormatter() if log_format == "json" else CorrelationTextFormatter()
    )
    for handler in root.handlers:
        if type(handler) is logging.StreamHandler:
            handler.setFormatter(formatter)
    if level:
        root.setLevel(level.upper())
