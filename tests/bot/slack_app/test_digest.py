"""/digest now|subscribe|list|pause|resume|remove and the Slack digest sink."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from slack_sdk.errors import SlackApiError

from bot.slack_app.listeners.commands import parse_subscribe
from briefs.digest.ports import (
    ChannelUnavailableError,
    InvalidSubscriptionError,
    NewSubscription,
)
from briefs.digest.windows import explicit_window
from tests.bot.slack_app.conftest import ADMIN, USER, Harness
from tests.bot.slack_app.fake_slack import FakeSlack
from tests.bot.slack_app.limits import assert_inert, assert_within_limits


async def test_digest_now_posts_message_and_chart(harness: Harness, slack: FakeSlack) -> None:
    await harness.send(slack.slash("/digest", "now week", USER))
    await slack.wait_for(lambda: bool(slack.called("files.completeUploadExternal")))
    post = slack.called("chat.postMessage")[0].params
    assert post["channel"] == "C1"
    assert_within_limits(post["blocks"], post["text"])
    assert "digest" in post["text"].lower()
    assert slack.called("files.getUploadURLExternal")[0].params["filename"].endswith(".png")
    assert slack.uploads
    assert slack.uploads[0].startswith(b"\x89PNG")
    done = slack.called("files.completeUploadExternal")[0].params
    assert done["channel_id"] == "C1"
    assert done["thread_ts"] == post.get("ts", done["thread_ts"])
    await slack.wait_for(lambda: "Digest posted" in json.dumps(slack.responses))


async def test_digest_now_without_channel_access_answers_privately(
    harness: Harness, slack: FakeSlack
) -> None:
    slack.errors["chat.postMessage"] = "not_in_channel"
    await harness.send(slack.slash("/digest", "now month", USER))
    await slack.wait_for(lambda: len(slack.responses) == 1)
    reply = slack.responses[0]
    assert reply["response_type"] == "ephemeral"
    assert "Invite me" in json.dumps(reply)
    assert_within_limits(reply["blocks"], reply["text"])


async def test_subscription_lifecycle_by_admin(harness: Harness, slack: FakeSlack) -> None:
    reloads: list[int] = []

    async def reload() -> None:
        reloads.append(1)

    harness.runtime.services.on_subscriptions_changed = reload
    subs = harness.runtime.services.subscriptions
    assert subs is not None
    other = await subs.create(NewSubscription(platform="slack", workspace="T2", channel="C7"))
    cmds = [
        "subscribe weekly 07:30 fri Europe/Berlin tracks=military,nuclear quiet",
        "list",
        "pause 2",
        "resume 2",
        f"pause {other.id}",  # another workspace's subscription is invisible here
        "remove 2",
        "list",
    ]
    for i, cmd in enumerate(cmds, 1):
        await harness.send(slack.slash("/digest", cmd, ADMIN))
        await slack.wait_for(lambda i=i: len(slack.responses) == i)  # type: ignore[misc]
    texts = [r["text"] for r in slack.responses]
    assert "Subscribed this channel: #2 slack:T1/C1 weekly on Fri 07:30 Europe/Berlin" in texts[0]
    assert "tracks=military,nuclear quiet" in texts[0]
    assert "#2" in texts[1]
    assert "T2" not in texts[1]
    assert "Paused" in texts[2]
    assert "Resumed" in texts[3]
    assert f"no digest subscription #{other.id}" in texts[4]
    assert "Removed" in texts[5]
    assert "No digest subscriptions" in texts[6]
    assert len(reloads) == 4
    remaining = await subs.list()
    assert [(s.workspace, s.paused) for s in remaining] == [("T2", False)]


def test_parse_subscribe_variants() -> None:
    kw = {"workspace": "T1", "channel": "C1", "created_by": "a", "default_tz": "UTC"}
    sub = parse_subscribe(["monthly", "day=last", "09:15"], **kw)
    assert (sub.cadence, sub.day_of_month, sub.at, sub.weekday) == ("monthly", -1, "09:15", None)
    sub = parse_subscribe([], **kw)
    assert (sub.cadence, sub.weekday, sub.at, sub.timezone) == ("weekly", 0, "08:00", "UTC")
    with pytest.raises(InvalidSubscriptionError):
        parse_subscribe(["fortnightly"], **kw)
    with pytest.raises(InvalidSubscriptionError):
        parse_subscribe(["25:00"], **kw)


async def test_sink_posts_to_the_subscription_channel(harness: Harness, slack: FakeSlack) -> None:
    services = harness.runtime.services
    assert services.digests is not None
    assert services.subscriptions is not None
    sub = await services.subscriptions.create(
        NewSubscription(platform="slack", workspace="T1", channel="C5")
    )
    window = explicit_window(dt.date(2016, 1, 1), dt.date(2018, 1, 1))
    digest = await services.digests.build(window)
    message_id = await harness.runtime.sink.post(sub, digest, b"\x89PNG fake")
    post = slack.called("chat.postMessage")[0].params
    assert message_id.startswith("C5/1700000000.")
    assert_within_limits(post["blocks"], post["text"])
    assert_inert(post["blocks"], post["text"])
    assert slack.uploads == [b"\x89PNG fake"]


async def test_chart_failure_does_not_fail_the_post(harness: Harness, slack: FakeSlack) -> None:
    services = harness.runtime.services
    assert services.digests is not None
    digest = await services.digests.build("week")
    slack.errors["files.getUploadURLExternal"] = "not_allowed"
    message_id = await harness.runtime.sink.post_to_channel("C6", digest, b"png")
    assert message_id.startswith("C6/")


@pytest.mark.parametrize("code", ["channel_not_found", "not_in_channel", "is_archived"])
async def test_a_channel_that_is_gone_is_reported_as_unavailable(
    harness: Harness, slack: FakeSlack, code: str
) -> None:
    services = harness.runtime.services
    assert services.digests is not None
    digest = await services.digests.build("week")
    slack.errors["chat.postMessage"] = code
    with pytest.raises(ChannelUnavailableError, match=code):
        await harness.runtime.sink.post_to_channel("C7", digest, None)


async def test_other_post_failures_stay_retryable(harness: Harness, slack: FakeSlack) -> None:
    services = harness.runtime.services
    assert services.digests is not None
    digest = await services.digests.build("week")
    slack.errors["chat.postMessage"] = "internal_error"
    with pytest.raises(SlackApiError):
        await harness.runtime.sink.post_to_channel("C7", digest, None)


def test_manifest_declares_commands_events_and_scopes() -> None:
    with open("slack_manifest.yml", encoding="utf-8") as handle:
        manifest = yaml.safe_load(handle)
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/ask", "/brief", "/digest"}
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "file_shared"} <= events
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "chat:write",
        "commands",
        "files:read",
        "files:write",
        "users:read",
        "usergroups:read",
    } <= scopes
