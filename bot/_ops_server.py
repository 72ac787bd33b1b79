"""The ops HTTP server: ``GET /healthz`` (`HealthCheck`) and ``GET /metrics`` (Prometheus
text), independent of the Slack HTTP server. Re-exported by ``bot.observability``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import text

from bot._metrics import Metrics

__all__ = ["HealthCheck", "PlatformProbe", "ops_web_app", "start_ops_server"]

log = logging.getLogger("bot.observability")

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
