"""The digest tables and their rows: ``subscriptions``, ``digest_claims`` and ``digests``.

Declared on ``storage.tables.Base`` so Alembic's metadata sees them (migration 0002 creates
them), with the Core ``Table`` handles the repositories in ``storage.digest_store`` query and
the functions that turn result rows into ``briefs.digest.ports`` objects. The row classes are
re-exported by ``storage.digest_store``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from briefs.digest.ports import Claim, ClaimStatus, Subscription
from storage.tables import Base, UTCDateTime

__all__ = [
    "DIGESTS",
    "DIGEST_CLAIMS",
    "SUBSCRIPTIONS",
    "ClaimRow",
    "DigestRow",
    "SubscriptionRow",
    "to_claim",
    "to_subscription",
]


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_platform_workspace", "platform", "workspace"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(500))
    cadence: Mapped[str] = mapped_column(String(100))
    at: Mapped[str] = mapped_column(String(5))
    weekday: Mapped[int | None] = mapped_column(Integer)
    day_of_month: Mapped[int | None] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64))
    tracks: Mapped[list[str] | None] = mapped_column(JSON)
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(200))
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class ClaimRow(Base):
    __tablename__ = "digest_claims"
    __table_args__ = (
        UniqueConstraint("subscription_id", "slot_start", name="uq_digest_claims_sub_slot"),
        Index("ix_digest_claims_status_claimed_at", "status", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    slot_start: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    instance: Mapped[str] = mapped_column(String(200))
    digest_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)


class DigestRow(Base):
    __tablename__ = "digests"
    __table_args__ = (Index("ix_digests_window", "window_kind", "window_start"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_kind: Mapped[str] = mapped_column(String(16))
    window_start: Mapped[dt.date] = mapped_column(Date)
    window_end: Mapped[dt.date] = mapped_column(Date)
    tz: Mapped[str] = mapped_column(String(64))
    generated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    body: Mapped[str] = mapped_column(Text)  # Digest.to_dict() as JSON


SUBSCRIPTIONS: Table = Base.metadata.tables["subscriptions"]
DIGEST_CLAIMS: Table = Base.metadata.tables["digest_claims"]
DIGESTS: Table = Base.metadata.tables["digests"]


def to_subscription(row: Row[Any]) -> Subscription:
    m = row._mapping
    tracks = m["tracks"]
    return Subscription(
        id=m["id"],
        platform=m["platform"],
        workspace=m["workspace"],
        channel=m["channel"],
        cadence=m["cadence"],
        at=m["at"],
        weekday=m["weekday"],
        day_of_month=m["day_of_month"],
        timezone=m["timezone"],
        tracks=tuple(tracks) if tracks is not None else None,
        quiet=bool(m["quiet"]),
        created_by=m["created_by"],
        paused=bool(m["paused"]),
        created_at=m["created_at"],
    )


def to_claim(row: Row[Any]) -> Claim:
    m = row._mapping
    return Claim(
        subscription_id=m["subscription_id"],
        slot_start=m["slot_start"],
        status=ClaimStatus(m["status"]),
        attempts=m["attempts"],
        message_id=m["message_id"],
        claimed_at=m["claimed_at"],
        instance=m["instance"],
        digest_id=m["digest_id"],
        error=m["error"],
    )
