"""Provenance of stored briefs: re-derive from the table, or set by an admin (an override)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from briefs.errors import BriefNotFoundError, UserError
from briefs.models import Brief, Provenance
from briefs.ports import AuditLog, BriefRepository
from briefs.provenance import ProvenanceTable, default_table
from briefs.services.actor import Actor, require_admin

__all__ = ["ProvenanceService", "ReclassifyReport", "parse_provenance"]

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True, slots=True)
class ReclassifyReport:
    checked: int
    changed: tuple[tuple[int, Provenance, Provenance], ...]  # (brief id, before, after)
    overridden: int  # briefs an admin classified by hand, left alone


def parse_provenance(type_: str, country: str | None = None) -> Provenance:
    """An admin's typed-in provenance (`state-media`, `IR`) as an override; UserError if bad."""
    try:
        return Provenance.of(type_, country, override=True)
    except ValueError as exc:
        raise UserError(str(exc)) from None


class ProvenanceService:
    def __init__(
        self, briefs: BriefRepository, audit: AuditLog, table: ProvenanceTable | None = None
    ) -> None:
        self._briefs = briefs
        self._audit = audit
        self.table = table or default_table()

    def classify(self, brief: Brief) -> Provenance:
        return self.table.classify(brief.outlet, brief.source_url)

    async def reclassify(
        self, actor: Actor, *, progress: Progress | None = None, batch: int = 200
    ) -> ReclassifyReport:
        """Re-derive every brief's provenance from the current table (overrides kept)."""
        require_admin(actor, "reclassify briefs")
        total = await self._briefs.count(include_deleted=True)
        changed: list[tuple[int, Provenance, Provenance]] = []
        checked = overridden = offset = 0
        while True:
            page = await self._briefs.list(limit=batch, offset=offset, include_deleted=True)
            if not page:
                break
            offset += len(page)
            for brief in page:
                checked += 1
                if brief.provenance.overridden:
                    overridden += 1
                else:
                    fresh = self.classify(brief).stored()
                    if fresh != brief.provenance:
                        await self._briefs.set_provenance(brief.id, fresh, override=False)
                        changed.append((brief.id, brief.provenance, fresh))
                if progress is not None:
                    progress(checked, max(total, checked))
        await self._audit.record(
            actor.id, "reclassify", None, f"{len(changed)} of {checked} briefs changed"
        )
        return ReclassifyReport(checked, tuple(changed), overridden)

    async def set_source(self, brief_id: int, provenance: Provenance | None, actor: Actor) -> Brief:
        """Set a brief's provenance by hand; None drops the override and re-derives it."""
        require_admin(actor, "set a brief's source type")
        brief = await self._briefs.get(brief_id, include_deleted=True)
        if brief is None:
            raise BriefNotFoundError(f"There is no brief #{brief_id}.")
        if provenance is None:
            value, override = self.classify(brief), False
        else:
            value, override = provenance, True
        stored = await self._briefs.set_provenance(brief_id, value, override=override)
        if stored is None:
            raise BriefNotFoundError(f"There is no brief #{brief_id}.")
        detail = f"{value.type.value}/{value.country or '-'}" if override else "derived from table"
        await self._audit.record(actor.id, "set_source", brief_id, detail)
        return stored
