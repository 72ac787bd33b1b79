"""Two bolt app instances on one database (HTTP mode behind a load balancer).

A retried event delivered to the other instance is answered once; an upload preview made on
one instance can be confirmed on the other, and a brief is stored once however many clicks
arrive where. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.container import App, open_app
from bot.slack_app import SlackRuntime, build_slack
from tests.bot.slack_app.conftest import ADMIN, drain, make_settings
from tests.bot.slack_app.fake_slack import FakeSlack
from tests.bot.slack_app.test_events import FIRST, mention
from tests.bot.slack_app.test_uploads import NEW_BRIEF, dm_share, file_meta, preview_token


@pytest.fixture
async def instances(db_url: str, slack: FakeSlack) -> AsyncIterator[list[tuple[App, SlackRuntime]]]:
    """Two separate Apps (engines, services) and bolt apps on the same database."""
    async with AsyncExitStack() as stack:
        out = []
        for _ in range(2):
            app = await stack.enter_async_context(open_app(db_url, make_settings(db_url)))
            client = AsyncWebClient(token="xoxb-test-token", base_url=slack.api_url)
            out.append((app, build_slack(app, client=client, download_hosts=("127.0.0.1",))))
        yield out
        await drain()


async def test_retry_on_another_instance_is_answered_once(
    instances: list[tuple[App, SlackRuntime]], slack: FakeSlack
) -> None:
    (_, a), (_, b) = instances
    for runtime, retry in ((a, None), (b, 1), (a, 2), (b, 3)):
        request = slack.event(mention(FIRST, "700.1"), event_id="EvShared", retry=retry)
        response = await runtime.bolt.async_dispatch(request)
        assert response.status == 200
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) >= 1)
    await drain()
    assert len(slack.called("chat.postMessage")) == 1


async def test_preview_made_on_one_instance_is_confirmed_on_the_other(
    instances: list[tuple[App, SlackRuntime]], slack: FakeSlack
) -> None:
    (app_a, a), (app_b, b) = instances
    before = await app_a.database.briefs.count(include_deleted=True)
    await a.bolt.async_dispatch(
        slack.event(dm_share(file_meta(slack, "new.md", NEW_BRIEF)), event_id="EvUp")
    )
    await drain()
    token = preview_token(slack)
    assert await b.services.previews.count() == 1  # the other instance sees it
    for runtime in (b, a, b):  # a double click, and one more on the first instance
        await runtime.bolt.async_dispatch(
            slack.action("upload_confirm", token, ADMIN, channel="D1")
        )
        await drain()
    answers = [json.dumps(r) for r in slack.responses]
    assert sum("Stored as brief #" in r for r in answers) == 1
    assert sum("expired" in r for r in answers) == 2
    assert await app_b.database.briefs.count(include_deleted=True) == before + 1
    assert await a.services.previews.count() == 0
