"""`IngestBatch` on both backends: one transaction, in-batch look-ups, per-brief isolation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from briefs.errors import DuplicateBriefError
from storage import Database
from tests.factories import make_new_brief


async def _count(db: Database, name: str) -> int:
    async with db.reading() as conn:
        return int(await conn.scalar(select(func.count()).select_from(text(name))))


async def test_batch_stores_briefs_and_audit_rows_in_one_commit(database: Database) -> None:
    a, b = make_new_brief(bands=("x-1", "x-2")), make_new_brief()
    async with database.briefs.ingest_batch() as batch:
        stored_a = await batch.add(a)
        await batch.record("tester", "upload", stored_a.id, "add")
        # later briefs of the same batch see the earlier ones
        assert await batch.find_by_hash(a.content_hash) == stored_a
        assert [x.id for x in await batch.find_by_bands(["x-2"])] == [stored_a.id]
        stored_b = await batch.add(b)
        await batch.record("tester", "upload", stored_b.id, "add")
    assert await database.briefs.get(stored_a.id) == stored_a
    assert [p.text for p in await database.briefs.passages(stored_b.id)] == [
        p.text for p in b.passages
    ]
    assert [e.brief_id for e in await database.audit.recent()] == [stored_b.id, stored_a.id]


async def test_a_duplicate_in_the_batch_fails_alone(database: Database) -> None:
    first = make_new_brief()
    again = make_new_brief(content_hash=first.content_hash)
    after = make_new_brief()
    async with database.briefs.ingest_batch() as batch:
        stored = await batch.add(first)
        with pytest.raises(DuplicateBriefError) as caught:
            await batch.add(again)
        assert caught.value.existing_id == stored.id
        assert "already stored as #" in caught.value.message
        kept = await batch.add(after)
    assert await database.briefs.count() == 2
    assert await database.briefs.get(kept.id) is not None
    assert await _count(database, "passages") == len(first.passages) + len(after.passages)
    assert await _count(database, "brief_bands") == len(first.bands) + len(after.bands)


async def test_an_error_in_the_batch_rolls_all_of_it_back(database: Database) -> None:
    async def failing_batch() -> None:
        async with database.briefs.ingest_batch() as batch:
            await batch.add(make_new_brief())
            await batch.record("tester", "upload", None, "x")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await failing_batch()
    assert await database.briefs.count(include_deleted=True) == 0
    assert await _count(database, "passages") == 0
    assert await database.audit.recent() == []


async def test_batch_sees_duplicates_stored_before_it(database: Database) -> None:
    stored = await database.briefs.add(make_new_brief())
    await database.briefs.set_deleted(stored.id, True)
    async with database.briefs.ingest_batch() as batch:
        found = await batch.find_by_hash(stored.content_hash)
        assert found is not None
        assert found.deleted  # deleted briefs still count as duplicates
        with pytest.raises(DuplicateBriefError, match="deleted; it can be restored"):
            await batch.add(make_new_brief(content_hash=stored.content_hash))
