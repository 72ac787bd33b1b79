"""The permission matrix: every admin command and admin button, tried by non-admins.

The non-admin members here reach the commands as they would in a guild whose admins
overrode `default_permissions` — Discord delivers the interaction, so only our checks stand
between them and the action. Every attempt must be refused with a message, and change nothing.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bot.container import App
from briefs.digest.ports import NewSubscription
from briefs.services import Actor
from tests.bot.discord_app.briefs_data import NEW_BRIEF
from tests.bot.discord_app.fake_discord import (
    ADMIN_ROLE_ID,
    ADMIN_USER_ID,
    CHANNEL_ID,
    GUILD_ID,
    MANAGE_GUILD,
    FakeDiscord,
    custom_ids,
    dispatch,
)

ROOT = Actor("cli:root", is_admin=True)
SEND_MESSAGES = 1 << 11
ADMINISTRATOR = 1 << 3

# Who is NOT an admin: a plain member, a member with other roles and everyday permissions,
# and a DM user (no guild permissions apply; only ADMIN_USER_IDS would count).
NON_ADMINS: dict[str, dict[str, Any]] = {
    "plain member": {"user_id": 2001},
    "member with other roles": {
        "user_id": 2002,
        "roles": (555, 556),
        "permissions": SEND_MESSAGES | (1 << 10),
    },
    "dm user": {"user_id": 2003, "guild": False},
}

REFUSALS = ("Only admins can", "Only the uploader or an admin")


class Matrix:
    def __init__(self) -> None:
        self.attempts = 0
        self.successes: list[str] = []

    def record(self, label: str, refused: bool, unchanged: bool) -> None:
        self.attempts += 1
        if not (refused and unchanged):
            self.successes.append(label)


async def _subscription(client: Any) -> int:
    sub = await client.ctx.subscriptions.create(
        NewSubscription(
            platform="discord",
            workspace=str(GUILD_ID),
            channel=str(CHANNEL_ID),
            cadence="weekly",
            created_by="test",
        )
    )
    return int(sub.id)


async def _preview(fake: FakeDiscord, client: Any) -> dict[str, Any]:
    att = fake.add_attachment("grain.md", NEW_BRIEF)
    await dispatch(
        client, fake.command("brief", {"file": att}, sub="upload", user_id=ADMIN_USER_ID)
    )
    return fake.last_message()


async def _delete_prompt(fake: FakeDiscord, client: Any, brief_id: int) -> dict[str, Any]:
    await dispatch(
        client, fake.command("brief", {"id": brief_id}, sub="delete", user_id=ADMIN_USER_ID)
    )
    return fake.last_message()


def _forge(message: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """The same message with one button's custom id swapped (e.g. a Store-anyway button)."""
    forged = copy.deepcopy(message)
    for row in forged["components"]:
        for c in row["components"]:
            if c.get("custom_id") == old:
                c["custom_id"] = new
    return forged


async def test_no_non_admin_ever_succeeds(fake: FakeDiscord, client: Any, core: App) -> None:
    matrix = Matrix()
    sub_id = await _subscription(client)
    await core.catalog.delete(3, ROOT)  # something to (not) restore

    async def count() -> int:
        return await core.database.briefs.count(include_deleted=True)

    async def state() -> tuple[Any, ...]:
        subs = await client.ctx.subscriptions.list()
        return (
            await count(),
            tuple(b.deleted for b in await core.catalog.list(limit=500, include_deleted=True)),
            tuple((s.id, s.paused) for s in subs),
            await client.ctx.uploads.count(),
        )

    async def attempt(label: str, payload: dict[str, Any]) -> None:
        before = await state()
        fake.requests.clear()
        await dispatch(client, payload)
        text = fake.all_text()
        downloads = fake.of_kind("download")
        matrix.record(
            label,
            refused=any(r in text for r in REFUSALS),
            unchanged=(await state()) == before and not downloads,
        )

    for who, ident in NON_ADMINS.items():
        guild = ident.get("guild", True)
        cmd_ident = dict(ident)
        att = fake.add_attachment("grain.md", NEW_BRIEF)
        commands: list[tuple[str, dict[str, Any]]] = [
            ("brief upload", fake.command("brief", {"file": att}, sub="upload", **cmd_ident)),
            ("brief delete", fake.command("brief", {"id": 1}, sub="delete", **cmd_ident)),
            ("brief restore", fake.command("brief", {"id": 3}, sub="restore", **cmd_ident)),
            (
                "digest subscribe",
                fake.command("digest", {"cadence": "daily"}, sub="subscribe", **cmd_ident),
            ),
            ("digest pause", fake.command("digest", {"id": sub_id}, sub="pause", **cmd_ident)),
            ("digest remove", fake.command("digest", {"id": sub_id}, sub="remove", **cmd_ident)),
        ]
        for name, payload in commands:
            await attempt(f"{who}: /{name}", payload)

        # admin buttons, on messages an admin produced
        preview = await _preview(fake, client)
        ids = custom_ids(preview)
        confirm = next(i for i in ids if i.endswith(":confirm"))
        cancel = next(i for i in ids if i.endswith(":cancel"))
        force = confirm.replace(":confirm", ":force")
        prompt = await _delete_prompt(fake, client, 1)
        pids = custom_ids(prompt)
        buttons = [
            ("upload Confirm", preview, confirm),
            ("upload Store anyway", _forge(preview, confirm, force), force),
            ("upload Cancel", preview, cancel),
            ("delete Delete", prompt, next(i for i in pids if i.endswith(":confirm"))),
            ("delete Keep", prompt, next(i for i in pids if i.endswith(":cancel"))),
        ]
        for name, message, custom_id in buttons:
            click = fake.click(
                message, custom_id, guild=guild, **{k: v for k, v in ident.items() if k != "guild"}
            )
            await attempt(f"{who}: button {name}", click)

    print(f"permission matrix: {matrix.attempts} attempts, {len(matrix.successes)} successes")
    assert matrix.attempts == 33
    assert matrix.successes == []


@pytest.mark.parametrize(
    "ident",
    [
        pytest.param({"user_id": 3001, "roles": (ADMIN_ROLE_ID,)}, id="admin role"),
        pytest.param({"user_id": 3002, "permissions": MANAGE_GUILD}, id="manage guild"),
        pytest.param({"user_id": 3003, "permissions": ADMINISTRATOR}, id="administrator"),
        pytest.param({"user_id": ADMIN_USER_ID}, id="ADMIN_USER_IDS"),
        pytest.param({"user_id": ADMIN_USER_ID, "guild": False}, id="ADMIN_USER_IDS in DM"),
    ],
)
async def test_each_kind_of_admin_may_delete_and_restore(
    fake: FakeDiscord, client: Any, core: App, ident: dict[str, Any]
) -> None:
    await dispatch(client, fake.command("brief", {"id": 4}, sub="delete", **ident))
    prompt = fake.last_message()
    confirm = next(i for i in custom_ids(prompt) if i.endswith(":confirm"))
    await dispatch(client, fake.click(prompt, confirm, **ident))
    assert (await core.catalog.get(4, include_deleted=True)).deleted is True
    await dispatch(client, fake.command("brief", {"id": 4}, sub="restore", **ident))
    assert (await core.catalog.get(4)).deleted is False


async def test_uploader_may_cancel_own_preview_even_after_losing_admin(
    fake: FakeDiscord, client: Any, core: App
) -> None:
    att = fake.add_attachment("grain.md", NEW_BRIEF)
    await dispatch(
        client,
        fake.command("brief", {"file": att}, sub="upload", user_id=3001, roles=(ADMIN_ROLE_ID,)),
    )
    preview = fake.last_message()
    cancel = next(i for i in custom_ids(preview) if i.endswith(":cancel"))
    await dispatch(client, fake.click(preview, cancel, user_id=3001))  # role removed since
    assert "cancelled" in fake.all_text()
    assert await client.ctx.uploads.count() == 0
