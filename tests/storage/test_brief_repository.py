"""BriefRepository on both backends: atomic adds, duplicates, listing, soft delete."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from briefs.errors import DuplicateBriefError
from briefs.models import DocumentBalance, NewPassage
from storage import Database
from tests.factories import make_new_brief, make_sentence


async def _row_counts(db: Database) -> dict[str, int]:
    tables = ["briefs", "passages", "brief_bands", "sentences"]
    if db.dialect == "sqlite":
        tables.append("passages_fts")
    counts = {}
    async with db.reading() as conn:
        for name in tables:
            counts[name] = int(await conn.scalar(select(func.count()).select_from(text(name))))
    return counts


async def test_add_then_get_round_trips_everything(database: Database) -> None:
    new = make_new_brief(
        title="Gas deal",
        passages=("Russia and Iran signed a gas deal.", "Payments use national currencies."),
        tags=("energy", "finance"),
        balance=DocumentBalance(0.5, ("energy",), ("sanctions",)),
        minhash=(5, 2**40, 7),
        bands=("b0", "b1", "b2"),
        sentences=(make_sentence(0), make_sentence(1, "Payments use rubles.", dyad=False)),
        outlet=None,
        source_url=None,
    )
    added = await database.briefs.add(new)
    assert added.id > 0
    assert added.deleted is False
    got = await database.briefs.get(added.id)
    assert got == added
    assert got.minhash == (5, 2**40, 7)
    assert got.tags == ("energy", "finance")
    assert got.balance == DocumentBalance(0.5, ("energy",), ("sanctions",))
    assert await database.briefs.get_body(added.id) == new.body
    passages = await database.briefs.passages(added.id)
    assert [p.text for p in passages] == [p.text for p in new.passages]
    assert [(p.start, p.end, p.ordinal) for p in passages] == [
        (p.start, p.end, p.ordinal) for p in new.passages
    ]
    assert all(p.brief_id == added.id for p in passages)
    assert len(await database.sentences.for_brief(added.id)) == 2
    counts = await _row_counts(database)
    assert counts["brief_bands"] == 3
    if database.dialect == "sqlite":
        assert counts["passages_fts"] == 2


async def test_get_unknown_ids(database: Database) -> None:
    assert await database.briefs.get(999) is None
    assert await database.briefs.get_body(999) is None
    assert await database.briefs.set_deleted(999, True) is None
    assert await database.briefs.passages(999) == []


async def test_list_newest_published_first_then_id_desc(database: Database) -> None:
    old = await database.briefs.add(make_new_brief(published=dt.date(2023, 5, 1)))
    new_a = await database.briefs.add(make_new_brief(published=dt.date(2024, 5, 1)))
    new_b = await database.briefs.add(make_new_brief(published=dt.date(2024, 5, 1)))
    listed = await database.briefs.list()
    assert [b.id for b in listed] == [new_b.id, new_a.id, old.id]
    assert [b.id for b in await database.briefs.list(limit=1, offset=1)] == [new_a.id]
    assert await database.briefs.count() == 3


async def test_delete_and_restore(database: Database) -> None:
    keep = await database.briefs.add(make_new_brief())
    gone = await database.briefs.add(make_new_brief())
    deleted = await database.briefs.set_deleted(gone.id, True)
    assert deleted is not None
    assert deleted.deleted is True
    assert await database.briefs.get(gone.id) is None
    assert (await database.briefs.get(gone.id, include_deleted=True)) == deleted
    assert [b.id for b in await database.briefs.list()] == [keep.id]
    assert len(await database.briefs.list(include_deleted=True)) == 2
    assert await database.briefs.count() == 1
    assert await database.briefs.count(include_deleted=True) == 2
    restored = await database.briefs.set_deleted(gone.id, False)
    assert restored is not None
    assert restored.deleted is False
    assert await database.briefs.count() == 2


async def test_duplicate_hash_raises_and_stores_nothing(database: Database) -> None:
    first = await database.briefs.add(make_new_brief(content_hash="same"))
    before = await _row_counts(database)
    with pytest.raises(DuplicateBriefError) as info:
        await database.briefs.add(make_new_brief(content_hash="same", title="Other"))
    assert info.value.existing_id == first.id
    assert f"#{first.id}" in info.value.message
    assert await _row_counts(database) == before


async def test_duplicate_of_deleted_brief_is_reported_and_found(database: Database) -> None:
    first = await database.briefs.add(make_new_brief(content_hash="h"))
    await database.briefs.set_deleted(first.id, True)
    found = await database.briefs.find_by_hash("h")
    assert found is not None
    assert found.id == first.id
    assert found.deleted is True
    with pytest.raises(DuplicateBriefError, match="restored") as info:
        await database.briefs.add(make_new_brief(content_hash="h"))
    assert info.value.existing_id == first.id
    assert await database.briefs.find_by_hash("nope") is None


async def test_failure_mid_add_leaves_nothing_behind(database: Database) -> None:
    passages = (
        NewPassage(ordinal=0, text="Tehran and Moscow agree.", start=0, end=24),
        NewPassage(ordinal=0, text="Same ordinal twice.", start=26, end=45),
    )
    bad = make_new_brief(passages=passages, sentences=(make_sentence(),), content_hash="bad")
    with pytest.raises(IntegrityError):
        await database.briefs.add(bad)
    assert await _row_counts(database) == dict.fromkeys(await _row_counts(database), 0)
    assert await database.briefs.find_by_hash("bad") is None
    # the same content can be stored once fixed
    fixed = make_new_brief(passages=passages[:1], content_hash="bad")
    assert (await database.briefs.add(fixed)).id > 0


async def test_negative_offsets_are_rejected_atomically(database: Database) -> None:
    bad = make_new_brief(passages=(NewPassage(0, "text", 5, 2),))
    with pytest.raises(IntegrityError):
        await database.briefs.add(bad)
    assert await database.briefs.count(include_deleted=True) == 0


async def test_concurrent_adds_of_the_same_hash_store_exactly_one(
    database: Database, db_url: str
) -> None:
    other = await Database.connect(db_url)
    try:
        results = await asyncio.gather(
            database.briefs.add(make_new_brief(content_hash="race", title="A")),
            other.briefs.add(make_new_brief(content_hash="race", title="B")),
            return_exceptions=True,
        )
    finally:
        await other.close()
    stored = [r for r in results if not isinstance(r, BaseException)]
    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(stored) == 1, results
    assert len(errors) == 1, results
    assert isinstance(errors[0], DuplicateBriefError)
    assert errors[0].existing_id == stored[0].id
    assert await database.briefs.count() == 1
    assert len(await database.briefs.passages(stored[0].id)) == 1


async def test_many_concurrent_distinct_adds_all_succeed(database: Database) -> None:
    briefs = await asyncio.gather(*(database.briefs.add(make_new_brief()) for _ in range(8)))
    assert len({b.id for b in briefs}) == 8
    assert await database.briefs.count() == 8


async def test_find_by_bands(database: Database) -> None:
    a = await database.briefs.add(make_new_brief(bands=("x1", "x2"), minhash=(1, 2, 3)))
    b = await database.briefs.add(make_new_brief(bands=("x2", "y2")))
    c = await database.briefs.add(make_new_brief(bands=("z1", "z2")))
    found = await database.briefs.find_by_bands(["x2"])
    assert [f.id for f in found] == [a.id, b.id]
    assert found[0].minhash == (1, 2, 3)
    assert [f.id for f in await database.briefs.find_by_bands(["z2", "x1"])] == [a.id, c.id]
    assert await database.briefs.find_by_bands([]) == []
    assert await database.briefs.find_by_bands(["none"]) == []
    await database.briefs.set_deleted(a.id, True)
    assert [f.id for f in await database.briefs.find_by_bands(["x1", "x2"])] == [b.id]


async def test_supersedes_and_superseded_by(database: Database) -> None:
    v1 = await database.briefs.add(make_new_brief())
    v2 = await database.briefs.add(make_new_brief(supersedes_id=v1.id, version=2))
    assert v2.supersedes_id == v1.id
    assert v2.version == 2
    old = await database.briefs.get(v1.id)
    assert old is not None
    assert old.superseded_by_id == v2.id
    new = await database.briefs.get(v2.id)
    assert new is not None
    assert new.superseded_by_id is None
    await database.briefs.set_deleted(v2.id, True)
    old = await database.briefs.get(v1.id)
    assert old is not None
    assert old.superseded_by_id is None  # a deleted version supersedes nothing


async def test_superseding_an_unknown_brief_fails_cleanly(database: Database) -> None:
    with pytest.raises(IntegrityError):
        await database.briefs.add(make_new_brief(supersedes_id=12345))
    assert await database.briefs.count(include_deleted=True) == 0


async def test_set_balance(database: Database) -> None:
    brief = await database.briefs.add(make_new_brief())
    balance = DocumentBalance(-0.25, ("trade",), ("nuclear", "sanctions"))
    await database.briefs.set_balance(brief.id, balance)
    got = await database.briefs.get(brief.id)
    assert got is not None
    assert got.balance == balance
