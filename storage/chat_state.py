"""Chat-adapter state shared by every bot instance: seen Slack events, pending upload previews.

With several instances behind a load balancer (Slack HTTP mode, or several Discord shards),
a retried Slack event or a Confirm click may land on any instance, so this state lives in the
database rather than in memory:

- ``slack_events(event_id PK, received_at)``: ``SqlSeenEvents.first_time`` inserts with
  ``ON CONFLICT DO NOTHING`` and reports whether this call's row went in — exactly one
  instance wins an event id. Rows older than the TTL (1 h) are pruned now and then.
- ``pending_uploads(token PK, platform, actor, created_at, expires_at, payload JSON)``:
  ``SqlPendingUploads.take`` deletes the row and returns it only when this call's ``DELETE``
  removed it, so two clicks on two instances store a brief once.

Also declared here (so Alembic's metadata knows them): the tables of slack_sdk's
``AsyncSQLAlchemyInstallationStore`` / ``AsyncSQLAlchemyOAuthStateStore`` (Slack OAuth,
multi-workspace), with the names and columns slack_sdk 3.x expects. Migration 0004 creates
all of them; nothing is created at run time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    delete,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Mapped, mapped_column

from briefs.ports import Clock
from storage._access import Access, SystemClock, dialect_insert
from storage.tables import Base, UTCDateTime

__all__ = [
    "EVENT_TTL",
    "ChatState",
    "PendingRow",
    "PendingUploadRow",
    "SlackEventRow",
    "SqlPendingUploads",
    "SqlSeenEvents",
]

EVENT_TTL = dt.timedelta(hours=1)
_PRUNE_EVERY = dt.timedelta(minutes=1)


class SlackEventRow(Base):
    __tablename__ = "slack_events"
    __table_args__ = (Index("ix_slack_events_received_at", "received_at"),)

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class PendingUploadRow(Base):
    __tablename__ = "pending_uploads"
    __table_args__ = (Index("ix_pending_uploads_expires_at", "expires_at"),)

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)


# slack_sdk's OAuth tables (slack_sdk.oauth.installation_store.sqlalchemy and
# slack_sdk.oauth.state_store.sqlalchemy, 3.x): same names, columns and index names.


def _bot_columns(*after_enterprise: Column[Any]) -> list[Column[Any]]:
    """The columns slack_installations and slack_bots share, in slack_sdk's order (fresh
    objects on each call: a Column belongs to one table); ``after_enterprise`` go after
    ``enterprise_name``."""
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
        *after_enterprise,
        Column("team_id", String(32)),
        Column("team_name", String(200)),
        Column("bot_token", String(200)),
        Column("bot_id", String(32)),
        Column("bot_user_id", String(32)),
        Column("bot_scopes", String(1000)),
        Column("bot_refresh_token", String(200)),
        Column("bot_token_expires_at", DateTime),
    ]


SLACK_INSTALLATIONS = Table(
    "slack_installations",
    Base.metadata,
    *_bot_columns(Column("enterprise_url", String(200))),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)

SLACK_BOTS = Table(
    "slack_bots",
    Base.metadata,
    *_bot_columns(),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

SLACK_OAUTH_STATES = Table(
    "slack_oauth_states",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)

_EVENTS: Table = Base.metadata.tables["slack_events"]
_PENDING: Table = Base.metadata.tables["pending_uploads"]


class SqlSeenEvents:
    """Event ids seen by any instance within the TTL (Slack retries, duplicate deliveries)."""

    def __init__(self, access: Access, ttl: dt.timedelta = EVENT_TTL) -> None:
        self._access = access
        self.ttl = ttl
        self._last_prune: dt.datetime | None = None

    async def first_time(self, event_id: str, *, now: dt.datetime | None = None) -> bool:
        """True for exactly one caller per ``event_id`` (across instances), False after."""
        now = now or self._access.now()
        async with self._access.write() as conn:
            if self._last_prune is None or now - self._last_prune >= _PRUNE_EVERY:
                await conn.execute(delete(_EVENTS).where(_EVENTS.c.received_at < now - self.ttl))
                self._last_prune = now
            stmt = (
                dialect_insert(self._access, _EVENTS)
                .values(event_id=event_id[:200], received_at=now)
                .on_conflict_do_nothing(index_elements=["event_id"])
            )
            result = await conn.execute(stmt)
            return bool(result.rowcount == 1)

    async def count(self) -> int:
        async with self._access.read() as conn:
            return int(await conn.scalar(select(func.count()).select_from(_EVENTS)) or 0)


@dataclass(frozen=True, slots=True)
class PendingRow:
    token: str
    platform: str
    actor: str
    created_at: dt.datetime
    expires_at: dt.datetime
    payload: dict[str, Any]


def _to_pending(m: Any) -> PendingRow:
    return PendingRow(
        token=m["token"],
        platform=m["platform"],
        actor=m["actor"],
        created_at=m["created_at"],
        expires_at=m["expires_at"],
        payload=dict(m["payload"]),
    )


class SqlPendingUploads:
    """Upload previews awaiting Confirm / Cancel; a JSON payload per random token."""

    def __init__(self, access: Access) -> None:
        self._access = access

    async def put(
        self,
        token: str,
        *,
        platform: str,
        actor: str,
        payload: dict[str, Any],
        ttl: dt.timedelta,
        now: dt.datetime | None = None,
    ) -> PendingRow:
        now = now or self._access.now()
        row = PendingRow(token, platform, actor, now, now + ttl, payload)
        async with self._access.write() as conn:
            await conn.execute(delete(_PENDING).where(_PENDING.c.expires_at <= now))
            await conn.execute(
                _PENDING.insert().values(
                    token=token,
                    platform=platform,
                    actor=actor[:200],
                    created_at=row.created_at,
                    expires_at=row.expires_at,
                    payload=payload,
                )
            )
        return row

    async def get(self, token: str, *, now: dt.datetime | None = None) -> PendingRow | None:
        """The pending upload, or None when unknown or expired."""
        now = now or self._access.now()
        async with self._access.read() as conn:
            found = (
                await conn.execute(
                    select(_PENDING).where(_PENDING.c.token == token, _PENDING.c.expires_at > now)
                )
            ).first()
        return _to_pending(found._mapping) if found is not None else None

    async def take(self, token: str, *, now: dt.datetime | None = None) -> PendingRow | None:
        """Remove and return it — to exactly one caller; None when unknown, expired or taken."""
        now = now or self._access.now()
        async with self._access.write() as conn:
            found = (await conn.execute(select(_PENDING).where(_PENDING.c.token == token))).first()
            if found is None:
                return None
            gone = await conn.execute(delete(_PENDING).where(_PENDING.c.token == token))
            if gone.rowcount != 1:  # another instance took it first
                return None
        row = _to_pending(found._mapping)
        return row if row.expires_at > now else None

    async def count(self, *, platform: str | None = None, now: dt.datetime | None = None) -> int:
        """Live (unexpired) previews."""
        now = now or self._access.now()
        stmt = select(func.count()).select_from(_PENDING).where(_PENDING.c.expires_at > now)
        if platform is not None:
            stmt = stmt.where(_PENDING.c.platform == platform)
        async with self._access.read() as conn:
            return int(await conn.scalar(stmt) or 0)


class ChatState:
    """Both stores on one engine: ``ChatState(db.engine).events`` / ``.uploads``."""

    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        access = Access(engine, clock or SystemClock())
        self.events = SqlSeenEvents(access)
        self.uploads = SqlPendingUploads(access)
