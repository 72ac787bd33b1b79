"""Browse and manage stored briefs: list, show, search, delete, restore."""

from __future__ import annotations

import builtins
from collections import Counter
from dataclasses import dataclass

from briefs.errors import BriefNotFoundError
from briefs.models import Brief, SearchHit
from briefs.ports import AuditLog, BriefRepository, SearchIndex, SentenceRepository
from briefs.retrieval.query import plan_query
from briefs.services.actor import Actor, require_admin

__all__ = ["BriefCatalog", "BriefDetail"]


@dataclass(frozen=True, slots=True)
class BriefDetail:
    brief: Brief
    body: str
    passages: int
    dyad_sentences: int
    label_counts: dict[str, int]  # cooperation / tension / neutral among dyad sentences


class BriefCatalog:
    def __init__(
        self,
        briefs: BriefRepository,
        search: SearchIndex,
        sentences: SentenceRepository,
        audit: AuditLog,
    ) -> None:
        self._briefs = briefs
        self._search = search
        self._sentences = sentences
        self._audit = audit

    async def list(
        self, *, limit: int = 50, offset: int = 0, include_deleted: bool = False
    ) -> builtins.list[Brief]:
        limit = max(1, min(limit, 500))
        return await self._briefs.list(
            limit=limit, offset=max(0, offset), include_deleted=include_deleted
        )

    async def get(self, brief_id: int, *, include_deleted: bool = False) -> Brief:
        brief = await self._briefs.get(brief_id, include_deleted=include_deleted)
        if brief is None:
            raise BriefNotFoundError(f"There is no brief #{brief_id}.")
        return brief

    async def show(self, brief_id: int) -> BriefDetail:
        brief = await self.get(brief_id, include_deleted=True)
        body = await self._briefs.get_body(brief_id) or ""
        passages = await self._briefs.passages(brief_id)
        rows = [s for s in await self._sentences.for_brief(brief_id) if s.analysis.dyad]
        labels = Counter(s.analysis.label for s in rows)
        return BriefDetail(brief, body, len(passages), len(rows), dict(labels))

    async def search(self, query: str, *, limit: int = 10) -> builtins.list[SearchHit]:
        plan = plan_query(query)
        hits = await self._search.search(plan.search_query(max(1, min(limit * 3, 100))))
        best: dict[int, SearchHit] = {}
        for hit in hits:  # one hit per brief: the best passage
            best.setdefault(hit.brief.id, hit)
        return list(best.values())[:limit]

    async def delete(self, brief_id: int, actor: Actor) -> Brief:
        require_admin(actor, "delete briefs")
        return await self._set_deleted(brief_id, True, actor)

    async def restore(self, brief_id: int, actor: Actor) -> Brief:
        require_admin(actor, "restore briefs")
        return await self._set_deleted(brief_id, False, actor)

    async def _set_deleted(self, brief_id: int, deleted: bool, actor: Actor) -> Brief:
        brief = await self._briefs.set_deleted(brief_id, deleted)
        if brief is None:
            raise BriefNotFoundError(f"There is no brief #{brief_id}.")
        await self._audit.record(actor.id, "delete" if deleted else "restore", brief_id)
        return brief
