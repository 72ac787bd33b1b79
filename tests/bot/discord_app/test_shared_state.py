"""Two Discord client instances (shards / processes) on one database, SQLite and PostgreSQL:
an upload preview made on one is confirmed on the other, and stored once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import discord
import pytest

from bot.config import Settings
from bot.container import open_app
from bot.discord_app.client import build_client
from tests.bot.discord_app.briefs_data import NEW_BRIEF
from tests.bot.discord_app.fake_discord import ADMIN_USER_ID, FakeDiscord, custom_ids, dispatch

ADMIN = {"user_id": ADMIN_USER_ID}


@pytest.fixture
async def two_clients(
    db_url: str, settings: Settings, fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[list[Any]]:
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api)
    shared = settings.model_copy(update={"database_url": db_url})
    async with AsyncExitStack() as stack:
        clients = []
        for _ in range(2):
            app = await stack.enter_async_context(open_app(settings=shared))
            client = build_client(app)
            await client.login("fake-token")
            stack.push_async_callback(client.close)
            clients.append(client)
        fake.requests.clear()
        yield clients


async def test_preview_on_one_instance_confirmed_on_another(
    fake: FakeDiscord, two_clients: list[Any]
) -> None:
    a, b = two_clients
    briefs = a.ctx.app.database.briefs
    before = await briefs.count(include_deleted=True)
    att = fake.add_attachment("grain.md", NEW_BRIEF)
    await dispatch(a, fake.command("brief", {"file": att}, sub="upload", **ADMIN))
    preview = fake.last_message()
    confirm = next(i for i in custom_ids(preview) if i.endswith(":confirm"))
    assert await b.ctx.uploads.count() == 1
    fake.requests.clear()
    await dispatch(b, fake.click(preview, confirm, **ADMIN))
    assert "Stored as brief #" in fake.all_text()
    fake.requests.clear()
    await dispatch(a, fake.click(preview, confirm, **ADMIN))  # the first instance, later
    assert "expired" in fake.all_text()
    assert await b.ctx.app.database.briefs.count(include_deleted=True) == before + 1
    assert await a.ctx.uploads.count() == 0


async def test_cancel_on_another_instance(fake: FakeDiscord, two_clients: list[Any]) -> None:
    a, b = two_clients
    before = await a.ctx.app.database.briefs.count(include_deleted=True)
    att = fake.add_attachment("grain.md", NEW_BRIEF)
    await dispatch(b, fake.command("brief", {"file": att}, sub="upload", **ADMIN))
    preview = fake.last_message()
    cancel = next(i for i in custom_ids(preview) if i.endswith(":cancel"))
    confirm = next(i for i in custom_ids(preview) if i.endswith(":confirm"))
    await dispatch(a, fake.click(preview, cancel, **ADMIN))
    assert "cancelled" in fake.all_text()
    fake.requests.clear()
    await dispatch(b, fake.click(preview, confirm, **ADMIN))
    assert "expired" in fake.all_text()
    assert await a.ctx.app.database.briefs.count(include_deleted=True) == before
