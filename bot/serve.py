"""`python -m bot serve`: Discord, Slack and the digest scheduler in one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from bot.container import App
from bot.scheduler import DigestScheduler, FileSink
from briefs.digest.ports import DigestSink

__all__ = ["serve"]

log = logging.getLogger(__name__)


async def serve(app: App, *, digest_dir: Path = Path("digests")) -> None:
    """Run every configured adapter until SIGTERM/SIGINT, then stop them in order."""
    settings = app.settings
    sinks: dict[str, DigestSink] = {"file": FileSink(digest_dir)}
    adapters: dict[str, Coroutine[Any, Any, None]] = {}
    scheduler: DigestScheduler | None = None

    async def reload() -> None:
        if scheduler is not None:
            await scheduler.reload()

    if settings.discord_token is not None:
        from bot.discord_app.client import build_client, run_discord
        from bot.discord_app.sink import DiscordDigestSink

        client = build_client(app, on_subscriptions_changed=reload)
        sinks["discord"] = DiscordDigestSink(client)
        adapters["discord"] = run_discord(app, client=client)
    if settings.slack_bot_token is not None or settings.slack_oauth_enabled:
        from bot.slack_app.app import build_slack, run_slack

        runtime = build_slack(app, on_subscriptions_changed=reload)
        sinks["slack"] = runtime.sink
        adapters["slack"] = run_slack(app, runtime=runtime)
    if not adapters:
        log.warning("No DISCORD_TOKEN or SLACK_BOT_TOKEN set: only file digests will be posted.")

    scheduler = DigestScheduler(
        subscriptions=app.digest_store.subscriptions,
        claims=app.digest_store.claims,
        builder=app.digests,
        sinks=sinks,
        grace=dt.timedelta(hours=settings.digest_grace_hours),
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    tasks = [asyncio.create_task(coro, name=name) for name, coro in adapters.items()]
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
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        log.info("stopped cleanly")
