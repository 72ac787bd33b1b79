"""Client construction: minimal intents, sharding when configured, errors in buttons."""

from __future__ import annotations

from typing import Any

from bot.container import App
from bot.discord_app.client import BriefBotClient, ShardedBriefBotClient, build_client, intents
from tests.bot.discord_app.fake_discord import FakeDiscord, custom_ids, dispatch


def test_intents_are_minimal() -> None:
    value = intents()
    assert value.guilds
    assert not value.message_content
    assert not value.members
    assert not value.presences


async def test_sharded_client_when_shard_count_is_set(core: App) -> None:
    plain = build_client(core)
    assert type(plain) is BriefBotClient
    sharded_app = type(core)(
        **{**core.__dict__, "settings": core.settings.model_copy(update={"discord_shard_count": 4})}
    )
    sharded = build_client(sharded_app)
    assert isinstance(sharded, ShardedBriefBotClient)
    assert sharded.shard_count == 4
    assert {c.name for c in sharded.tree.get_commands()} == {"ask", "brief", "digest", "indicators"}
    await plain.close()
    # (an AutoShardedClient that never connected cannot be closed in discord.py 2.7; no session)


async def test_unexpected_error_in_a_button_gives_a_ref(
    fake: FakeDiscord, client: Any, core: App, monkeypatch: Any
) -> None:
    await dispatch(
        client, fake.command("ask", {"question": "Why do Russia and Iran cooperate in Syria?"})
    )
    answer = fake.last_message()
    up = next(i for i in custom_ids(answer) if i.endswith(":up"))

    async def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(core.ask, "feedback", boom)
    fake.requests.clear()
    await dispatch(client, fake.click(answer, up))
    text = fake.all_text()
    assert "Something went wrong (ref " in text
    assert "kaput" not in text
