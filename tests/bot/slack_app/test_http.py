"""HTTP mode over real loopback HTTP: signature verification, url_verification, healthz."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.config import ConfigError
from bot.container import App
from bot.slack_app import build_slack
from bot.slack_app.dedupe import EventDeduplicator
from tests.bot.slack_app.conftest import USER, Harness, serve_http
from tests.bot.slack_app.fake_slack import FakeSlack, signed_headers


@pytest.fixture
async def served(harness: Harness) -> AsyncIterator[str]:
    async with serve_http(harness.runtime) as url:
        yield url


async def test_signed_requests_over_http(served: str, slack: FakeSlack) -> None:
    challenge = json.dumps({"type": "url_verification", "challenge": "abc", "token": "t"})
    form = (
        f"command=%2Fask&text=&team_id=T1&user_id={USER}&channel_id=C1"
        f"&response_url={slack.base}/response/1"
    )
    async with aiohttp.ClientSession() as session:
        headers = signed_headers(challenge, "application/json")
        async with session.post(f"{served}/slack/events", data=challenge, headers=headers) as r:
            assert r.status == 200
            assert (await r.json())["challenge"] == "abc"
        bad = signed_headers(challenge, "application/json", secret="wrong")
        async with session.post(f"{served}/slack/events", data=challenge, headers=bad) as r:
            assert r.status == 401
        stale = signed_headers(
            challenge, "application/json", timestamp=str(int(time.time()) - 3600)
        )
        async with session.post(f"{served}/slack/events", data=challenge, headers=stale) as r:
            assert r.status == 401
        headers = signed_headers(form, "application/x-www-form-urlencoded")
        async with session.post(f"{served}/slack/events", data=form, headers=headers) as r:
            assert r.status == 200
        async with session.get(f"{served}/healthz") as r:
            assert r.status == 200
    await slack.wait_for(lambda: len(slack.responses) == 1)  # the /ask help, via response_url


async def test_rate_limit_retry_handler_is_installed(harness: Harness) -> None:
    names = [type(h).__name__ for h in harness.runtime.client.retry_handlers]
    assert "AsyncRateLimitErrorRetryHandler" in names
    assert harness.runtime.client.base_url == harness.slack.api_url


async def test_missing_configuration_is_a_clear_error(core: App) -> None:
    bare = core.settings.model_copy(update={"slack_bot_token": None})
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        build_slack(App(**{**core.__dict__, "settings": bare}))
    no_secret = core.settings.model_copy(update={"slack_signing_secret": None})
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        build_slack(App(**{**core.__dict__, "settings": no_secret}))


def test_deduplicator_ttl_and_size() -> None:
    now = [0.0]
    dedupe = EventDeduplicator(ttl_s=10, max_size=3, clock=lambda: now[0])
    assert dedupe.first_time("a")
    assert not dedupe.first_time("a")
    now[0] = 11
    assert dedupe.first_time("a")  # expired
    for key in "bcde":
        assert dedupe.first_time(key)
    assert len(dedupe) <= 3
