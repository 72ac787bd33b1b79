"""Operations: correlation ids, structured (JSON) logs, Prometheus metrics, `/healthz`.

* **Correlation ids** live in a `ContextVar`. `serve` binds a fresh one per Slack request,
  Discord interaction and digest post (`bind_correlation_id` / `correlation_scope`); asyncio
  tasks started while it is bound (bolt's ack-then-work tasks, discord.py's command tasks)
  inherit it. Every `LogRecord` carries it as ``record.correlation_id`` (a record factory,
  so pytest's caplog and any handler see it too). The adapters' "Something went wrong (ref
  …)" messages log their ref on a line that carries the correlation id, so the ref a user
  quotes finds that line, and its correlation id finds every other line of the same request.
* **Logs**: ``LOG_FORMAT=json`` → one JSON object per line with ``time``, ``level``,
  ``logger``, ``message``, ``correlation_id`` (and ``exception`` when there is one);
  ``text`` (the default) keeps the usual line and appends ``[cid=…]`` when one is bound.
* **Metrics** (`Metrics`, one `CollectorRegistry` per process/app): asks, abstentions, ask
  latency, ingest outcomes by status, digest posts and failures. `instrument_app` wraps the
  services' methods on the `App` instance (no core file is touched); `ObservedSink` wraps a
  digest sink.
* **Ops server** (`start_ops_server`): ``GET /healthz`` (database ``SELECT 1``, scheduler
  running, platforms configured/connected; 200 or 503) and ``GET /metrics`` (Prometheus text)
  on ``METRICS_HOST:METRICS_PORT``, independent of the Slack HTTP server.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import functools
import json
import logging
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import text

from briefs.digest.model import Digest
from briefs.digest.ports import DigestSink, Subscription
from briefs.errors import DuplicateBriefError, NearDuplicateError, UserError

__all__ = [
    "CorrelationTextFormatter",
    "HealthCheck",
    "JsonFormatter",
    "Metrics",
    "ObservedSink",
    "PlatformProbe",
    "bind_correlation_id",
    "configure_logging",
    "correlation_id",
    "correlation_scope",
    "current_correlation_id",
    "install_correlation_factory",
    "instrument_app",
    "instrument_discord",
    "new_correlation_id",
    "ops_web_app",
    "start_ops_server",
    "wrap_sinks",
]

log = logging.getLogger(__name__)

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


# -------------------------------------------------------------------------------- metrics

ASK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The bot's Prometheus metrics, in their own registry (one per app; tests make many)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.asks = Counter(
            "briefbot_asks",
            "Questions asked, by platform and outcome (answered/abstained/invalid/error).",
            ["platform", "outcome"],
            registry=r,
        )
        self.abstains = Counter(
            "briefbot_abstains",
            "Questions the bot abstained on, by platform.",
            ["platform"],
            registry=r,
        )
        self.ask_latency = Histogram(
            "briefbot_ask_latency_seconds",
            "Time to answer a question (search, compose, log), by platform.",
            ["platform"],
            buckets=ASK_BUCKETS,
            registry=r,
        )
        self.ingests = Counter(
            "briefbot_ingest",
            "Upload/ingest outcomes by status "
            "(added/new_version/duplicate/near_duplicate/rejected/error).",
            ["status"],
            registry=r,
        )
        self.digest_posts = Counter(
            "briefbot_digest_posts", "Digests posted, by platform.", ["platform"], registry=r
        )
        self.digest_failures = Counter(
            "briefbot_digest_post_failures",
            "Digest post attempts that raised, by platform (the scheduler retries).",
            ["platform"],
            registry=r,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)

    def value(self, name: str, **labels: str) -> float:
        """A sample's current value (0 when absent): for tests and the healthz summary."""
        found = self.registry.get_sample_value(name, labels)
        return float(found) if found is not None else 0.0


_in_ingest: contextvars.ContextVar[bool] = contextvars.ContextVar("_in_ingest", default=False)


def _platform(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    actor = kwargs.get("actor", args[1] if len(args) > 1 else None)
    return str(getattr(actor, "platform", None) or "unknown")


def instrument_app(app: Any, metrics: Metrics) -> None:
    """Count asks and ingests by wrapping ``app.ask`` / ``app.ingest`` methods in place.

    ``ask`` → asks/abstains/latency. ``ingest`` → one outcome per call; ``prepare`` (user
    errors only) and ``commit`` → the adapters' preview-then-confirm uploads, not counted again
    when ``ingest`` calls them itself. Idempotent per service instance.
    """
    ask_service = app.ask
    if not getattr(ask_service, "_observed", False):
        real_ask = ask_service.ask

        @functools.wraps(real_ask)
        async def ask(*args: Any, **kwargs: Any) -> Any:
            platform = _platform(args, kwargs)
            started = time.perf_counter()
            try:
                answer = await real_ask(*args, **kwargs)
            except UserError:
                metrics.asks.labels(platform, "invalid").inc()
                raise
            except Exception:
                metrics.asks.labels(platform, "error").inc()
                raise
            finally:
                metrics.ask_latency.labels(platform).observe(time.perf_counter() - started)
            abstained = bool(getattr(answer, "abstained", False))
            metrics.asks.labels(platform, "abstained" if abstained else "answered").inc()
            if abstained:
                metrics.abstains.labels(platform).inc()
            return answer

        setattr(ask_service, "ask", ask)  # noqa: B010 (instance attribute shadows the method)
        setattr(ask_service, "_observed", True)  # noqa: B010

    ingest_service = app.ingest
    if getattr(ingest_service, "_observed", False):
        return
    real_ingest = ingest_service.ingest
    real_prepare = ingest_service.prepare
    real_commit = ingest_service.commit

    @functools.wraps(real_ingest)
    async def ingest(*args: Any, **kwargs: Any) -> Any:
        token = _in_ingest.set(True)
        try:
            outcome = await real_ingest(*args, **kwargs)
        except Exception:
            metrics.ingests.labels("error").inc()
            raise
        finally:
            _in_ingest.reset(token)
        metrics.ingests.labels(str(getattr(outcome, "status", "unknown"))).inc()
        return outcome

    @functools.wraps(real_prepare)
    async def prepare(*args: Any, **kwargs: Any) -> Any:
        try:
            return await real_prepare(*args, **kwargs)
        except UserError:
            if not _in_ingest.get():
                metrics.ingests.labels("rejected").inc()
            raise

    @functools.wraps(real_commit)
    async def commit(prepared: Any, *args: Any, **kwargs: Any) -> Any:
        counted = not _in_ingest.get()
        try:
            stored = await real_commit(prepared, *args, **kwargs)
        except DuplicateBriefError:
            status = "duplicate"
            raise
        except NearDuplicateError:
            status = "near_duplicate"
            raise
        except UserError:
            status = "rejected"
            raise
        except Exception:
            status = "error"
            raise
        else:
            status = "new_version" if getattr(prepared, "status", "") == "new_version" else "added"
            return stored
        finally:
            if counted:
                metrics.ingests.labels(status).inc()

    setattr(ingest_service, "ingest", ingest)  # noqa: B010
    setattr(ingest_service, "prepare", prepare)  # noqa: B010
    setattr(ingest_service, "commit", commit)  # noqa: B010
    setattr(ingest_service, "_observed", True)  # noqa: B010


class ObservedSink:
    """A `DigestSink` that counts posts/failures and gives each post a correlation id."""

    def __init__(self, inner: DigestSink, platform: str, metrics: Metrics) -> None:
        self.inner = inner
        self.platform = platform
        self._metrics = metrics

    async def post(
        self, subscription: Subscription, digest: Digest, chart_png: bytes | None
    ) -> str:
        with correlation_scope():
            try:
                message_id = await self.inner.post(subscription, digest, chart_png)
            except Exception:
                self._metrics.digest_failures.labels(self.platform).inc()
                raise
            self._metrics.digest_posts.labels(self.platform).inc()
            log.info("digest for subscription %s posted to %s", subscription.id, self.platform)
            return message_id

    def __getattr__(self, name: str) -> Any:  # e.g. SlackDigestSink helpers
        return getattr(self.inner, name)


# --------------------------------------------------------------------------------- health

PlatformProbe = Callable[[], str]  # → "connected" | "connecting" | "running" | "stopped" …


@dataclass
class HealthCheck:
    """What `/healthz` reports. Healthy (200) = database answers and the scheduler runs."""

    database: Any  # storage.Database (its ``engine``)
    scheduler_running: Callable[[], bool] = lambda: False
    platforms: dict[str, PlatformProbe] = field(default_factory=dict)
    db_timeout_s: float = 2.0

    async def _database_ok(self) -> tuple[bool, str | None]:
        async def probe() -> None:
            async with self.database.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))

        try:
            await asyncio.wait_for(probe(), self.db_timeout_s)
        except TimeoutError:
            return False, f"no answer within {self.db_timeout_s:g} s"
        except Exception as exc:
            # The class name only: driver messages can carry the URL (and its password).
            return False, type(exc).__name__
        return True, None

    async def report(self) -> tuple[bool, dict[str, Any]]:
        db_ok, db_error = await self._database_ok()
        running = bool(self.scheduler_running())
        platforms: dict[str, str] = {}
        for name, probe in self.platforms.items():
            try:
                platforms[name] = probe()
            except Exception:
                platforms[name] = "unknown"
        healthy = db_ok and running
        body: dict[str, Any] = {
            "status": "ok" if healthy else "unhealthy",
            "database": "ok" if db_ok else "unreachable",
            "scheduler": "running" if running else "stopped",
            "platforms": platforms,
        }
        if db_error:
            body["database_error"] = db_error
        return healthy, body


def ops_web_app(health: HealthCheck, metrics: Metrics) -> web.Application:
    """``GET /healthz`` (JSON, 200/503) and ``GET /metrics`` (Prometheus text)."""

    async def healthz(_: web.Request) -> web.Response:
        healthy, body = await health.report()
        return web.json_response(body, status=200 if healthy else 503)

    async def metrics_view(_: web.Request) -> web.Response:
        response = web.Response(body=metrics.render())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    application = web.Application()
    application.router.add_get("/healthz", healthz)
    application.router.add_get("/metrics", metrics_view)
    return application


async def start_ops_server(
    health: HealthCheck, metrics: Metrics, *, host: str, port: int
) -> tuple[web.AppRunner, int] | None:
    """Start the ops server; a port that cannot be bound is logged, not fatal (returns None).

    Returns the runner and the bound port (useful with ``port=0`` in tests).
    """
    runner = web.AppRunner(ops_web_app(health, metrics), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host=host, port=port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        log.error(
            "metrics/health server not started: cannot listen on %s:%d (%s); "
            "set METRICS_PORT to a free port or 0",
            host,
            port,
            exc.strerror or exc,
        )
        return None
    server: Any = site._server
    bound = int(server.sockets[0].getsockname()[1]) if server and server.sockets else port
    log.info("health and metrics on http://%s:%d (/healthz, /metrics)", host, bound)
    return runner, bound


def wrap_sinks(sinks: dict[str, DigestSink], metrics: Metrics) -> dict[str, DigestSink]:
    return {name: ObservedSink(sink, name, metrics) for name, sink in sinks.items()}
