"""Selecting brief metadata rows and turning them into `briefs.models.Brief`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, Select, false, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from briefs.models import (
    Brief,
    DateOrigin,
    DocumentBalance,
    NewBrief,
    Passage,
    Provenance,
    SentenceAnalysis,
)
from storage._access import table

__all__ = [
    "BRIEFS",
    "brief_select",
    "briefs_by_bands",
    "briefs_by_hash",
    "briefs_by_id",
    "insert_brief",
    "not_superseded",
    "passage_columns",
    "provenance_values",
    "sentence_values",
    "to_brief",
    "to_passage",
]

BRIEFS = table("briefs")
_BANDS = table("brief_bands")
_PASSAGES = table("passages")
_SENTENCES = table("sentences")
_SUCCESSORS = BRIEFS.alias("successor")


def _superseded_by() -> Any:
    """The newest non-deleted brief whose `supersedes_id` points at this one."""
    return (
        select(func.max(_SUCCESSORS.c.id))
        .where(_SUCCESSORS.c.supersedes_id == BRIEFS.c.id, _SUCCESSORS.c.deleted == false())
        .scalar_subquery()
        .label("superseded_by_id")
    )


def not_superseded() -> Any:
    """WHERE clause: no non-deleted brief supersedes this one."""
    return ~(
        select(_SUCCESSORS.c.id)
        .where(_SUCCESSORS.c.supersedes_id == BRIEFS.c.id, _SUCCESSORS.c.deleted == false())
        .exists()
    )


def brief_select() -> Select[Any]:
    """All metadata columns of `briefs` (not the body) plus the derived successor id."""
    columns = [c for c in BRIEFS.c if c.name != "body"]
    return select(*columns, _superseded_by())


def to_brief(row: Row[Any]) -> Brief:
    m = row._mapping
    return Brief(
        id=m["id"],
        title=m["title"],
        original_filename=m["original_filename"],
        source_url=m["source_url"],
        outlet=m["outlet"],
        published=m["published"],
        date_origin=DateOrigin(m["date_origin"]),
        ingested_at=m["ingested_at"],
        uploaded_by=m["uploaded_by"],
        content_hash=m["content_hash"],
        version=m["version"],
        supersedes_id=m["supersedes_id"],
        deleted=bool(m["deleted"]),
        tags=tuple(m["tags"] or ()),
        balance=DocumentBalance(
            m["balance"], tuple(m["top_cooperation"] or ()), tuple(m["top_tension"] or ())
        ),
        superseded_by_id=m["superseded_by_id"],
        minhash=tuple(int(v) for v in json.loads(m["minhash"] or "[]")),
        provenance=Provenance.of(
            m["provenance_type"] or "unknown",
            m["provenance_country"],
            override=bool(m["provenance_override"]),
        ),
    )


def passage_columns() -> list[Any]:
    """The `passages` columns `to_passage` reads."""
    p = _PASSAGES.c
    return [p.id, p.brief_id, p.ordinal, p.text, p.start, p.end]


def to_passage(row: Row[Any]) -> Passage:
    return Passage(row.id, row.brief_id, row.ordinal, row.text, row.start, row.end)


def provenance_values(provenance: Provenance) -> dict[str, object]:
    """Column values of the `briefs.provenance_*` columns."""
    return {
        "provenance_type": provenance.type.value,
        "provenance_country": provenance.country,
        "provenance_override": provenance.overridden,
    }


async def briefs_by_id(conn: AsyncConnection, ids: Iterable[int]) -> dict[int, Brief]:
    """Briefs (deleted or not) for the given ids, keyed by id."""
    wanted: Sequence[int] = sorted(set(ids))
    if not wanted:
        return {}
    rows = await conn.execute(brief_select().where(BRIEFS.c.id.in_(wanted)))
    return {brief.id: brief for brief in map(to_brief, rows)}


def sentence_values(brief_id: int, sentences: Sequence[SentenceAnalysis]) -> list[dict[str, Any]]:
    """Insert parameters for a brief's sentences."""
    return [
        {
            "brief_id": brief_id,
            "ordinal": s.ordinal,
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "dyad": bool(s.dyad),
            "label": s.label,
            "track": s.track,
            "mode": s.mode,
            "score": float(s.score),
            "confidence": float(s.confidence),
            "model_version": s.model_version,
        }
        for s in sentences
    ]


async def briefs_by_hash(conn: AsyncConnection, content_hash: str) -> Brief | None:
    """The brief (deleted or not) with this content hash."""
    row = (await conn.execute(brief_select().where(BRIEFS.c.content_hash == content_hash))).first()
    return None if row is None else to_brief(row)


async def briefs_by_bands(conn: AsyncConnection, bands: Sequence[str]) -> list[Brief]:
    """Non-deleted briefs sharing at least one band hash, oldest first."""
    wanted = sorted(set(bands))
    if not wanted:
        return []
    matching = select(_BANDS.c.brief_id).where(_BANDS.c.band_hash.in_(wanted)).distinct()
    rows = await conn.execute(
        brief_select()
        .where(BRIEFS.c.id.in_(matching), BRIEFS.c.deleted == false())
        .order_by(BRIEFS.c.id)
    )
    return [to_brief(row) for row in rows]


async def insert_brief(conn: AsyncConnection, brief: NewBrief, ingested_at: dt.datetime) -> Brief:
    """Insert a brief with its LSH bands, passages and sentences (executemany) on `conn`."""
    inserted = await conn.execute(
        insert(BRIEFS)
        .values(
            title=brief.title,
            original_filename=brief.original_filename,
            source_url=brief.source_url,
            outlet=brief.outlet,
            published=brief.published,
            date_origin=brief.date_origin.value,
            ingested_at=ingested_at,
            uploaded_by=brief.uploaded_by,
            content_hash=brief.content_hash,
            minhash=json.dumps([int(v) for v in brief.minhash]),
            version=brief.version,
            supersedes_id=brief.supersedes_id,
            deleted=False,
            tags=list(brief.tags),
            body=brief.body,
            balance=brief.balance.balance,
            top_cooperation=list(brief.balance.top_cooperation),
            top_tension=list(brief.balance.top_tension),
            **provenance_values(brief.provenance),
        )
        .returning(BRIEFS.c.id)
    )
    brief_id = int(inserted.scalar_one())
    if brief.bands:
        await conn.execute(
            insert(_BANDS),
            [
                {"brief_id": brief_id, "band_no": no, "band_hash": band}
                for no, band in enumerate(brief.bands)
            ],
        )
    if brief.passages:
        await conn.execute(
            insert(_PASSAGES),
            [
                {
                    "brief_id": brief_id,
                    "ordinal": p.ordinal,
                    "title": brief.title,
                    "text": p.text,
                    "start": p.start,
                    "end": p.end,
                }
                for p in brief.passages
            ],
        )
    if brief.sentences:
        await conn.execute(insert(_SENTENCES), sentence_values(brief_id, brief.sentences))
    return brief.stored(brief_id, ingested_at)
