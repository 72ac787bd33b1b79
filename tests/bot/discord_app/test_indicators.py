"""`/indicators [track] [window]`: deferred first, chart attached, table embed within limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.discord_app.indicators_commands import indicators_embed, indicators_table
from briefs.digest.windows import explicit_window
from tests.bot.discord_app.fake_discord import FakeDiscord, dispatch
from tests.bot.discord_app.limits import assert_message_within_limits

NO_PINGS = {"parse": []}
EPHEMERAL = 1 << 6


async def test_indicators_defers_then_sends_chart_and_table(fake: FakeDiscord, client: Any) -> None:
    await dispatch(client, fake.command("indicators", {"window": "month"}))
    first = fake.requests[0]
    assert first.kind == "callback"
    assert first.json["type"] == 5  # deferred before any database work
    assert first.json["data"]["flags"] & EPHEMERAL
    followup = fake.of_kind("followup")[0]
    png = followup.files["indicators.png"]
    assert png.startswith(b"\x89PNG")
    embed = followup.json["embeds"][0]
    assert embed["image"]["url"] == "attachment://indicators.png"
    assert "all tracks" in embed["title"]
    assert "How to read it" in [f["name"] for f in embed["fields"]]
    assert followup.json["allowed_mentions"] == NO_PINGS
    assert_message_within_limits(followup.json)


async def test_indicators_for_one_track_in_public(fake: FakeDiscord, client: Any) -> None:
    await dispatch(
        client,
        fake.command("indicators", {"track": "nuclear", "window": "week", "public": True}),
    )
    assert fake.requests[0].json["type"] == 5
    assert not ((fake.requests[0].json.get("data") or {}).get("flags") or 0) & EPHEMERAL
    followup = fake.of_kind("followup")[0]
    assert "Nuclear" in followup.json["embeds"][0]["title"]
    assert "indicators.png" in followup.files
    assert_message_within_limits(followup.json)


async def test_table_over_all_the_evidence_fits(client: Any) -> None:
    """Over the whole starter corpus (every track has evidence) the embed stays within limits."""
    window = explicit_window(dt.date(2000, 1, 1), dt.date(2030, 1, 1))
    digests = client.ctx.digests
    digest = await digests.build(window, save=False)
    history = await digests.history("month", tz="UTC")
    assert digest.tracks
    table = indicators_table(digest)
    assert table.startswith("```")
    assert table.endswith("```")
    assert "Overall" in table
    for row in digest.tracks[:5]:
        assert row.title[:10] in table
    embed = indicators_embed(digest, history)
    assert_message_within_limits({"embeds": [embed.to_dict()]})


async def test_bad_track_choice_never_reaches_the_service(fake: FakeDiscord, client: Any) -> None:
    await dispatch(client, fake.command("indicators", {"track": "astrology"}))
    assert "Something went wrong" not in fake.all_text()
