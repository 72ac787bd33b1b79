"""`AuditLog`: who did what to which brief, newest first."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from briefs.models import AuditEntry
from storage._access import Access, table

__all__ = ["SqlAuditLog", "audit_insert"]

_AUDIT = table("audit_log")


def audit_insert(access: Access, actor: str, action: str, brief_id: int | None, detail: str) -> Any:
    """The INSERT of one audit row, stamped with the access's clock."""
    return insert(_AUDIT).values(
        at=access.now(), actor=actor, action=action, brief_id=brief_id, detail=detail
    )


class SqlAuditLog:
    """Implements `briefs.ports.AuditLog`."""

    def __init__(self, access: Access) -> None:
        self._access = access

    async def record(
        self, actor: str, action: str, brief_id: int | None = None, detail: str = ""
    ) -> None:
        async with self._access.write() as conn:
            await conn.execute(audit_insert(self._access, actor, action, brief_id, detail))

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        statement = (
            select(_AUDIT).order_by(_AUDIT.c.at.desc(), _AUDIT.c.id.desc()).limit(max(0, limit))
        )
        async with self._access.read() as conn:
            rows = await conn.execute(statement)
            return [
                AuditEntry(
                    id=row.id,
                    at=row.at,
                    actor=row.actor,
                    action=row.action,
                    brief_id=row.brief_id,
                    detail=row.detail,
                )
                for row in rows
            ]
