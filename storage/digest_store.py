"""SQLAlchemy 2 async implementations of the digest ports (``briefs.digest.ports``).

Tables ``subscriptions``, ``digest_claims`` (UNIQUE(subscription_id, slot_start)) and
``digests`` are declared in ``storage.digest_tables`` (on ``storage.tables.Base``, so
Alembic's metadata sees them; migration 0002 creates them) and their row classes are
re-exported here. Queries are Core statements on ``Access`` connections, the same pattern as
the other repositories.

Exactly-once posting: ``try_claim`` inserts the claim row with ``ON CONFLICT DO NOTHING``
(PostgreSQL and SQLite both) and reports whether this call's row went in. A claim stuck in
``claimed`` past a lease (its instance died mid-post) can be taken over with one conditional
``UPDATE``, so exactly one survivor wins it.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
from typing import Any

from sqlalchemy import and_, delete, false, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from briefs.digest.model import Digest
from briefs.digest.ports import Claim, ClaimStatus, NewSubscription, Subscription
from briefs.models import Brief
from briefs.ports import Clock
from storage._access import Access, SystemClock, dialect_insert
from storage._brief_rows import BRIEFS, brief_select, to_brief
from storage.digest_tables import (
    DIGEST_CLAIMS,
    DIGESTS,
    SUBSCRIPTIONS,
    ClaimRow,
    DigestRow,
    SubscriptionRow,
    to_claim,
    to_subscription,
)

__all__ = [
    "ClaimRow",
    "DigestRow",
    "DigestStore",
    "SqlClaimRepository",
    "SqlDigestRepository",
    "SqlIngestedBriefs",
    "SqlSubscriptionRepository",
    "SubscriptionRow",
]


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: slots must be aware")
    return value.astimezone(dt.UTC).replace(microsecond=0)


class SqlSubscriptionRepository:
    def __init__(self, access: Access) -> None:
        self._db = access

    async def create(self, sub: NewSubscription) -> Subscription:
        values = {
            "platform": sub.platform,
            "workspace": sub.workspace,
            "channel": sub.channel,
            "cadence": sub.cadence,
            "at": sub.at,
            "weekday": sub.weekday,
            "day_of_month": sub.day_of_month,
            "timezone": sub.timezone,
            "tracks": list(sub.tracks) if sub.tracks is not None else None,
            "quiet": sub.quiet,
            "created_by": sub.created_by,
            "paused": False,
            "created_at": self._db.now(),
        }
        async with self._db.write() as conn:
            new_id = (
                await conn.execute(
                    insert(SUBSCRIPTIONS).values(values).returning(SUBSCRIPTIONS.c.id)
                )
            ).scalar_one()
            row = (
                await conn.execute(select(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id == new_id))
            ).one()
        return to_subscription(row)

    async def list(
        self,
        *,
        platform: str | None = None,
        workspace: str | None = None,
        include_paused: bool = True,
    ) -> builtins.list[Subscription]:
        query = select(SUBSCRIPTIONS).order_by(SUBSCRIPTIONS.c.id)
        if platform is not None:
            query = query.where(SUBSCRIPTIONS.c.platform == platform)
        if workspace is not None:
            query = query.where(SUBSCRIPTIONS.c.workspace == workspace)
        if not include_paused:
            query = query.where(SUBSCRIPTIONS.c.paused == false())
        async with self._db.read() as conn:
            rows = (await conn.execute(query)).all()
        return [to_subscription(r) for r in rows]

    async def get(self, subscription_id: int) -> Subscription | None:
        async with self._db.read() as conn:
            row = (
                await conn.execute(
                    select(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id == subscription_id)
                )
            ).first()
        return to_subscription(row) if row is not None else None

    async def _set_paused(self, subscription_id: int, paused: bool) -> Subscription | None:
        async with self._db.write() as conn:
            await conn.execute(
                update(SUBSCRIPTIONS)
                .where(SUBSCRIPTIONS.c.id == subscription_id)
                .values(paused=paused)
            )
            row = (
                await conn.execute(
                    select(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id == subscription_id)
                )
            ).first()
        return to_subscription(row) if row is not None else None

    async def pause(self, subscription_id: int) -> Subscription | None:
        return await self._set_paused(subscription_id, True)

    async def resume(self, subscription_id: int) -> Subscription | None:
        return await self._set_paused(subscription_id, False)

    async def remove(self, subscription_id: int) -> bool:
        async with self._db.write() as conn:
            await conn.execute(
                delete(DIGEST_CLAIMS).where(DIGEST_CLAIMS.c.subscription_id == subscription_id)
            )
            result = await conn.execute(
                delete(SUBSCRIPTIONS).where(SUBSCRIPTIONS.c.id == subscription_id)
            )
        return bool(result.rowcount)


class SqlClaimRepository:
    def __init__(self, access: Access) -> None:
        self._db = access

    def _key(self, subscription_id: int, slot_start: dt.datetime) -> Any:
        return and_(
            DIGEST_CLAIMS.c.subscription_id == subscription_id,
            DIGEST_CLAIMS.c.slot_start == _utc(slot_start),
        )

    async def try_claim(
        self,
        subscription_id: int,
        slot_start: dt.datetime,
        *,
        instance: str = "",
        now: dt.datetime | None = None,
        stale_before: dt.datetime | None = None,
    ) -> bool:
        at = now if now is not None else self._db.now()
        stmt = (
            dialect_insert(self._db, DIGEST_CLAIMS)
            .values(
                subscription_id=subscription_id,
                slot_start=_utc(slot_start),
                status=ClaimStatus.CLAIMED.value,
                attempts=0,
                claimed_at=at,
                instance=instance,
            )
            .on_conflict_do_nothing(index_elements=["subscription_id", "slot_start"])
            .returning(DIGEST_CLAIMS.c.id)
        )
        async with self._db.write() as conn:
            won = (await conn.execute(stmt)).first() is not None
            if won or stale_before is None:
                return won
            taken = await conn.execute(
                update(DIGEST_CLAIMS)
                .where(
                    self._key(subscription_id, slot_start),
                    DIGEST_CLAIMS.c.status == ClaimStatus.CLAIMED.value,
                    DIGEST_CLAIMS.c.claimed_at < stale_before,
                )
                .values(claimed_at=at, instance=instance)
            )
            return bool(taken.rowcount == 1)

    async def record_attempt(self, subscription_id: int, slot_start: dt.datetime) -> int:
        async with self._db.write() as conn:
            await conn.execute(
                update(DIGEST_CLAIMS)
                .where(self._key(subscription_id, slot_start))
                .values(attempts=DIGEST_CLAIMS.c.attempts + 1)
            )
            value = (
                await conn.execute(
                    select(DIGEST_CLAIMS.c.attempts).where(self._key(subscription_id, slot_start))
                )
            ).scalar_one_or_none()
        return int(value or 0)

    async def mark_posted(
        self,
        subscription_id: int,
        slot_start: dt.datetime,
        message_id: str,
        digest_id: str | None = None,
    ) -> None:
        async with self._db.write() as conn:
            await conn.execute(
                update(DIGEST_CLAIMS)
                .where(self._key(subscription_id, slot_start))
                .values(
                    status=ClaimStatus.POSTED.value,
                    message_id=message_id,
                    digest_id=digest_id,
                    error=None,
                )
            )

    async def mark_failed(
        self, subscription_id: int, slot_start: dt.datetime, error: str = ""
    ) -> None:
        async with self._db.write() as conn:
            await conn.execute(
                update(DIGEST_CLAIMS)
                .where(self._key(subscription_id, slot_start))
                .values(status=ClaimStatus.FAILED.value, error=error[:2000])
            )

    async def get(self, subscription_id: int, slot_start: dt.datetime) -> Claim | None:
        async with self._db.read() as conn:
            row = (
                await conn.execute(
                    select(DIGEST_CLAIMS).where(self._key(subscription_id, slot_start))
                )
            ).first()
        return to_claim(row) if row is not None else None

    async def list(self, subscription_id: int | None = None) -> builtins.list[Claim]:
        query = select(DIGEST_CLAIMS).order_by(
            DIGEST_CLAIMS.c.subscription_id, DIGEST_CLAIMS.c.slot_start
        )
        if subscription_id is not None:
            query = query.where(DIGEST_CLAIMS.c.subscription_id == subscription_id)
        async with self._db.read() as conn:
            rows = (await conn.execute(query)).all()
        return [to_claim(r) for r in rows]

    async def stale(self, before: dt.datetime) -> builtins.list[Claim]:
        query = (
            select(DIGEST_CLAIMS)
            .where(
                DIGEST_CLAIMS.c.status == ClaimStatus.CLAIMED.value,
                DIGEST_CLAIMS.c.claimed_at < before,
            )
            .order_by(DIGEST_CLAIMS.c.slot_start)
        )
        async with self._db.read() as conn:
            rows = (await conn.execute(query)).all()
        return [to_claim(r) for r in rows]


class SqlDigestRepository:
    def __init__(self, access: Access) -> None:
        self._db = access

    async def save(self, digest: Digest) -> None:
        values = {
            "id": digest.id,
            "window_kind": digest.window.kind.value,
            "window_start": digest.window.start,
            "window_end": digest.window.end,
            "tz": digest.window.tz,
            "generated_at": digest.generated_at,
            "body": json.dumps(digest.to_dict(), ensure_ascii=False, sort_keys=True),
        }
        stmt = (
            dialect_insert(self._db, DIGESTS)
            .values(values)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        async with self._db.write() as conn:
            await conn.execute(stmt)

    async def get(self, digest_id: str) -> Digest | None:
        async with self._db.read() as conn:
            body = (
                await conn.execute(select(DIGESTS.c.body).where(DIGESTS.c.id == digest_id))
            ).scalar_one_or_none()
        if body is None:
            return None
        return Digest.from_dict(json.loads(body))


class SqlIngestedBriefs:
    """``IngestedBriefs``: briefs that entered the corpus during a window."""

    def __init__(self, access: Access) -> None:
        self._db = access

    async def ingested_between(self, start: dt.datetime, end: dt.datetime) -> builtins.list[Brief]:
        query = (
            brief_select()
            .where(
                BRIEFS.c.ingested_at >= start,
                BRIEFS.c.ingested_at < end,
                BRIEFS.c.deleted == false(),
            )
            .order_by(BRIEFS.c.ingested_at, BRIEFS.c.id)
        )
        async with self._db.read() as conn:
            rows = (await conn.execute(query)).all()
        return [to_brief(r) for r in rows]


class DigestStore:
    """The four digest repositories on one engine."""

    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        access = Access(engine, clock or SystemClock())
        self.subscriptions = SqlSubscriptionRepository(access)
        self.claims = SqlClaimRepository(access)
        self.digests = SqlDigestRepository(access)
        self.ingested = SqlIngestedBriefs(access)
