"""`IngestBatch`: many briefs checked and stored in ONE write transaction, each in a savepoint.

The bulk path of `IngestService.ingest_many`. Look-ups run on the same connection as the
inserts, so a brief sees the briefs stored before it in the same batch (in-batch duplicates
are caught) and, on SQLite, the write lock taken up front (BEGIN IMMEDIATE) keeps another
writer from slipping a duplicate in between look-up and insert. A brief whose insert fails
is rolled back to its savepoint; the others in the batch are kept.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from briefs.errors import DuplicateBriefError
from briefs.models import Brief, NewBrief
from storage._access import Access
from storage._brief_rows import briefs_by_bands, briefs_by_hash, insert_brief
from storage.audit_log import audit_insert

__all__ = ["SqlIngestBatch", "duplicate_error", "open_ingest_batch"]


async def duplicate_error(conn: AsyncConnection, brief: NewBrief) -> DuplicateBriefError | None:
    """Why an insert failed when it hit the unique content hash; None for another cause."""
    existing = await briefs_by_hash(conn, brief.content_hash)
    if existing is None:
        return None
    state = " (deleted; it can be restored)" if existing.deleted else ""
    return DuplicateBriefError(
        f"This brief is already stored as #{existing.id} “{existing.title}”{state}.",
        existing.id,
    )


class SqlIngestBatch:
    """Implements `briefs.ports.IngestBatch` on one open write transaction."""

    def __init__(self, access: Access, conn: AsyncConnection) -> None:
        self._access = access
        self._conn = conn

    async def find_by_hash(self, content_hash: str) -> Brief | None:
        return await briefs_by_hash(self._conn, content_hash)

    async def find_by_bands(self, bands: Sequence[str]) -> builtins.list[Brief]:
        return await briefs_by_bands(self._conn, bands)

    async def add(self, brief: NewBrief) -> Brief:
        """Insert in a savepoint: on failure nothing of this brief stays, the batch goes on."""
        try:
            async with self._conn.begin_nested():
                return await insert_brief(self._conn, brief, self._access.now())
        except IntegrityError as exc:
            error = await duplicate_error(self._conn, brief)
            if error is None:
                raise
            raise error from exc

    async def record(
        self, actor: str, action: str, brief_id: int | None = None, detail: str = ""
    ) -> None:
        await self._conn.execute(audit_insert(self._access, actor, action, brief_id, detail))


@asynccontextmanager
async def open_ingest_batch(access: Access) -> AsyncIterator[SqlIngestBatch]:
    """Committed at exit, rolled back if the body raises."""
    async with access.write() as conn:
        yield SqlIngestBatch(access, conn)
