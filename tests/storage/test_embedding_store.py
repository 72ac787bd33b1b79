"""EmbeddingStore: the same vectors, order and exclusions on SQLite and PostgreSQL."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import text

from briefs.models import Brief, Provenance, SourceType
from storage import Database
from storage.embedding_store import from_bytes, to_bytes
from tests.factories import make_new_brief

MODEL = "test-model"


async def _add(database: Database, *texts: str, provenance: Provenance | None = None) -> Brief:
    extra = {"provenance": provenance} if provenance else {}
    return await database.briefs.add(make_new_brief(passages=texts, **extra))


async def _ids(database: Database, brief: Brief) -> list[int]:
    return [p.id for p in await database.briefs.passages(brief.id)]


def test_vectors_round_trip_as_float32_little_endian() -> None:
    data = to_bytes([1.0, -0.5, 0.25])
    assert data == b"\x00\x00\x80?\x00\x00\x00\xbf\x00\x00\x80>"
    assert from_bytes(data).tolist() == [1.0, -0.5, 0.25]


async def test_missing_then_put_then_nothing_missing(database: Database) -> None:
    brief = await _add(database, "First passage.", "Second passage.", "Third passage.")
    ids = await _ids(database, brief)
    missing = await database.embeddings.missing(MODEL, 2)
    assert [p.id for p in missing] == ids[:2]
    assert missing[0].text == "First passage."
    assert await database.embeddings.count_missing(MODEL) == 3
    await database.embeddings.put(MODEL, [(ids[0], [1.0, 0.0]), (ids[1], [0.0, 1.0])])
    assert [p.id for p in await database.embeddings.missing(MODEL, 10)] == ids[2:]
    await database.embeddings.put(MODEL, [(ids[2], [1.0, 1.0]), (ids[0], [0.0, 2.0])])
    assert await database.embeddings.missing(MODEL, 10) == []
    assert await database.embeddings.count_missing(MODEL) == 0
    # another model has its own vectors
    assert await database.embeddings.count_missing("other") == 3
    # put replaced passage 0's vector: it is now nearest to (0, 1)
    hits = await database.embeddings.nearest(MODEL, [0.0, 1.0], 3)
    assert [h.passage.id for h in hits][:2] == sorted(ids[:2])
    assert hits[0].score == pytest.approx(1.0)


async def test_nearest_orders_by_cosine(database: Database) -> None:
    brief = await _add(database, "north", "north-east", "east", "south")
    ids = await _ids(database, brief)
    vectors = [[0.0, 1.0], [1.0, 1.0], [3.0, 0.0], [0.0, -1.0]]
    await database.embeddings.put(MODEL, list(zip(ids, vectors, strict=True)))
    hits = await database.embeddings.nearest(MODEL, [2.0, 0.1], 3)
    assert [h.passage.text for h in hits] == ["east", "north-east", "north"]
    assert hits[0].brief.id == brief.id
    assert hits[0].score == pytest.approx(2.0 / math.hypot(2.0, 0.1), rel=1e-5)
    assert hits[0].score > hits[1].score > hits[2].score
    # a vector of another dimension matches nothing
    assert await database.embeddings.nearest(MODEL, [1.0, 0.0, 0.0], 3) == []
    assert await database.embeddings.nearest(MODEL, [1.0, 0.0], 0) == []


async def test_deleted_briefs_are_left_out(database: Database) -> None:
    kept = await _add(database, "kept passage")
    gone = await _add(database, "deleted passage")
    await database.embeddings.put(
        MODEL,
        [
            ((await _ids(database, kept))[0], [1.0, 0.0]),
            ((await _ids(database, gone))[0], [1.0, 0.0]),
        ],
    )
    await database.briefs.set_deleted(gone.id, True)
    hits = await database.embeddings.nearest(MODEL, [1.0, 0.0], 10)
    assert [h.brief.id for h in hits] == [kept.id]
    await database.briefs.set_deleted(gone.id, False)
    assert len(await database.embeddings.nearest(MODEL, [1.0, 0.0], 10)) == 2


async def test_provenance_exclusion(database: Database) -> None:
    state = await _add(database, "state view", provenance=Provenance.of("state_media", "RU"))
    wire = await _add(database, "wire view", provenance=Provenance.of("wire", None))
    rows = [((await _ids(database, b))[0], [1.0, 0.0]) for b in (state, wire)]
    await database.embeddings.put(MODEL, rows)
    hits = await database.embeddings.nearest(
        MODEL, [1.0, 0.0], 10, exclude_provenance=frozenset({SourceType.STATE_MEDIA})
    )
    assert [h.brief.id for h in hits] == [wire.id]


async def test_vectors_go_with_their_passages(database: Database) -> None:
    brief = await _add(database, "one", "two")
    other = await _add(database, "three")
    rows = [(pid, [1.0, 0.0]) for b in (brief, other) for pid in await _ids(database, b)]
    await database.embeddings.put(MODEL, rows)
    async with database.writing() as conn:
        await conn.execute(text("DELETE FROM briefs WHERE id = :id"), {"id": brief.id})
    async with database.reading() as conn:
        left = (await conn.execute(text("SELECT passage_id FROM passage_embeddings"))).all()
    assert [r.passage_id for r in left] == await _ids(database, other)
