"""Fixtures: a fake Slack on loopback, a real App (SQLite + starter corpus), the bolt app."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.container import App, open_app
from bot.slack_app import SlackRuntime, build_slack
from bot.slack_app.app import web_app
from tests.bot.slack_app.fake_slack import SECRET, FakeSlack

ADMIN = "UADMIN"  # configured in SLACK_ADMIN_USER_IDS
GROUP_ADMIN = "UGROUP"  # member of the admin user group
OWNER = "UOWNER"  # workspace owner (users.info)
USER = "UPLEB"  # nobody special


@asynccontextmanager
async def serve_http(runtime: SlackRuntime) -> AsyncIterator[str]:
    """``runtime``'s HTTP app on a free loopback port; yields its base URL."""
    runner = web.AppRunner(web_app(runtime, 0))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


def make_settings(db_url: str) -> Settings:
    return Settings(
        database_url=db_url,
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SECRET,
        slack_admin_user_ids=[ADMIN],
        slack_admin_usergroup_id="SADMINS",
        slack_mode="http",
        max_upload_mb=1,
        timezone="UTC",
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database holding the starter corpus, copied for every test."""
    path = tmp_path_factory.mktemp("slack-template") / "template.db"
    url = f"sqlite+aiosqlite:///{path}"

    async def build() -> None:
        async with open_app(url, make_settings(url)):
            pass

    asyncio.run(build())
    return path


@pytest.fixture
async def core(template_db: Path, tmp_path: Path) -> AsyncIterator[App]:
    db = tmp_path / "x.db"
    shutil.copy(template_db, db)
    url = f"sqlite+aiosqlite:///{db}"
    async with open_app(url, make_settings(url)) as app:
        yield app
        await drain()


async def drain() -> None:
    """Wait for bolt's background listener tasks (work after ack) to finish."""
    for _ in range(500):
        pending = [
            t
            for t in asyncio.all_tasks()
            if t is not asyncio.current_task()
            and not t.done()
            and "run_ack_function" in getattr(t.get_coro(), "__qualname__", "")
        ]
        if not pending:
            return
        await asyncio.sleep(0.02)


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    fake.users = {
        ADMIN: {"id": ADMIN},
        GROUP_ADMIN: {"id": GROUP_ADMIN},
        OWNER: {"id": OWNER, "is_owner": True},
        USER: {"id": USER, "is_admin": False, "is_owner": False},
    }
    fake.group_members = [GROUP_ADMIN]
    yield fake
    await drain()
    await fake.stop()


@dataclass
class Harness:
    app: App
    slack: FakeSlack
    runtime: SlackRuntime

    async def send(self, request: AsyncBoltRequest) -> BoltResponse:
        return await self.runtime.bolt.async_dispatch(request)

    async def settle(self) -> None:
        await drain()


@pytest.fixture
async def harness(core: App, slack: FakeSlack) -> AsyncIterator[Harness]:
    client = AsyncWebClient(token="xoxb-test-token", base_url=slack.api_url)
    runtime = build_slack(core, client=client, download_hosts=("127.0.0.1",))
    yield Harness(core, slack, runtime)
    await drain()
