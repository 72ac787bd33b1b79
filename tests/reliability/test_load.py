"""Bounded load on loopback: 50 concurrent `/ask` over Slack HTTP and through the service
layer, 10 concurrent uploads. Asserts zero errors and exactly one answer per request (no
timing assertions); throughput and p95 are recorded as figures for RELIABILITY.md.

Each scenario runs on both backends (``db_url``: SQLite file, PostgreSQL schema).
"""

from __future__ import annotations

import asyncio
import statistics
import time
import urllib.parse
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select

from bot.container import App
from bot.observability import Metrics, bind_correlation_id, instrument_app
from bot.slack_app import build_slack
from bot.slack_app.app import web_app
from briefs.answering.model import Answer
from briefs.services import Actor
from storage.tables import BriefRow, QuestionRow
from tests.bot.slack_app.conftest import drain
from tests.bot.slack_app.fake_slack import SECRET, TEAM, FakeSlack, signed_headers
from tests.reliability._support import write_briefs

CONCURRENCY = 50
UPLOADS = 10
QUESTIONS = (
    "What military cooperation did Russia and Iran have in Syria?",
    "How did Russia and Iran cooperate on energy and gas?",
    "What did Russia and Iran agree about the nuclear deal?",
    "Were there tensions between Russia and Iran over oil prices?",
    "What is the North-South transport corridor?",
    "Did Iran supply drones to Russia?",
    "What happened at the Caspian summit?",
    "What is the price of bananas in Ecuador?",  # abstains
    "How do Russia and Iran trade around sanctions?",
    "What did the 2001 treaty between Russia and Iran say?",
)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


class CountingSlack(FakeSlack):
    """The fake Slack, also recording which response_url each answer was posted to."""

    def __init__(self) -> None:
        super().__init__()
        self.answered_at: dict[str, list[float]] = {}

    async def _response(self, request: web.Request) -> web.Response:
        self.answered_at.setdefault(request.match_info["n"], []).append(time.perf_counter())
        return await super()._response(request)


@pytest.fixture
async def counting_slack() -> AsyncIterator[CountingSlack]:
    fake = CountingSlack()
    await fake.start()
    yield fake
    await drain()
    await fake.stop()


async def _questions_logged(app: App) -> int:
    async with app.database.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(QuestionRow))).scalar_one())


async def _briefs_stored(app: App) -> int:
    async with app.database.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(BriefRow))).scalar_one())


async def test_50_concurrent_slack_asks_over_http(
    core_app: App, counting_slack: CountingSlack, record_figure: Any
) -> None:
    slack = counting_slack
    metrics = Metrics()
    instrument_app(core_app, metrics)
    client = AsyncWebClient(token="xoxb-load", base_url=slack.api_url)
    runtime = build_slack(
        core_app, client=client, signing_secret=SECRET, download_hosts=("127.0.0.1",)
    )

    async def correlate(next_: Any) -> Any:
        bind_correlation_id()
        return await next_()

    runtime.bolt.middleware(correlate)
    runner = web.AppRunner(web_app(runtime, 0))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}/slack/events"
    logged_before = await _questions_logged(core_app)

    sent_at: dict[str, float] = {}
    ack_s: list[float] = []
    statuses: Counter[int] = Counter()
    errors: list[str] = []

    async def one(session: aiohttp.ClientSession, n: int) -> None:
        key = f"load{n}"
        form = {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "test",
            "channel_id": "C1",
            "channel_name": "general",
            "user_id": f"U{n:04d}",
            "user_name": f"user{n}",
            "command": "/ask",
            "text": QUESTIONS[n % len(QUESTIONS)],
            "api_app_id": "A1",
            "response_url": f"{slack.base}/response/{key}",
            "trigger_id": f"1.2.{n}",
        }
        body = urllib.parse.urlencode(form)
        headers = signed_headers(body, "application/x-www-form-urlencoded")
        started = time.perf_counter()
        sent_at[key] = started
        try:
            async with session.post(url, data=body, headers=headers) as response:
                statuses[response.status] += 1
                await response.read()
        except Exception as exc:
            errors.append(repr(exc))
        ack_s.append(time.perf_counter() - started)

    try:
        started = time.perf_counter()
        connector = aiohttp.TCPConnector(limit=CONCURRENCY)
        async with aiohttp.ClientSession(connector=connector) as session:
            await asyncio.gather(*(one(session, n) for n in range(CONCURRENCY)))
        await slack.wait_for(lambda: len(slack.answered_at) >= CONCURRENCY, within=240)
        wall = time.perf_counter() - started
        await drain()
        await asyncio.sleep(0.5)  # a duplicate answer would arrive now
    finally:
        await runner.cleanup()

    answers = {key: len(times) for key, times in slack.answered_at.items()}
    end_to_end = [slack.answered_at[k][0] - sent_at[k] for k in sent_at if k in slack.answered_at]
    failures = [r for r in slack.responses if "Something went wrong" in str(r)]
    record_figure(
        "slack_http_ask_load",
        requests=CONCURRENCY,
        wall_s=round(wall, 2),
        throughput_per_s=round(CONCURRENCY / wall, 1),
        ack_p95_ms=round(p95(ack_s) * 1000),
        answer_p50_ms=round(statistics.median(end_to_end) * 1000),
        answer_p95_ms=round(p95(end_to_end) * 1000),
        http_statuses=dict(statuses),
        errors=len(errors) + len(failures),
        abstained=metrics.value("briefbot_abstains_total", platform="slack"),
    )
    assert errors == []
    assert statuses == Counter({200: CONCURRENCY})
    assert failures == []
    assert sorted(answers) == sorted(sent_at)
    assert set(answers.values()) == {1}, "every request answered exactly once"
    assert len(slack.responses) == CONCURRENCY
    assert await _questions_logged(core_app) - logged_before == CONCURRENCY
    answered = metrics.value("briefbot_asks_total", platform="slack", outcome="answered")
    abstained = metrics.value("briefbot_asks_total", platform="slack", outcome="abstained")
    assert answered + abstained == CONCURRENCY


async def test_50_concurrent_asks_through_the_service(core_app: App, record_figure: Any) -> None:
    metrics = Metrics()
    instrument_app(core_app, metrics)
    logged_before = await _questions_logged(core_app)
    latencies: list[float] = []

    async def one(n: int) -> Answer:
        actor = Actor(f"load:{n}", is_admin=False, platform="load")
        started = time.perf_counter()
        try:
            return await core_app.ask.ask(QUESTIONS[n % len(QUESTIONS)], actor)
        finally:
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    results = await asyncio.gather(*(one(n) for n in range(CONCURRENCY)), return_exceptions=True)
    wall = time.perf_counter() - started

    errors = [r for r in results if isinstance(r, BaseException)]
    answers = [r for r in results if isinstance(r, Answer)]
    record_figure(
        "service_ask_load",
        requests=CONCURRENCY,
        wall_s=round(wall, 2),
        throughput_per_s=round(CONCURRENCY / wall, 1),
        p50_ms=round(statistics.median(latencies) * 1000),
        p95_ms=round(p95(latencies) * 1000),
        errors=len(errors),
        abstained=sum(a.abstained for a in answers),
    )
    assert errors == []
    assert len(answers) == CONCURRENCY
    ids = [a.question_id for a in answers]
    assert None not in ids
    assert len(set(ids)) == CONCURRENCY, "each ask logged exactly once"
    assert await _questions_logged(core_app) - logged_before == CONCURRENCY
    assert metrics.value("briefbot_ask_latency_seconds_count", platform="load") == CONCURRENCY


async def test_10_concurrent_uploads(core_app: App, tmp_path: Path, record_figure: Any) -> None:
    metrics = Metrics()
    instrument_app(core_app, metrics)
    files = write_briefs(tmp_path, UPLOADS, seed=909)
    payloads = [(path.name, path.read_bytes()) for path in files]
    before = await _briefs_stored(core_app)
    latencies: list[float] = []

    async def one(n: int) -> Any:
        name, data = payloads[n]
        actor = Actor(f"uploader:{n}", is_admin=True, platform="load")
        started = time.perf_counter()
        try:
            return await core_app.ingest.ingest(name, data, actor)
        finally:
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    results = await asyncio.gather(*(one(n) for n in range(UPLOADS)), return_exceptions=True)
    wall = time.perf_counter() - started

    errors = [r for r in results if isinstance(r, BaseException)]
    outcomes = Counter(getattr(r, "status", "?") for r in results if not isinstance(r, Exception))
    record_figure(
        "concurrent_uploads",
        uploads=UPLOADS,
        wall_s=round(wall, 2),
        throughput_per_s=round(UPLOADS / wall, 1),
        p50_ms=round(statistics.median(latencies) * 1000),
        p95_ms=round(p95(latencies) * 1000),
        errors=len(errors),
        outcomes=dict(outcomes),
    )
    assert errors == []
    assert outcomes == Counter({"added": UPLOADS})
    assert await _briefs_stored(core_app) - before == UPLOADS
    assert metrics.value("briefbot_ingest_total", status="added") == UPLOADS
