"""A Slack file share named `../../etc/passwd.txt` is previewed and stored as a label only.

Reuses the Slack adapter's loopback fake and fixtures (tests/bot/slack_app).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.slack_app.conftest import ADMIN, Harness
from tests.bot.slack_app.fake_slack import FakeSlack
from tests.bot.slack_app.test_uploads import NEW_BRIEF, dm_share, file_meta, preview_token, share
from tests.reliability._support import record_writes

HOSTILE = "../../etc/passwd.txt"


def _exists(path: str) -> bool:
    return Path(path).exists()


async def test_traversal_filename_does_not_escape(
    harness: Harness, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    written = record_writes(monkeypatch)
    meta = file_meta(slack, "passwd.txt", NEW_BRIEF)
    meta["name"] = meta["title"] = HOSTILE
    await share(harness, dm_share(meta), "ETRAV")
    shown = json.dumps(slack.posts()[-1], ensure_ascii=False)
    assert "Upload preview" in shown
    await harness.send(slack.action("upload_confirm", preview_token(slack), ADMIN, channel="D1"))
    await slack.wait_for(lambda: "Stored as brief #6" in json.dumps(slack.responses))
    stored = max(await harness.app.catalog.list(limit=50), key=lambda b: b.id)
    assert stored.original_filename == HOSTILE
    assert len(slack.downloads) == 1
    assert not _exists("/etc/passwd.txt")
    assert not [w for w in written if "passwd" in w]
