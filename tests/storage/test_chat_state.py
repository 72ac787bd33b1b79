"""Chat state shared by bot instances: seen Slack events, pending uploads, OAuth tables."""

from __future__ import annotations

import asyncio
import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Connection, MetaData, inspect

from storage import Database
from storage.chat_state import ChatState
from storage.tables import Base

CHAT_TABLES = {
    "slack_events",
    "pending_uploads",
    "slack_installations",
    "slack_bots",
    "slack_oauth_states",
}
T0 = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)


async def test_an_event_is_first_once_across_instances(database: Database) -> None:
    a = ChatState(database.engine)
    b = ChatState(database.engine)
    results = await asyncio.gather(*(s.events.first_time("Ev1") for s in (a, b, a, b)))
    assert sorted(results) == [False, False, False, True]
    assert await b.events.first_time("Ev2")


async def test_old_events_are_pruned(database: Database) -> None:
    state = ChatState(database.engine)
    assert await state.events.first_time("EvOld", now=T0)
    assert not await state.events.first_time("EvOld", now=T0 + dt.timedelta(minutes=59))
    later = ChatState(database.engine)  # a fresh instance prunes on its first call
    assert await later.events.first_time("EvNew", now=T0 + dt.timedelta(hours=2))
    assert await later.events.count() == 1
    assert await later.events.first_time("EvOld", now=T0 + dt.timedelta(hours=2))


async def test_pending_upload_is_taken_once(database: Database) -> None:
    a = ChatState(database.engine).uploads
    b = ChatState(database.engine).uploads
    payload = {"x": [1, 2, {"y": "ü"}]}
    await a.put(
        "tok1", platform="slack", actor="slack:T1/U1", payload=payload, ttl=dt.timedelta(minutes=15)
    )
    got = await b.get("tok1")
    assert got is not None
    assert got.payload == payload
    assert got.actor == "slack:T1/U1"
    assert got.expires_at - got.created_at == dt.timedelta(minutes=15)
    assert await a.count(platform="slack") == 1
    assert await a.count(platform="discord") == 0
    taken = await asyncio.gather(a.take("tok1"), b.take("tok1"), a.take("tok1"))
    assert [t is not None for t in taken].count(True) == 1
    assert await b.get("tok1") is None


async def test_expired_pending_upload_is_gone(database: Database) -> None:
    uploads = ChatState(database.engine).uploads
    ttl = dt.timedelta(minutes=15)
    await uploads.put("tok2", platform="discord", actor="discord:1", payload={}, ttl=ttl, now=T0)
    later = T0 + ttl + dt.timedelta(seconds=1)
    assert await uploads.get("tok2", now=later) is None
    assert await uploads.take("tok2", now=later) is None
    assert await uploads.count(now=T0) == 0  # taken above, even though expired


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})

    def include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object):
        if type_ == "table":
            return name in CHAT_TABLES
        table = getattr(obj, "table", None)
        return table is None or table.name in CHAT_TABLES

    context.opts["include_object"] = include
    return list(compare_metadata(context, Base.metadata))


async def test_migration_matches_the_models(database: Database) -> None:
    async with database.reading() as conn:
        assert await conn.run_sync(_diff) == []


def _columns(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    return {t: {c["name"] for c in inspector.get_columns(t)} for t in CHAT_TABLES}


async def test_oauth_tables_have_what_slack_sdk_expects(database: Database) -> None:
    """The migration's OAuth tables carry every column slack_sdk's stores read and write."""
    expected = MetaData()
    SQLAlchemyInstallationStore.build_installations_table(expected, "slack_installations")
    SQLAlchemyInstallationStore.build_bots_table(expected, "slack_bots")
    SQLAlchemyOAuthStateStore.build_oauth_states_table(expected, "slack_oauth_states")
    async with database.reading() as conn:
        have = await conn.run_sync(_columns)
    for name, table in expected.tables.items():
        assert {c.name for c in table.columns} == have[name], name
