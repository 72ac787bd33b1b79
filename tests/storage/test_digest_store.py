from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from briefs.digest.ports import (
    ClaimStatus,
    InvalidSubscriptionError,
    NewSubscription,
)
from briefs.digest.service import DigestService
from storage import Database
from storage.digest_store import DigestStore
from tests.factories import make_new_brief, make_sentence

SLOT = dt.datetime(2025, 3, 30, 6, 0, tzinfo=dt.UTC)


def _sub(**kw: object) -> NewSubscription:
    values: dict[str, object] = {
        "platform": "file",
        "workspace": "w1",
        "channel": "#digest",
        "cadence": "weekly",
        "at": "08:30",
        "weekday": 0,
        "timezone": "Europe/Berlin",
        "tracks": ("nuclear", "military"),
        "quiet": True,
        "created_by": "admin",
    }
    values.update(kw)
    return NewSubscription(**values)  # type: ignore[arg-type]


async def test_subscription_crud(database: Database) -> None:
    store = DigestStore(database.engine)
    a = await store.subscriptions.create(_sub())
    b = await store.subscriptions.create(_sub(platform="slack", workspace="T1", tracks=None))
    assert a.id != b.id
    assert a.tracks == ("nuclear", "military")
    assert b.tracks is None
    assert a.created_at.tzinfo is not None
    assert [s.id for s in await store.subscriptions.list(platform="slack")] == [b.id]
    paused = await store.subscriptions.pause(a.id)
    assert paused is not None
    assert paused.paused
    assert [s.id for s in await store.subscriptions.list(include_paused=False)] == [b.id]
    resumed = await store.subscriptions.resume(a.id)
    assert resumed is not None
    assert not resumed.paused
    assert await store.subscriptions.remove(a.id)
    assert not await store.subscriptions.remove(a.id)
    assert await store.subscriptions.get(a.id) is None
    assert await store.subscriptions.pause(999) is None


def test_subscription_validation() -> None:
    with pytest.raises(InvalidSubscriptionError):
        _sub(platform="irc")
    with pytest.raises(InvalidSubscriptionError):
        _sub(at="25:00")
    with pytest.raises(InvalidSubscriptionError):
        _sub(timezone="Nowhere/City")
    with pytest.raises(InvalidSubscriptionError):
        _sub(cadence="fortnightly")
    with pytest.raises(InvalidSubscriptionError):
        _sub(cadence="monthly", day_of_month=31)
    assert _sub(cadence="monthly", day_of_month=-1).day_of_month == -1
    assert _sub(cadence="*/5 * * * *").cadence == "*/5 * * * *"


async def test_claims_exactly_once(database: Database) -> None:
    store = DigestStore(database.engine)
    sub = await store.subscriptions.create(_sub())
    results = await asyncio.gather(
        *(store.claims.try_claim(sub.id, SLOT, instance=f"i{i}") for i in range(8))
    )
    assert sum(results) == 1
    claim = await store.claims.get(sub.id, SLOT)
    assert claim is not None
    assert claim.status is ClaimStatus.CLAIMED
    assert claim.slot_start == SLOT
    assert await store.claims.record_attempt(sub.id, SLOT) == 1
    assert await store.claims.record_attempt(sub.id, SLOT) == 2
    await store.claims.mark_posted(sub.id, SLOT, "msg-1", "w20250324-x")
    claim = await store.claims.get(sub.id, SLOT)
    assert claim is not None
    assert (claim.status, claim.message_id, claim.attempts) == (ClaimStatus.POSTED, "msg-1", 2)
    assert claim.digest_id == "w20250324-x"
    # another slot, failed
    other = SLOT + dt.timedelta(days=7)
    assert await store.claims.try_claim(sub.id, other)
    await store.claims.mark_failed(sub.id, other, "boom")
    assert [c.status for c in await store.claims.list(sub.id)] == [
        ClaimStatus.POSTED,
        ClaimStatus.FAILED,
    ]


async def test_stale_claim_takeover(database: Database) -> None:
    store = DigestStore(database.engine)
    sub = await store.subscriptions.create(_sub())
    t0 = dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC)
    assert await store.claims.try_claim(sub.id, SLOT, instance="dead", now=t0)
    # within the lease: nobody may take it
    assert not await store.claims.try_claim(
        sub.id, SLOT, instance="b", now=t0 + dt.timedelta(seconds=5), stale_before=t0
    )
    assert [c.instance for c in await store.claims.stale(t0 + dt.timedelta(seconds=1))] == ["dead"]
    later = t0 + dt.timedelta(minutes=11)
    won = await asyncio.gather(
        *(
            store.claims.try_claim(
                sub.id,
                SLOT,
                instance=f"s{i}",
                now=later,
                stale_before=later - dt.timedelta(minutes=10),
            )
            for i in range(4)
        )
    )
    assert sum(won) == 1
    await store.claims.mark_posted(sub.id, SLOT, "m")
    assert await store.claims.stale(later + dt.timedelta(hours=1)) == []


async def test_digest_roundtrip_explain_and_ingested(database: Database) -> None:
    store = DigestStore(database.engine)
    for i, (label, track) in enumerate(
        [("cooperation", "nuclear"), ("tension", "nuclear"), ("tension", "nuclear")]
    ):
        await database.briefs.add(
            make_new_brief(
                published=dt.date(2025, 1, 14),
                sentences=(
                    make_sentence(0, f"Moscow and Tehran sentence {i}.", label=label, track=track),
                ),
            )
        )
    svc = DigestService(database.sentences, ingested=store.ingested, digests=store.digests)
    d = await svc.build("week", dt.date(2025, 1, 20))
    loaded = await store.digests.get(d.id)
    assert loaded == d
    await store.digests.save(d)  # idempotent
    ex = await svc.explain(d.id, "nuclear")
    assert sorted(e.role for e in ex.sentences) == ["cooperation", "tension", "tension"]
    assert await store.digests.get("missing") is None
    now = dt.datetime.now(dt.UTC)
    recent = await store.ingested.ingested_between(
        now - dt.timedelta(hours=1), now + dt.timedelta(minutes=1)
    )
    assert len(recent) == 3
