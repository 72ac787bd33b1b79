"""Operations: JSON logs with correlation ids, metrics from wrapped services, /healthz and
/metrics on the ops server (and through `serve`), digest sink counting."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import Settings
from bot.container import App, open_app
from bot.observability import (
    CorrelationTextFormatter,
    HealthCheck,
    JsonFormatter,
    Metrics,
    ObservedSink,
    bind_correlation_id,
    correlation_scope,
    current_correlation_id,
    install_correlation_factory,
    instrument_app,
    instrument_discord,
    start_ops_server,
)
from bot.serve import _slack_correlation, serve
from bot.slack_app import build_slack
from briefs.services import Actor

USER = Actor("test:user", is_admin=False, platform="slack")
ADMIN = Actor("test:admin", is_admin=True, platform="cli")
BRIEF = (
    b"---\ntitle: Caspian shipping talks\ndate: 2024-03-05\noutlet: Test Wire\n---\n\n"
    b"Russia and Iran discussed Caspian shipping routes and port fees in Astrakhan. "
    b"Officials from both countries agreed to expand ferry services across the Caspian Sea. "
    b"The talks also covered customs procedures at Bandar Anzali and Makhachkala.\n"
)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'ops.db'}"
    settings = Settings(_env_file=None, database_url=url, load_starter_corpus=True)  # type: ignore[call-arg]
    async with open_app(settings=settings) as opened:
        yield opened


def _record(message: str, *args: Any, exc: bool = False) -> logging.LogRecord:
    install_correlation_factory()
    exc_info = None
    if exc:
        try:
            raise ValueError("boom")
        except ValueError:
            import sys

            exc_info = sys.exc_info()
    return logging.getLogger("bot.test").makeRecord(
        "bot.test", logging.ERROR, __file__, 1, message, args, exc_info
    )


# ----------------------------------------------------------------------------------- logs


def test_json_lines_carry_the_correlation_id() -> None:
    with correlation_scope("abc123def456"):
        record = _record("Slack %s failed (ref %s)", "/ask", "f00f00", exc=True)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    document = json.loads(line)
    assert document["level"] == "ERROR"
    assert document["logger"] == "bot.test"
    assert document["message"] == "Slack /ask failed (ref f00f00)"
    assert document["correlation_id"] == "abc123def456"
    assert "ValueError: boom" in document["exception"]
    assert dt.datetime.fromisoformat(document["time"]).tzinfo is not None


def test_no_correlation_outside_a_scope() -> None:
    assert current_correlation_id() is None
    document = json.loads(JsonFormatter().format(_record("plain")))
    assert document["correlation_id"] == "-"
    assert CorrelationTextFormatter().format(_record("plain")).endswith("bot.test: plain")
    with correlation_scope("c0ffee"):
        assert CorrelationTextFormatter().format(_record("x")).endswith("x [cid=c0ffee]")
    assert current_correlation_id() is None


async def test_tasks_inherit_the_bound_id() -> None:
    async def handler() -> str | None:
        bind_correlation_id("req-1")
        child = asyncio.ensure_future(asyncio.sleep(0, result=None))
        await child
        return await asyncio.create_task(_read())

    async def _read() -> str | None:
        return current_correlation_id()

    assert await asyncio.create_task(handler()) == "req-1"
    assert current_correlation_id() is None  # the handler ran in its own task's context


def test_discord_interactions_are_correlated() -> None:
    seen: list[str | None] = []

    parsers: dict[str, Any] = {
        "INTERACTION_CREATE": lambda data: seen.append(current_correlation_id())
    }
    client = SimpleNamespace(_connection=SimpleNamespace(parsers=parsers))
    assert instrument_discord(client)
    assert instrument_discord(client)  # idempotent
    client._connection.parsers["INTERACTION_CREATE"]({})
    client._connection.parsers["INTERACTION_CREATE"]({})
    assert len(seen) == 2
    assert all(seen)
    assert seen[0] != seen[1]
    assert not instrument_discord(object())


# -------------------------------------------------------------------------------- metrics


async def test_asks_and_ingests_are_counted(app: App) -> None:
    metrics = Metrics()
    instrument_app(app, metrics)
    instrument_app(app, metrics)  # idempotent: still one count per call

    await app.ask.ask("What military cooperation did Russia and Iran have in Syria?", USER)
    await app.ask.ask("What is the price of bananas in Ecuador?", USER)
    with pytest.raises(Exception):  # noqa: B017 (InvalidQuestionError, a UserError)
        await app.ask.ask("   ", USER)

    assert await app.ingest.ingest("caspian.md", BRIEF, ADMIN)
    assert (await app.ingest.ingest("caspian-again.md", BRIEF, ADMIN)).status == "duplicate"
    assert (await app.ingest.ingest("x.png.txt", b"\x89PNG\r\n\x1a\n", ADMIN)).status == "rejected"
    with pytest.raises(Exception):  # noqa: B017 — preview of an unreadable file
        await app.ingest.prepare("empty.txt", b"   ", ADMIN)
    prepared = await app.ingest.prepare("caspian-copy.md", BRIEF, ADMIN)
    with pytest.raises(Exception):  # noqa: B017 — confirming a duplicate
        await app.ingest.commit(prepared, ADMIN)

    value = metrics.value
    assert value("briefbot_asks_total", platform="slack", outcome="answered") == 1
    assert value("briefbot_asks_total", platform="slack", outcome="abstained") == 1
    assert value("briefbot_asks_total", platform="slack", outcome="invalid") == 1
    assert value("briefbot_abstains_total", platform="slack") == 1
    assert value("briefbot_ask_latency_seconds_count", platform="slack") == 3
    assert value("briefbot_ingest_total", status="added") == 1
    assert value("briefbot_ingest_total", status="duplicate") == 2
    assert value("briefbot_ingest_total", status="rejected") == 2
    text = metrics.render().decode()
    assert "# TYPE briefbot_ask_latency_seconds histogram" in text
    assert 'briefbot_ingest_total{status="added"} 1.0' in text


class _Sink:
    def __init__(self, fail: bool) -> None:
        self.fail = fail
        self.ids: list[str | None] = []

    async def post(self, subscription: Any, digest: Any, chart_png: bytes | None) -> str:
        self.ids.append(current_correlation_id())
        if self.fail:
            raise RuntimeError("chat API down")
        return "m1"


async def test_digest_posts_and_failures_are_counted() -> None:
    metrics = Metrics()
    good, bad = _Sink(fail=False), _Sink(fail=True)
    sub = type("Sub", (), {"id": 7})()
    assert await ObservedSink(good, "slack", metrics).post(sub, None, None) == "m1"  # type: ignore[arg-type]
    with pytest.raises(RuntimeError):
        await ObservedSink(bad, "discord", metrics).post(sub, None, None)  # type: ignore[arg-type]
    assert metrics.value("briefbot_digest_posts_total", platform="slack") == 1
    assert metrics.value("briefbot_digest_post_failures_total", platform="discord") == 1
    assert good.ids[0]
    assert bad.ids[0]


# ------------------------------------------------------------------------------ endpoints


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def test_healthz_and_metrics_endpoints(app: App) -> None:
    metrics = Metrics()
    running = {"value": True}
    health = HealthCheck(
        app.database,
        scheduler_running=lambda: running["value"],
        platforms={"slack": lambda: "running", "discord": lambda: "connecting"},
    )
    started = await start_ops_server(health, metrics, host="127.0.0.1", port=0)
    assert started is not None
    runner, port = started
    try:
        status, body = await _get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200
        assert json.loads(body) == {
            "status": "ok",
            "database": "ok",
            "scheduler": "running",
            "platforms": {"slack": "running", "discord": "connecting"},
        }
        status, body = await _get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        assert "briefbot_asks_total" in body or "# HELP briefbot_asks" in body

        running["value"] = False
        status, body = await _get(f"http://127.0.0.1:{port}/healthz")
        assert status == 503
        assert json.loads(body)["scheduler"] == "stopped"
    finally:
        await runner.cleanup()


async def test_healthz_reports_an_unreachable_database() -> None:
    engine = create_async_engine("postgresql+asyncpg://briefbot:secret-pw@127.0.0.1:9/none")
    database = SimpleNamespace(engine=engine)  # a database that went away after start-up
    try:
        health = HealthCheck(database, scheduler_running=lambda: True, db_timeout_s=5)
        healthy, body = await health.report()
    finally:
        await engine.dispose()
    assert not healthy
    assert body["database"] == "unreachable"
    assert "secret-pw" not in json.dumps(body)


async def test_a_busy_port_is_logged_not_fatal(app: App, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        health = HealthCheck(app.database, scheduler_running=lambda: True)
        assert await start_ops_server(health, Metrics(), host="127.0.0.1", port=port) is None
    assert "metrics/health server not started" in caplog.text


async def test_slack_middleware_gives_each_request_an_id(app: App) -> None:
    runtime = build_slack(
        app,
        client=AsyncWebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/"),
        signing_secret="s",
    )
    runtime.bolt.middleware(_slack_correlation)
    seen: list[str | None] = []

    async def next_() -> None:
        seen.append(current_correlation_id())

    for _ in range(2):
        await asyncio.create_task(_slack_correlation(next_))
    assert len(seen) == 2
    assert all(seen)
    assert seen[0] != seen[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_serve_exposes_healthz_and_metrics(app: App, tmp_path: Path) -> None:
    port = _free_port()
    app.settings = app.settings.model_copy(
        update={"metrics_port": port, "metrics_host": "127.0.0.1", "log_format": "json"}
    )
    metrics = Metrics()
    task = asyncio.create_task(serve(app, digest_dir=tmp_path / "digests", metrics=metrics))
    try:
        body = ""
        for _ in range(200):
            with contextlib.suppress(aiohttp.ClientError):
                status, body = await _get(f"http://127.0.0.1:{port}/healthz")
                if status == 200:
                    break
            await asyncio.sleep(0.05)
        report = json.loads(body)
        assert report["status"] == "ok"
        assert report["scheduler"] == "running"
        assert report["platforms"] == {}  # no chat tokens in this test
        await app.ask.ask("What did Russia and Iran agree on energy?", USER)
        status, text = await _get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        assert 'briefbot_ask_latency_seconds_count{platform="slack"} 1.0' in text
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    with pytest.raises(aiohttp.ClientError):
        await _get(f"http://127.0.0.1:{port}/healthz")
