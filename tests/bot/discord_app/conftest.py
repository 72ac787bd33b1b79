"""Fixtures: the loopback Discord fake, a real App on a SQLite file, a logged-in client."""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# discord.py 2.7 imports the stdlib `audioop` (voice), deprecated on Python 3.11+; with
# `filterwarnings = error` that import would fail collection. Import it once, quietly.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import discord

from bot.config import Settings
from bot.container import App, open_app
from bot.discord_app.client import BriefBotClient, ShardedBriefBotClient, build_client
from tests.bot.discord_app.fake_discord import ADMIN_ROLE_ID, ADMIN_USER_ID, FakeDiscord


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'discord.db'}",
        admin_user_ids=[str(ADMIN_USER_ID)],
        discord_admin_role_ids=[str(ADMIN_ROLE_ID)],
        discord_token="fake-token",
        load_starter_corpus=True,
    )


@pytest.fixture
async def core(settings: Settings) -> AsyncIterator[App]:
    async with open_app(settings=settings) as app:
        yield app


@pytest.fixture
async def client(
    fake: FakeDiscord, core: App, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[BriefBotClient | ShardedBriefBotClient]:
    # discord.py 2.7: REST and webhook requests are both built from Route.BASE.
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api)
    bot = build_client(core)
    await bot.login("fake-token")
    fake.requests.clear()  # login traffic is not what the tests are about
    try:
        yield bot
    finally:
        await bot.close()
