"""`BriefRepository` on SQLAlchemy Core: briefs, their passages, LSH bands and sentences."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager

from sqlalchemy import false, func, select, update
from sqlalchemy.exc import IntegrityError

from briefs.models import Brief, DocumentBalance, NewBrief, Passage, Provenance
from storage._access import Access, table
from storage._brief_rows import (
    BRIEFS,
    brief_select,
    briefs_by_bands,
    briefs_by_hash,
    briefs_by_id,
    insert_brief,
    provenance_values,
    to_brief,
)
from storage.ingest_batch import SqlIngestBatch, duplicate_error, open_ingest_batch

__all__ = ["SqlBriefRepository"]

_PASSAGES = table("passages")


class SqlBriefRepository:
    """Implements `briefs.ports.BriefRepository`."""

    def __init__(self, access: Access) -> None:
        self._access = access

    async def add(self, brief: NewBrief) -> Brief:
        try:
            async with self._access.write() as conn:
                return await insert_brief(conn, brief, self._access.now())
        except IntegrityError as exc:
            async with self._access.read() as conn:
                error = await duplicate_error(conn, brief)
            if error is None:
                raise
            raise error from exc

    def ingest_batch(self) -> AbstractAsyncContextManager[SqlIngestBatch]:
        """One write transaction for many briefs (see `storage.ingest_batch`)."""
        return open_ingest_batch(self._access)

    async def get(self, brief_id: int, *, include_deleted: bool = False) -> Brief | None:
        statement = brief_select().where(BRIEFS.c.id == brief_id)
        if not include_deleted:
            statement = statement.where(BRIEFS.c.deleted == false())
        async with self._access.read() as conn:
            row = (await conn.execute(statement)).first()
        return None if row is None else to_brief(row)

    async def get_body(self, brief_id: int) -> str | None:
        async with self._access.read() as conn:
            body = await conn.scalar(select(BRIEFS.c.body).where(BRIEFS.c.id == brief_id))
        return None if body is None else str(body)

    async def list(
        self, *, limit: int = 50, offset: int = 0, include_deleted: bool = False
    ) -> list[Brief]:
        statement = (
            brief_select()
            .order_by(BRIEFS.c.published.desc(), BRIEFS.c.id.desc())
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        if not include_deleted:
            statement = statement.where(BRIEFS.c.deleted == false())
        async with self._access.read() as conn:
            rows = await conn.execute(statement)
            return [to_brief(row) for row in rows]

    async def count(self, *, include_deleted: bool = False) -> int:
        statement = select(func.count()).select_from(BRIEFS)
        if not include_deleted:
            statement = statement.where(BRIEFS.c.deleted == false())
        async with self._access.read() as conn:
            return int(await conn.scalar(statement) or 0)

    async def find_by_hash(self, content_hash: str) -> Brief | None:
        async with self._access.read() as conn:
            return await briefs_by_hash(conn, content_hash)

    async def find_by_bands(self, bands: Sequence[str]) -> builtins.list[Brief]:
        """Non-deleted briefs sharing at least one band hash, oldest first."""
        async with self._access.read() as conn:
            return await briefs_by_bands(conn, bands)

    async def set_deleted(self, brief_id: int, deleted: bool) -> Brief | None:
        async with self._access.write() as conn:
            result = await conn.execute(
                update(BRIEFS).where(BRIEFS.c.id == brief_id).values(deleted=deleted)
            )
            if result.rowcount == 0:
                return None
            found = await briefs_by_id(conn, [brief_id])
        return found.get(brief_id)

    async def passages(self, brief_id: int) -> builtins.list[Passage]:
        statement = (
            select(_PASSAGES)
            .where(_PASSAGES.c.brief_id == brief_id)
            .order_by(_PASSAGES.c.ordinal, _PASSAGES.c.id)
        )
        async with self._access.read() as conn:
            rows = await conn.execute(statement)
            return [
                Passage(
                    id=row.id,
                    brief_id=row.brief_id,
                    ordinal=row.ordinal,
                    text=row.text,
                    start=row.start,
                    end=row.end,
                )
                for row in rows
            ]

    async def set_balance(self, brief_id: int, balance: DocumentBalance) -> None:
        async with self._access.write() as conn:
            await conn.execute(
                update(BRIEFS)
                .where(BRIEFS.c.id == brief_id)
                .values(
                    balance=balance.balance,
                    top_cooperation=list(balance.top_cooperation),
                    top_tension=list(balance.top_tension),
                )
            )

    async def set_provenance(
        self, brief_id: int, provenance: Provenance, *, override: bool
    ) -> Brief | None:
        stored = Provenance(provenance.type, provenance.country, "override" if override else None)
        async with self._access.write() as conn:
            result = await conn.execute(
                update(BRIEFS).where(BRIEFS.c.id == brief_id).values(**provenance_values(stored))
            )
            if result.rowcount == 0:
                return None
            found = await briefs_by_id(conn, [brief_id])
        return found.get(brief_id)
