"""`python -m bot serve`: Discord, Slack and the digest scheduler in one event loop.

Also the operations side (`bot.observability`): ``LOG_FORMAT`` logs with a correlation id per
Slack request / Discord interaction / digest post, asks and ingests counted, and ``GET
/healthz`` + ``GET /metrics`` on ``METRICS_HOST:METRICS_PORT`` (0 disables).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

from bot.container import App
from bot.observability import (
    HealthCheck,
    Metrics,
    PlatformProbe,
    bind_correlation_id,
    configure_logging,
    instrument_app,
    instrument_discord,
    start_ops_server,
    wrap_sinks,
)
from bot.scheduler import DigestScheduler, FileSink
from briefs.digest.ports import DigestSink

__all__ = ["serve"]

log = logging.getLogger(__name__)


ANSWER_DRAIN_S = 15.0  # how long SIGTERM waits for answers and uploads already in progress


class InFlight:
    """Counts service calls in progress so shutdown can let them finish."""

    def __init__(self) -> None:
        self.count = 0
        self.idle = asyncio.Event()
        self.idle.set()

    def track(self, obj: object, name: str) -> None:
        original = getattr(obj, name)

        @functools.wraps(original)
        async def tracked(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            self.idle.clear()
            try:
                return await original(*args, **kwargs)
            finally:
                self.count -= 1
                if self.count == 0:
                    self.idle.set()

        setattr(obj, name, tracked)

    async def drain(self, timeout_s: float) -> bool:
        """Wait until nothing is in flight; False if the timeout came first."""
        if self.count:
            log.info("waiting for %d answer(s)/upload(s) in flight", self.count)
        try:
            await asyncio.wait_for(self.idle.wait(), timeout_s)
        except TimeoutError:
            log.warning("%d request(s) still running after %.0f s; stopping", self.count, timeout_s)
            return False
        return True


async def serve(
    app: App,
    *,
    digest_dir: Path = Path("digests"),
    metrics: Metrics | None = None,
    stop: asyncio.Event | None = None,
    answer_drain_s: float = ANSWER_DRAIN_S,
) -> None:
    """Run every configured adapter until SIGTERM/SIGINT (or `stop`), then stop in order:
    the scheduler drains its posts, answers and uploads in progress finish, adapters close."""
    settings = app.settings
    configure_logging(settings.log_format)
    # matplotlib takes ~0.5 s to import: pay it at start, not inside the first digest
    import briefs.digest.chart  # noqa: F401

    metrics = metrics or Metrics()
    instrument_app(app, metrics)
    in_flight = InFlight()
    for service, method in ((app.ask, "ask"), (app.ingest, "prepare"), (app.ingest, "commit")):
        in_flight.track(service, method)
    sinks: dict[str, DigestSink] = {"file": FileSink(digest_dir)}
    adapters: dict[str, Coroutine[Any, Any, None]] = {}
    probes: dict[str, PlatformProbe] = {}
    scheduler: DigestScheduler | None = None

    async def reload() -> None:
        if scheduler is not None:
            await scheduler.reload()

    if settings.discord_token is not None:
        from bot.discord_app.client import build_client, run_discord
        from bot.discord_app.sink import DiscordDigestSink

        client = build_client(app, on_subscriptions_changed=reload)
        instrument_discord(client)
        probes["discord"] = functools.partial(_discord_state, client)
        sinks["discord"] = DiscordDigestSink(client)
        adapters["discord"] = run_discord(app, client=client)
    if settings.slack_bot_token is not None or settings.slack_oauth_enabled:
        from bot.slack_app.app import build_slack, run_slack

        runtime = build_slack(app, on_subscriptions_changed=reload)
        runtime.bolt.middleware(_slack_correlation)
        sinks["slack"] = runtime.sink
        adapters["slack"] = run_slack(app, runtime=runtime)
    if not adapters:
        log.warning("No DISCORD_TOKEN or SLACK_BOT_TOKEN set: only file digests will be posted.")

    scheduler = DigestScheduler(
        subscriptions=app.digest_store.subscriptions,
        claims=app.digest_store.claims,
        builder=app.digests,
        sinks=wrap_sinks(sinks, metrics),
        grace=dt.timedelta(hours=settings.digest_grace_hours),
    )
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    tasks = [asyncio.create_task(coro, name=name) for name, coro in adapters.items()]
    for adapter_task in tasks:
        probes.setdefault(adapter_task.get_name(), functools.partial(_task_state, adapter_task))
    health = HealthCheck(
        app.database,
        scheduler_running=functools.partial(_scheduler_running, scheduler),
        platforms=probes,
    )
    ops = (
        await start_ops_server(
            health, metrics, host=settings.metrics_host, port=settings.metrics_port
        )
        if settings.metrics_port
        else None
    )
    try:
        await scheduler.start()
        log.info("serving: %s", ", ".join(adapters) or "scheduler only")
        waiter = asyncio.create_task(stop.wait(), name="stop")
        done, _ = await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not waiter and task.exception() is not None:
                log.error("%s stopped: %s", task.get_name(), task.exception())
        waiter.cancel()
    finally:
        await scheduler.shutdown()
        await in_flight.drain(answer_drain_s)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        if ops is not None:
            await ops[0].cleanup()
        log.info("stopped cleanly")


async def _slack_correlation(next_: Callable[[], Awaitable[Any]]) -> Any:
    """Bolt global middleware: a correlation id per Slack request (inherited by the listener
    task bolt starts after the ack)."""
    bind_correlation_id()
    return await next_()


def _discord_state(client: Any) -> str:
    if client.is_closed():
        return "closed"
    return "connected" if client.is_ready() else "connecting"


def _task_state(task: asyncio.Task[Any]) -> str:
    return "stopped" if task.done() else "running"


def _scheduler_running(scheduler: DigestScheduler) -> bool:
    inner = scheduler.scheduler
    return bool(inner is not None and inner.running)
