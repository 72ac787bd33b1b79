"""`/digest …`, the digest sink, and the sync / run entry points."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.container import App
from bot.discord_app.cli import app as discord_cli
from bot.discord_app.client import run_discord, sync_commands
from bot.discord_app.render import digest_embeds
from bot.discord_app.sink import DiscordDigestSink
from briefs.digest.windows import explicit_window
from tests.bot.discord_app.fake_discord import (
    ADMIN_USER_ID,
    CHANNEL_ID,
    GUILD_ID,
    FakeDiscord,
    dispatch,
)
from tests.bot.discord_app.limits import assert_message_within_limits

ADMIN = {"user_id": ADMIN_USER_ID}
NO_PINGS = {"parse": []}


async def test_digest_now_attaches_a_chart(fake: FakeDiscord, client: Any) -> None:
    await dispatch(client, fake.command("digest", {"window": "month"}, sub="now"))
    assert fake.requests[0].kind == "callback"
    assert fake.requests[0].json["type"] == 5
    followup = fake.of_kind("followup")[0]
    assert "balance.png" in followup.files
    assert followup.files["balance.png"].startswith(b"\x89PNG")
    embed = followup.json["embeds"][0]
    assert embed["image"]["url"] == "attachment://balance.png"
    assert "digest" in embed["title"].lower()
    assert followup.json["allowed_mentions"] == NO_PINGS
    assert_message_within_limits(followup.json)


async def test_a_full_digest_fits_one_message(client: Any) -> None:
    window = explicit_window(dt.date(2000, 1, 1), dt.date(2030, 1, 1))
    digest = await client.ctx.digests.build(window, save=False)
    assert digest.tracks  # the starter corpus has evidence on several tracks
    embeds = digest_embeds(digest, chart_filename="balance.png")
    assert_message_within_limits({"embeds": [e.to_dict() for e in embeds]})


async def test_subscribe_list_pause_remove(fake: FakeDiscord, client: Any) -> None:
    reloads: list[int] = []

    async def reload() -> None:
        reloads.append(1)

    client.ctx.on_subscriptions_changed = reload
    await dispatch(
        client,
        fake.command(
            "digest",
            {
                "cadence": "daily",
                "time": "07:30",
                "timezone": "Europe/Berlin",
                "tracks": "military, nuclear",
                "quiet": True,
            },
            sub="subscribe",
            **ADMIN,
        ),
    )
    assert "Subscribed: #" in fake.all_text()
    subs = await client.ctx.subscriptions.list()
    assert len(subs) == 1
    sub = subs[0]
    assert (sub.workspace, sub.channel, sub.at, sub.timezone) == (
        str(GUILD_ID),
        str(CHANNEL_ID),
        "07:30",
        "Europe/Berlin",
    )
    assert sub.tracks == ("military", "nuclear")
    assert sub.quiet
    fake.requests.clear()
    await dispatch(client, fake.command("digest", sub="list"))
    assert f"#{sub.id}" in fake.all_text()
    await dispatch(client, fake.command("digest", {"id": sub.id}, sub="pause", **ADMIN))
    assert (await client.ctx.subscriptions.get(sub.id)).paused
    await dispatch(client, fake.command("digest", {"id": sub.id}, sub="remove", **ADMIN))
    assert await client.ctx.subscriptions.get(sub.id) is None
    assert len(reloads) == 3


async def test_bad_subscription_input_is_a_clear_error(fake: FakeDiscord, client: Any) -> None:
    await dispatch(
        client,
        fake.command("digest", {"cadence": "daily", "time": "25:00"}, sub="subscribe", **ADMIN),
    )
    assert "is not a time of day" in fake.all_text()
    fake.requests.clear()
    await dispatch(
        client,
        fake.command(
            "digest", {"cadence": "daily", "timezone": "Mars/Olympus"}, sub="subscribe", **ADMIN
        ),
    )
    text = fake.all_text()
    assert "Mars/Olympus" in text
    assert "Something went wrong" not in text


async def test_pause_of_another_servers_subscription_is_not_found(
    fake: FakeDiscord, client: Any
) -> None:
    from briefs.digest.ports import NewSubscription

    other = await client.ctx.subscriptions.create(
        NewSubscription(platform="discord", workspace="123", channel="456", created_by="x")
    )
    await dispatch(client, fake.command("digest", {"id": other.id}, sub="pause", **ADMIN))
    assert f"There is no subscription #{other.id} in this server." in fake.all_text()
    assert not (await client.ctx.subscriptions.get(other.id)).paused


async def test_sink_posts_to_the_channel_without_pings(fake: FakeDiscord, client: Any) -> None:
    from briefs.digest.ports import NewSubscription

    sub = await client.ctx.subscriptions.create(
        NewSubscription(platform="discord", workspace=str(GUILD_ID), channel="4455", created_by="x")
    )
    digest = await client.ctx.digests.build("week")
    message_id = await DiscordDigestSink(client).post(sub, digest, b"\x89PNG fake")
    rec = fake.of_kind("channel_message")[0]
    assert rec.path == "/channels/4455/messages"
    assert rec.json["allowed_mentions"] == NO_PINGS
    assert "balance.png" in rec.files
    assert int(message_id) in fake.messages
    assert_message_within_limits(rec.json)


async def test_sink_reports_a_channel_it_cannot_post_in(fake: FakeDiscord, client: Any) -> None:
    from briefs.digest.ports import ChannelUnavailableError, NewSubscription

    fake.forbidden_channels.add(4466)
    sub = await client.ctx.subscriptions.create(
        NewSubscription(platform="discord", workspace=str(GUILD_ID), channel="4466", created_by="x")
    )
    digest = await client.ctx.digests.build("week")
    with pytest.raises(ChannelUnavailableError, match="403"):
        await DiscordDigestSink(client).post(sub, digest, None)


async def test_sync_is_explicit(fake: FakeDiscord, client: Any) -> None:
    assert not [r for r in fake.requests if "/commands" in r.path]  # nothing synced at login
    synced = await sync_commands(client)
    assert {c.name for c in synced} == {"ask", "brief", "digest", "indicators"}
    put = [r for r in fake.requests if r.method == "PUT"]
    assert put[-1].path.endswith(f"/applications/{client.application_id}/commands")
    await sync_commands(client, guild_id=GUILD_ID)
    put = [r for r in fake.requests if r.method == "PUT"]
    assert put[-1].path.endswith(f"/guilds/{GUILD_ID}/commands")


async def test_run_discord_needs_a_token(core: App) -> None:
    app = type(core)(
        **{**core.__dict__, "settings": core.settings.model_copy(update={"discord_token": None})}
    )
    with pytest.raises(RuntimeError, match="DISCORD_TOKEN"):
        await run_discord(app)


def test_cli_has_sync_with_guild_option() -> None:
    result = CliRunner().invoke(discord_cli, ["sync", "--help"])
    assert result.exit_code == 0
    assert "--guild" in result.output
