"""A Discord attachment named `../../etc/passwd.txt` is previewed and stored as a label only.

Reuses the Discord adapter's loopback fake and fixtures (tests/bot/discord_app).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.container import App
from tests.bot.discord_app.briefs_data import NEW_BRIEF
from tests.bot.discord_app.fake_discord import ADMIN_USER_ID, FakeDiscord, custom_ids, dispatch
from tests.reliability._support import record_writes

HOSTILE = "../../etc/passwd.txt"


def _exists(path: str) -> bool:
    return Path(path).exists()


async def test_traversal_filename_does_not_escape(
    fake: FakeDiscord, client: Any, core: App, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    written = record_writes(monkeypatch)
    before = await core.database.briefs.count(include_deleted=True)
    att = fake.add_attachment("passwd.txt", NEW_BRIEF)
    att["filename"] = HOSTILE
    await dispatch(
        client, fake.command("brief", {"file": att}, sub="upload", user_id=ADMIN_USER_ID)
    )
    preview = fake.last_message()
    confirm = next(i for i in custom_ids(preview) if i.endswith(":confirm"))
    await dispatch(client, fake.click(preview, confirm, user_id=ADMIN_USER_ID))
    assert await core.database.briefs.count(include_deleted=True) == before + 1
    stored = max(await core.catalog.list(limit=50), key=lambda b: b.id)
    assert stored.original_filename == HOSTILE
    assert not _exists("/etc/passwd.txt")
    assert not [w for w in written if "passwd" in w]
