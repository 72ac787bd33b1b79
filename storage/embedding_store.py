"""`EmbeddingStore`: passage vectors in `passage_embeddings`, nearest neighbours by cosine.

Vectors are float32 little-endian bytes, one row per passage and model. `nearest` loads
the vectors of live (non-deleted) briefs and ranks them with numpy: exact, and fast enough
for this corpus (a few thousand passages). At 100k briefs that is about 1.4M passages ×
384 floats (~2 GB) read per question: the next step there is a vector index in the
database (pgvector on PostgreSQL, sqlite-vec on SQLite) behind the same port.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Select, and_, false, func, select

from briefs.models import Passage, SearchHit, SourceType
from storage._access import Access, dialect_insert, table
from storage._brief_rows import BRIEFS, briefs_by_id, passage_columns, to_passage

__all__ = ["SqlEmbeddingStore", "from_bytes", "to_bytes"]

_PASSAGES = table("passages")
_EMBEDDINGS = table("passage_embeddings")
_DTYPE = np.dtype("<f4")


def to_bytes(vector: Sequence[float]) -> bytes:
    """float32 little-endian, the stored form."""
    return np.asarray(vector, dtype=_DTYPE).tobytes()


def from_bytes(data: bytes) -> NDArray[np.float32]:
    return np.frombuffer(data, dtype=_DTYPE).astype(np.float32)


def _unit(matrix: NDArray[np.float32]) -> NDArray[np.float32]:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True).astype(np.float32)
    norms[norms == 0] = 1.0
    unit: NDArray[np.float32] = (matrix / norms).astype(np.float32)
    return unit


class SqlEmbeddingStore:
    """Implements `briefs.ports.EmbeddingStore`."""

    def __init__(self, access: Access) -> None:
        self._access = access

    async def put(self, model: str, rows: Sequence[tuple[int, Sequence[float]]]) -> None:
        """Insert or replace the vectors of `rows` (passage id, vector) in one transaction."""
        if not rows:
            return
        values = [
            {"passage_id": pid, "model": model, "dim": len(vector), "vector": to_bytes(vector)}
            for pid, vector in rows
        ]
        insert = dialect_insert(self._access, _EMBEDDINGS)
        statement = insert.on_conflict_do_update(
            index_elements=["passage_id", "model"],
            set_={"dim": insert.excluded.dim, "vector": insert.excluded.vector},
        )
        async with self._access.write() as conn:
            await conn.execute(statement, values)

    def _missing(self, model: str) -> Any:
        e = _EMBEDDINGS.c
        return _PASSAGES.outerjoin(
            _EMBEDDINGS, and_(e.passage_id == _PASSAGES.c.id, e.model == model)
        )

    async def missing(self, model: str, limit: int) -> list[Passage]:
        """Passages of any brief (a deleted one may be restored) without a `model` vector."""
        statement = (
            select(*passage_columns())
            .select_from(self._missing(model))
            .where(_EMBEDDINGS.c.passage_id.is_(None))
            .order_by(_PASSAGES.c.id)
            .limit(max(0, limit))
        )
        async with self._access.read() as conn:
            rows = (await conn.execute(statement)).all()
        return [to_passage(r) for r in rows]

    async def count_missing(self, model: str) -> int:
        statement = (
            select(func.count())
            .select_from(self._missing(model))
            .where(_EMBEDDINGS.c.passage_id.is_(None))
        )
        async with self._access.read() as conn:
            return int(await conn.scalar(statement) or 0)

    async def nearest(
        self,
        model: str,
        vector: Sequence[float],
        limit: int,
        *,
        exclude_provenance: frozenset[SourceType] = frozenset(),
    ) -> list[SearchHit]:
        """Passages of non-deleted briefs, highest cosine first (ties: lower passage id);
        vectors of another dimension than `vector` are ignored."""
        query = np.asarray(vector, dtype=np.float32)
        if limit <= 0 or query.size == 0:
            return []
        async with self._access.read() as conn:
            rows = (await conn.execute(self._vectors(model, query.size, exclude_provenance))).all()
            if not rows:
                return []
            ids = np.fromiter((r.passage_id for r in rows), dtype=np.int64, count=len(rows))
            matrix = np.frombuffer(b"".join(r.vector for r in rows), dtype=_DTYPE)
            matrix = matrix.reshape(len(rows), query.size).astype(np.float32)
            scores = _unit(matrix) @ _unit(query)
            order = np.lexsort((ids, -scores))[:limit]
            best = {int(ids[i]): float(scores[i]) for i in order}
            statement = select(*passage_columns()).where(_PASSAGES.c.id.in_(list(best)))
            found = (await conn.execute(statement)).all()
            passages = {r.id: to_passage(r) for r in found}
            briefs = await briefs_by_id(conn, {r.brief_id for r in found})
        return [
            SearchHit(passage=passages[pid], brief=briefs[passages[pid].brief_id], score=score)
            for pid, score in best.items()
            if pid in passages
        ]

    def _vectors(self, model: str, dim: int, exclude: frozenset[SourceType]) -> Select[Any]:
        e = _EMBEDDINGS.c
        statement = (
            select(e.passage_id, e.vector)
            .select_from(_EMBEDDINGS)
            .join(_PASSAGES, _PASSAGES.c.id == e.passage_id)
            .join(BRIEFS, BRIEFS.c.id == _PASSAGES.c.brief_id)
            .where(e.model == model, e.dim == dim, BRIEFS.c.deleted == false())
        )
        if exclude:
            statement = statement.where(
                BRIEFS.c.provenance_type.not_in(sorted(t.value for t in exclude))
            )
        return statement
