"""Every admin command, admin button and upload path, tried by a non-admin: all refused."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app.permissions import SlackPermissions
from briefs.digest.ports import NewSubscription
from tests.bot.slack_app.conftest import ADMIN, GROUP_ADMIN, OWNER, USER, Harness
from tests.bot.slack_app.fake_slack import BOT_USER, TEAM, FakeSlack
from tests.bot.slack_app.test_uploads import NEW_BRIEF, dm_share, file_meta, preview_token


async def _state(harness: Harness) -> tuple[Any, ...]:
    """Everything an admin action could change."""
    db = harness.app.database
    subs = await harness.runtime.services.subscriptions.list()  # type: ignore[union-attr]
    return (
        await db.briefs.count(include_deleted=True),
        await db.briefs.count(include_deleted=False),
        tuple((s.id, s.paused) for s in subs),
        len(harness.slack.downloads),
        await harness.runtime.services.previews.count(),
    )


async def test_permission_matrix_non_admin_never_succeeds(
    harness: Harness, slack: FakeSlack
) -> None:
    services = harness.runtime.services
    assert services.subscriptions is not None
    sub = await services.subscriptions.create(
        NewSubscription(platform="slack", workspace=TEAM, channel="C1", created_by="x")
    )
    await harness.app.catalog.delete(2, _admin())  # something to restore
    # an admin's pending preview, for the buttons
    await harness.send(slack.event(dm_share(file_meta(slack, "new.md", NEW_BRIEF)), event_id="A0"))
    await harness.settle()
    token = preview_token(slack)
    meta = file_meta(slack, "other.md", NEW_BRIEF.replace(b"gas", b"oil"))
    slack.files[meta["id"]] = meta

    attempts: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("/brief delete", lambda: harness.send(slack.slash("/brief", "delete 1", USER))),
        ("/brief restore", lambda: harness.send(slack.slash("/brief", "restore 2", USER))),
        (
            "/digest subscribe",
            lambda: harness.send(slack.slash("/digest", "subscribe daily", USER)),
        ),
        ("/digest pause", lambda: harness.send(slack.slash("/digest", f"pause {sub.id}", USER))),
        ("/digest resume", lambda: harness.send(slack.slash("/digest", f"resume {sub.id}", USER))),
        ("/digest remove", lambda: harness.send(slack.slash("/digest", f"remove {sub.id}", USER))),
        ("button Confirm", lambda: harness.send(slack.action("upload_confirm", token, USER))),
        ("button Cancel", lambda: harness.send(slack.action("upload_cancel", token, USER))),
        (
            "DM file share",
            lambda: harness.send(slack.event(dm_share(meta, user=USER), event_id="A1")),
        ),
        (
            "file_shared",
            lambda: harness.send(
                slack.event(
                    {"type": "file_shared", "file_id": "FX", "user_id": USER, "channel_id": "D2"},
                    event_id="A2",
                )
            ),
        ),
        (
            "mention with file",
            lambda: harness.send(
                slack.event(
                    {
                        "type": "app_mention",
                        "user": USER,
                        "text": f"<@{BOT_USER}> add",
                        "ts": "5.5",
                        "channel": "C1",
                        "files": [dict(meta, id="FY")],
                    },
                    event_id="A3",
                )
            ),
        ),
    ]
    successes = 0
    failures: list[str] = []
    for name, attempt in attempts:
        before_state = await _state(harness)
        before_said = len(slack.posts())
        response = await attempt()
        assert response.status == 200, name
        await slack.wait_for(lambda n=before_said: len(slack.posts()) > n)  # type: ignore[misc]
        await harness.settle()
        said = json.dumps(slack.posts()[before_said:], ensure_ascii=False)
        changed = await _state(harness) != before_state
        refused = "Only admins can" in said
        if changed or not refused:
            successes += 1
            failures.append(f"{name}: changed={changed} said={said}")
    print(f"permission matrix: {len(attempts)} attempts, {successes} successes")
    assert failures == []
    assert (len(attempts), successes) == (11, 0)
    # the admin's preview survived every non-admin click
    await harness.send(slack.action("upload_confirm", token, ADMIN))
    await slack.wait_for(lambda: "Stored as brief" in json.dumps(slack.responses))


def _admin() -> Any:
    from briefs.services.actor import Actor

    return Actor("slack:T1/UADMIN", is_admin=True, platform="slack")


@pytest.mark.parametrize("user", [ADMIN, GROUP_ADMIN, OWNER])
async def test_each_kind_of_admin_may_delete_and_restore(
    harness: Harness, slack: FakeSlack, user: str
) -> None:
    await harness.send(slack.slash("/brief", "delete 3", user))
    await slack.wait_for(lambda: "Deleted brief #3" in json.dumps(slack.responses))
    assert await harness.app.database.briefs.count(include_deleted=False) == 4
    await harness.send(slack.slash("/brief", "restore 3", user))
    await slack.wait_for(lambda: "Restored brief #3" in json.dumps(slack.responses))
    assert await harness.app.database.briefs.count(include_deleted=False) == 5


async def test_api_failure_means_not_admin(slack: FakeSlack) -> None:
    slack.errors["users.info"] = "missing_scope"
    slack.errors["usergroups.users.list"] = "missing_scope"
    client = AsyncWebClient(token="xoxb", base_url=slack.api_url)
    perms = SlackPermissions(admin_user_ids=["UCONF"], usergroup_id="S1")
    assert not await perms.is_admin(client, TEAM, OWNER)
    assert await perms.is_admin(client, TEAM, "UCONF")  # configured ids need no API call
    assert not await perms.is_admin(client, TEAM, "")


async def test_generic_admin_ids_and_cache(slack: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb", base_url=slack.api_url)
    now = [0.0]
    perms = SlackPermissions(
        generic_admin_ids=[f"slack:{TEAM}/UQUAL"], ttl_s=60, clock=lambda: now[0]
    )
    assert await perms.is_admin(client, TEAM, "UQUAL")
    assert not await perms.is_admin(client, "T2", "UQUAL")  # another workspace's user
    slack.users["UPROMO"] = {"id": "UPROMO"}
    assert not await perms.is_admin(client, TEAM, "UPROMO")
    slack.users["UPROMO"] = {"id": "UPROMO", "is_admin": True}
    assert not await perms.is_admin(client, TEAM, "UPROMO")  # cached
    now[0] += 61
    assert await perms.is_admin(client, TEAM, "UPROMO")
    assert (await perms.actor(client, TEAM, "UPROMO")).id == f"slack:{TEAM}/UPROMO"
