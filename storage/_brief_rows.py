"""Selecting brief metadata rows and turning them into `briefs.models.Brief`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, Select, false, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from briefs.models import Brief, DateOrigin, DocumentBalance, Provenance
from storage._access import table

__all__ = [
    "BRIEFS",
    "brief_select",
    "briefs_by_id",
    "not_superseded",
    "provenance_values",
    "to_brief",
]

BRIEFS = table("briefs")
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
