"""`SentenceRepository`: the indicator model's reading of each brief, sentence by sentence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, false, insert, select, true

from briefs.models import Brief, SentenceAnalysis, StoredSentence
from storage._access import Access, table
from storage._brief_rows import BRIEFS, briefs_by_id, sentence_values

__all__ = ["SqlSentenceRepository", "sentence_values"]

_SENTENCES = table("sentences")


def _to_stored(row: Row[Any]) -> StoredSentence:
    m = row._mapping
    return StoredSentence(
        id=m["id"],
        brief_id=m["brief_id"],
        analysis=SentenceAnalysis(
            ordinal=m["ordinal"],
            start=m["start"],
            end=m["end"],
            text=m["text"],
            dyad=bool(m["dyad"]),
            label=m["label"],
            track=m["track"],
            mode=m["mode"],
            score=m["score"],
            confidence=m["confidence"],
            model_version=m["model_version"],
        ),
    )


class SqlSentenceRepository:
    """Implements `briefs.ports.SentenceRepository`."""

    def __init__(self, access: Access) -> None:
        self._access = access

    async def replace(self, brief_id: int, sentences: Sequence[SentenceAnalysis]) -> None:
        """Swap a brief's sentences for `sentences` in one transaction."""
        async with self._access.write() as conn:
            await conn.execute(delete(_SENTENCES).where(_SENTENCES.c.brief_id == brief_id))
            if sentences:
                await conn.execute(insert(_SENTENCES), sentence_values(brief_id, sentences))

    async def for_brief(self, brief_id: int) -> list[StoredSentence]:
        statement = (
            select(_SENTENCES)
            .where(_SENTENCES.c.brief_id == brief_id)
            .order_by(_SENTENCES.c.ordinal, _SENTENCES.c.id)
        )
        async with self._access.read() as conn:
            rows = await conn.execute(statement)
            return [_to_stored(row) for row in rows]

    async def published_between(
        self, start: dt.date, end: dt.date, *, dyad_only: bool = True
    ) -> list[tuple[StoredSentence, Brief]]:
        """Sentences of non-deleted briefs published in [start, end), oldest brief first."""
        statement = (
            select(_SENTENCES)
            .join(BRIEFS, BRIEFS.c.id == _SENTENCES.c.brief_id)
            .where(
                BRIEFS.c.deleted == false(),
                BRIEFS.c.published >= start,
                BRIEFS.c.published < end,
            )
            .order_by(BRIEFS.c.published, BRIEFS.c.id, _SENTENCES.c.ordinal, _SENTENCES.c.id)
        )
        if dyad_only:
            statement = statement.where(_SENTENCES.c.dyad == true())
        async with self._access.read() as conn:
            stored = [_to_stored(row) for row in await conn.execute(statement)]
            briefs = await briefs_by_id(conn, {s.brief_id for s in stored})
        return [(s, briefs[s.brief_id]) for s in stored]

    async def brief_ids(self) -> list[int]:
        """Ids of the briefs that have stored sentences, ascending."""
        statement = select(_SENTENCES.c.brief_id).distinct().order_by(_SENTENCES.c.brief_id)
        async with self._access.read() as conn:
            return [int(v) for v in (await conn.scalars(statement))]
