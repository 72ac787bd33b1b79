"""Admin uploads by file share: checks before download, preview, Confirm / Cancel."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from briefs.corpus import starter_corpus_files
from tests.bot.slack_app.conftest import ADMIN, USER, Harness
from tests.bot.slack_app.fake_slack import BOT_USER, FakeSlack

NEW_BRIEF = b"""---
title: "Caspian <!channel> talks & a new gas deal"
date: 2023-03-02
outlet: "Test Wire"
---

# Caspian talks and a new gas deal

Russia and Iran signed a memorandum on gas swaps through the Caspian region on Thursday.
Officials in Moscow and Tehran said the energy cooperation would expand trade and help both
countries cope with Western sanctions. Iranian negotiators welcomed Russian investment in the
North-South transport corridor, while some analysts warned of lingering mistrust over prices.
"""


def file_meta(
    slack: FakeSlack, name: str, data: bytes, *, size: int | None = None
) -> dict[str, Any]:
    slack.file_bytes[name] = data
    return {
        "id": "F" + str(abs(hash(name)) % 10**8),
        "name": name,
        "title": name,
        "mimetype": "text/markdown",
        "size": len(data) if size is None else size,
        "url_private_download": f"{slack.base}/files/{name}",
        "url_private": f"{slack.base}/files/{name}",
    }


def dm_share(file: dict[str, Any], user: str = ADMIN, ts: str = "1.1") -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "file_share",
        "channel_type": "im",
        "channel": "D1",
        "user": user,
        "text": "",
        "ts": ts,
        "files": [file],
    }


async def share(harness: Harness, event: dict[str, Any], event_id: str) -> None:
    response = await harness.send(harness.slack.event(event, event_id=event_id))
    assert response.status == 200
    await harness.settle()


def last_post(slack: FakeSlack) -> dict[str, Any]:
    return slack.posts()[-1]


def preview_token(slack: FakeSlack) -> str:
    for post in reversed(slack.posts()):
        for block in post.get("blocks") or []:
            if block["type"] == "actions":
                return str(block["elements"][0]["value"])
    raise AssertionError("no preview with buttons")


async def test_non_admin_share_is_refused_and_not_downloaded(
    harness: Harness, slack: FakeSlack
) -> None:
    await share(harness, dm_share(file_meta(slack, "a.md", NEW_BRIEF), user=USER), "E1")
    assert "Only admins can add briefs" in last_post(slack)["text"]
    assert slack.downloads == []
    assert not slack.called("files.info")


async def test_oversized_file_refused_before_download(harness: Harness, slack: FakeSlack) -> None:
    meta = file_meta(slack, "big.md", NEW_BRIEF, size=50 * 1024 * 1024)
    await share(harness, dm_share(meta), "E2")
    assert "the limit is 1 MiB" in last_post(slack)["text"]
    assert slack.downloads == []


async def test_lying_size_is_caught_while_downloading(harness: Harness, slack: FakeSlack) -> None:
    meta = file_meta(slack, "liar.md", b"x" * (2 * 1024 * 1024), size=100)
    await share(harness, dm_share(meta), "E2b")
    assert "larger than" in last_post(slack)["text"]
    assert await harness.app.database.briefs.count(include_deleted=True) == 5


async def test_wrong_type_refused_before_download(harness: Harness, slack: FakeSlack) -> None:
    await share(harness, dm_share(file_meta(slack, "virus.exe", b"MZ...")), "E3")
    text = last_post(slack)["text"]
    assert ".exe" in text
    assert slack.downloads == []


async def test_download_uses_the_bot_token(harness: Harness, slack: FakeSlack) -> None:
    await share(harness, dm_share(file_meta(slack, "new.md", NEW_BRIEF)), "E4")
    assert len(slack.downloads) == 1
    assert slack.downloads[0].headers["Authorization"] == "Bearer xoxb-test-token"


async def test_duplicate_upload_names_the_existing_brief(
    harness: Harness, slack: FakeSlack
) -> None:
    name, data = next(iter(starter_corpus_files()))
    await share(harness, dm_share(file_meta(slack, name, data)), "E5")
    post = last_post(slack)
    assert "Duplicate of brief #" in post["text"]
    assert not any(b["type"] == "actions" for b in post["blocks"])
    assert await harness.app.database.briefs.count(include_deleted=True) == 5


async def test_preview_then_confirm_stores(harness: Harness, slack: FakeSlack) -> None:
    await share(harness, dm_share(file_meta(slack, "new.md", NEW_BRIEF)), "E6")
    preview = last_post(slack)
    shown = json.dumps(preview["blocks"], ensure_ascii=False)
    assert "Upload preview" in shown
    assert "&lt;!channel&gt;" in shown
    assert "<!channel>" not in shown
    assert "2023-03-02" in shown
    assert "words" in shown
    assert "*Balance:*" in shown
    assert "*New brief*" in shown
    assert await harness.app.database.briefs.count(include_deleted=True) == 5
    token = preview_token(slack)
    await harness.send(slack.action("upload_confirm", token, ADMIN, channel="D1"))
    await slack.wait_for(lambda: "Stored as brief #6" in json.dumps(slack.responses))
    assert slack.responses[-1]["replace_original"] is True
    assert await harness.app.database.briefs.count(include_deleted=True) == 6
    # a second click on the same preview stores nothing more
    await harness.send(slack.action("upload_confirm", token, ADMIN, channel="D1"))
    await slack.wait_for(lambda: "expired" in json.dumps(slack.responses[-1]))
    assert await harness.app.database.briefs.count(include_deleted=True) == 6


async def test_cancel_stores_nothing(harness: Harness, slack: FakeSlack) -> None:
    await share(harness, dm_share(file_meta(slack, "new.md", NEW_BRIEF)), "E7")
    token = preview_token(slack)
    await harness.send(slack.action("upload_cancel", token, ADMIN, channel="D1"))
    await slack.wait_for(lambda: "cancelled" in json.dumps(slack.responses))
    await harness.send(slack.action("upload_confirm", token, ADMIN, channel="D1"))
    await slack.wait_for(lambda: "expired" in json.dumps(slack.responses))
    assert await harness.app.database.briefs.count(include_deleted=True) == 5


async def test_expired_preview_stores_nothing(harness: Harness, slack: FakeSlack) -> None:
    now = [dt.datetime.now(dt.UTC)]
    previews = harness.runtime.services.previews
    previews.clock = lambda: now[0]
    await share(harness, dm_share(file_meta(slack, "new.md", NEW_BRIEF)), "E8")
    now[0] += dt.timedelta(seconds=15 * 60 + 1)
    await harness.send(slack.action("upload_confirm", preview_token(slack), ADMIN, channel="D1"))
    await slack.wait_for(lambda: "expired" in json.dumps(slack.responses))
    assert await harness.app.database.briefs.count(include_deleted=True) == 5


async def test_file_shared_event_reads_metadata_then_downloads_once(
    harness: Harness, slack: FakeSlack
) -> None:
    meta = file_meta(slack, "new.md", NEW_BRIEF)
    slack.files[meta["id"]] = meta
    event = {"type": "file_shared", "file_id": meta["id"], "user_id": ADMIN, "channel_id": "D1"}
    await share(harness, event, "E9")
    # the same share also arrives as a message event: handled once
    await share(harness, dm_share({"id": meta["id"]}), "E10")
    assert slack.called("files.info")
    assert len(slack.downloads) == 1
    assert sum("Upload preview" in json.dumps(p) for p in slack.posts()) == 1


async def test_mention_with_file_in_channel_previews_privately(
    harness: Harness, slack: FakeSlack
) -> None:
    event = {
        "type": "app_mention",
        "user": ADMIN,
        "text": f"<@{BOT_USER}> add this",
        "ts": "9.1",
        "channel": "C1",
        "files": [file_meta(slack, "new.md", NEW_BRIEF)],
    }
    await share(harness, event, "E11")
    post = slack.called("chat.postEphemeral")[-1].params
    assert post["user"] == ADMIN
    assert "Upload preview" in json.dumps(post["blocks"])


async def test_near_duplicate_offers_store_anyway(harness: Harness, slack: FakeSlack) -> None:
    _name, data = next(iter(starter_corpus_files()))
    text = data.decode().replace('title: "', 'title: "Retitled: ', 1) + "\nOne more closing line.\n"
    await share(harness, dm_share(file_meta(slack, "retitled.md", text.encode())), "E12")
    shown = json.dumps(last_post(slack)["blocks"], ensure_ascii=False)
    assert "Near-duplicate" in shown
    assert "Store anyway" in shown
    await harness.send(slack.action("upload_confirm", preview_token(slack), ADMIN))
    await slack.wait_for(lambda: "Stored as brief" in json.dumps(slack.responses))
    assert await harness.app.database.briefs.count(include_deleted=True) == 6
