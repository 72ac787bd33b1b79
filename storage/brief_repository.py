"""`BriefRepository` on SQLAlchemy Core: briefs, their passages, LSH bands and sentences."""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence

from sqlalchemy import false, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from briefs.errors import DuplicateBriefError
from briefs.models import Brief, DocumentBalance, NewBrief, Passage, Provenance
from storage._access import Access, table
from storage._brief_rows import (
    BRIEFS,
    brief_select,
    briefs_by_id,
    provenance_values,
    to_brief,
)
from storage.sentence_repository import sentence_values

__all__ = ["SqlBriefRepository"]

_BANDS = table("brief_bands")
_PASSAGES = table("passages")
_SENTENCES = table("sentences")


class SqlBriefRepository:
    """Implements `briefs.ports.BriefRepository`."""

    def __init__(self, access: Access) -> None:
        self._access = access

    async def add(self, brief: NewBrief) -> Brief:
        ingested_at = self._access.now()
        try:
            async with self._access.write() as conn:
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
                    await conn.execute(
                        insert(_SENTENCES), sentence_values(brief_id, brief.sentences)
                    )
        except IntegrityError as exc:
            existing = await self.find_by_hash(brief.content_hash)
            if existing is None:
                raise
            state = " (deleted; it can be restored)" if existing.deleted else ""
            raise DuplicateBriefError(
                f"This brief is already stored as #{existing.id} “{existing.title}”{state}.",
                existing.id,
            ) from exc
        return Brief(
            id=brief_id,
            title=brief.title,
            original_filename=brief.original_filename,
            source_url=brief.source_url,
            outlet=brief.outlet,
            published=brief.published,
            date_origin=brief.date_origin,
            ingested_at=ingested_at,
            uploaded_by=brief.uploaded_by,
            content_hash=brief.content_hash,
            version=brief.version,
            supersedes_id=brief.supersedes_id,
            deleted=False,
            tags=tuple(brief.tags),
            balance=brief.balance,
            superseded_by_id=None,
            minhash=tuple(int(v) for v in brief.minhash),
            provenance=brief.provenance.stored(),
        )

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
            row = (
                await conn.execute(brief_select().where(BRIEFS.c.content_hash == content_hash))
            ).first()
        return None if row is None else to_brief(row)

    async def find_by_bands(self, bands: Sequence[str]) -> builtins.list[Brief]:
        """Non-deleted briefs sharing at least one band hash, oldest first."""
        wanted = sorted(set(bands))
        if not wanted:
            return []
        matching = select(_BANDS.c.brief_id).where(_BANDS.c.band_hash.in_(wanted)).distinct()
        async with self._access.read() as conn:
            rows = await conn.execute(
                brief_select()
                .where(BRIEFS.c.id.in_(matching), BRIEFS.c.deleted == false())
                .order_by(BRIEFS.c.id)
            )
            return [to_brief(row) for row in rows]

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
