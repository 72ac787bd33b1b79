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


# Every command makes an explicit permission decision: admin-only commands check in code
# (server owners can override `default_permissions`, so a hint alone is not enough).
ADMIN_ONLY = {
    "brief upload",
    "brief delete",
    "brief restore",
    "digest subscribe",
    "digest pause",
    "digest remove",
}
OPEN_TO_ALL = {
    "ask",
    "brief search",
    "brief show",
    "brief list",
    "digest now",
    "digest list",
    "indicators",
}


async def test_every_command_has_a_description_and_a_permission_decision(core: App) -> None:
    import inspect

    from discord import app_commands

    client = build_client(core)
    try:
        commands = [c for c in client.tree.walk_commands() if isinstance(c, app_commands.Command)]
        names = {c.qualified_name for c in commands}
        assert names == ADMIN_ONLY | OPEN_TO_ALL
        assert not ADMIN_ONLY & OPEN_TO_ALL
        for command in commands:
            assert command.description.strip(), command.qualified_name
            assert command.description != "…", command.qualified_name
            source = inspect.getsource(command.callback)
            checks_admin = "require_admin" in source or "_admin_deferred" in source
            assert checks_admin == (command.qualified_name in ADMIN_ONLY), command.qualified_name
    finally:
        await client.close()
