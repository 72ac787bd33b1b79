"""`/brief …`: search/show/list for everyone, uploads with previews, delete/restore."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.container import App
from tests.bot.discord_app.briefs_data import BROKEN_PDF, NEW_BRIEF, PINGING_BRIEF
from tests.bot.discord_app.fake_discord import (
    ADMIN_ROLE_ID,
    ADMIN_USER_ID,
    FakeDiscord,
    custom_ids,
    dispatch,
)
from tests.bot.discord_app.limits import assert_message_within_limits

ADMIN = {"user_id": ADMIN_USER_ID}
NO_PINGS = {"parse": []}


async def _count(core: App) -> int:
    return await core.database.briefs.count(include_deleted=True)


async def _upload(fake: FakeDiscord, client: Any, name: str, data: bytes, **kw: Any) -> None:
    att = fake.add_attachment(name, data, size=kw.pop("size", None))
    await dispatch(client, fake.command("brief", {"file": att, **kw}, sub="upload", **ADMIN))


async def test_search_show_list(fake: FakeDiscord, client: Any) -> None:
    await dispatch(client, fake.command("brief", {"query": "Bushehr"}, sub="search"))
    await dispatch(client, fake.command("brief", {"id": 1}, sub="show"))
    await dispatch(client, fake.command("brief", {"recent": 5}, sub="list"))
    followups = fake.of_kind("followup")
    assert len(followups) == 3
    assert "#1 " in followups[1].json["embeds"][0]["title"]
    assert "#1" in followups[2].json["embeds"][0]["description"]
    for rec in fake.sends():
        assert rec.json["allowed_mentions"] == NO_PINGS
        assert_message_within_limits(rec.json)


async def test_show_unknown_brief_is_a_clear_error(fake: FakeDiscord, client: Any) -> None:
    await dispatch(client, fake.command("brief", {"id": 999}, sub="show"))
    assert "There is no brief #999." in fake.all_text()


async def test_upload_preview_then_confirm_stores(
    fake: FakeDiscord, client: Any, core: App
) -> None:
    before = await _count(core)
    await _upload(fake, client, "grain.md", NEW_BRIEF, date="2024-05-03", source="Other Wire")
    assert fake.requests[0].kind == "callback"  # deferred before the download
    assert fake.requests[1].kind == "download"
    preview = fake.last_message()
    text = fake.all_text()
    assert "Caspian grain corridor talks" in text
    assert "2024-05-03" in text
    assert "front matter" in text
    assert "New brief" in text
    assert "Balance" in text
    assert "characters" in text
    assert await _count(core) == before  # nothing stored yet
    confirm = next(i for i in custom_ids(preview) if i.endswith(":confirm"))
    fake.requests.clear()
    await dispatch(client, fake.click(preview, confirm, **ADMIN))
    assert await _count(core) == before + 1
    assert "Stored as brief #" in fake.all_text()
    assert fake.of_kind("edit")  # the preview was replaced
    # a second click finds nothing pending
    fake.requests.clear()
    await dispatch(client, fake.click(preview, confirm, **ADMIN))
    assert "expired" in fake.all_text()
    assert await _count(core) == before + 1


async def test_cancel_stores_nothing(fake: FakeDiscord, client: Any, core: App) -> None:
    before = await _count(core)
    await _upload(fake, client, "grain.md", NEW_BRIEF)
    preview = fake.last_message()
    cancel = next(i for i in custom_ids(preview) if i.endswith(":cancel"))
    await dispatch(client, fake.click(preview, cancel, **ADMIN))
    assert "cancelled" in fake.all_text()
    assert await _count(core) == before
    assert await client.ctx.uploads.count() == 0


async def test_preview_expires(fake: FakeDiscord, client: Any, core: App) -> None:
    now = [dt.datetime.now(dt.UTC)]
    client.ctx.uploads.clock = lambda: now[0]
    await _upload(fake, client, "grain.md", NEW_BRIEF)
    preview = fake.last_message()
    confirm = next(i for i in custom_ids(preview) if i.endswith(":confirm"))
    now[0] += dt.timedelta(seconds=15 * 60 + 1)
    before = await _count(core)
    await dispatch(client, fake.click(preview, confirm, **ADMIN))
    assert "expired" in fake.all_text()
    assert await _count(core) == before


async def test_too_large_is_refused_without_download(fake: FakeDiscord, client: Any) -> None:
    await _upload(fake, client, "huge.pdf", b"%PDF-1.4 tiny", size=11 * 1024 * 1024)
    assert not fake.of_kind("download")
    text = fake.all_text()
    assert "huge.pdf" in text
    assert "MiB" in text


async def test_guild_limit_applies_before_ours(
    fake: FakeDiscord, client: Any, core: App, monkeypatch: Any
) -> None:
    core.ingest.max_bytes = 50 * 1024 * 1024  # ours is larger than the guild's 10 MiB
    await _upload(fake, client, "big.md", b"x", size=20 * 1024 * 1024)
    assert not fake.of_kind("download")
    assert "limit here is 10.0 MiB" in fake.all_text()


async def test_wrong_type_is_refused_before_download(fake: FakeDiscord, client: Any) -> None:
    await _upload(fake, client, "payload.exe", b"MZ\x90\x00")
    assert not fake.of_kind("download")
    assert "file type I can't read" in fake.all_text()


async def test_broken_pdf_is_a_clear_error(fake: FakeDiscord, client: Any, core: App) -> None:
    before = await _count(core)
    await _upload(fake, client, "broken.pdf", BROKEN_PDF)
    text = fake.all_text()
    assert "broken.pdf" in text
    assert "Something went wrong" not in text
    assert await _count(core) == before


async def test_duplicate_upload_names_the_brief(fake: FakeDiscord, client: Any, core: App) -> None:
    from briefs.corpus import starter_corpus_files

    name, data = next(iter(starter_corpus_files()))
    before = await _count(core)
    await _upload(fake, client, name, data)
    assert "Duplicate of brief #" in fake.all_text()
    ids = custom_ids(fake.last_message())
    assert not any(i.endswith(":confirm") for i in ids)  # only Cancel is offered
    assert await _count(core) == before


async def test_brief_with_mentions_never_pings(fake: FakeDiscord, client: Any, core: App) -> None:
    await _upload(fake, client, "ping.md", PINGING_BRIEF)
    preview = fake.last_message()
    confirm = next(i for i in custom_ids(preview) if i.endswith(":confirm"))
    await dispatch(client, fake.click(preview, confirm, **ADMIN))
    stored = max(b.id for b in await core.catalog.list(limit=500))
    await dispatch(client, fake.command("brief", {"id": stored}, sub="show"))
    await dispatch(client, fake.command("ask", {"question": "Kazan summit agenda", "public": True}))
    sends = fake.sends()
    assert sends
    for rec in sends:
        body = rec.json.get("data", rec.json) if rec.kind == "callback" else rec.json
        assert body["allowed_mentions"] == NO_PINGS
    text = fake.all_text()
    assert "Kazan" in text
    for raw in ("@everyone", "@here", "<@123456789012345678>", "<@&987654321098765432>"):
        assert raw not in text


async def test_delete_confirm_and_restore(fake: FakeDiscord, client: Any, core: App) -> None:
    await dispatch(client, fake.command("brief", {"id": 2}, sub="delete", roles=(ADMIN_ROLE_ID,)))
    ask = fake.last_message()
    assert "Delete brief #2" in ask["content"]
    assert (await core.catalog.get(2)).deleted is False
    confirm = next(i for i in custom_ids(ask) if i.endswith(":confirm"))
    await dispatch(client, fake.click(ask, confirm, roles=(ADMIN_ROLE_ID,)))
    assert (await core.catalog.get(2, include_deleted=True)).deleted is True
    await dispatch(client, fake.command("brief", {"id": 2}, sub="restore", **ADMIN))
    assert (await core.catalog.get(2)).deleted is False
    assert "Restored brief #2" in fake.all_text()
