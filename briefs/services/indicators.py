"""Re-analyse stored briefs with the current indicator model (after a model change)."""

from __future__ import annotations

from collections.abc import Callable

from briefs.indicators import document_balance
from briefs.ports import BriefRepository, SentenceAnalyser, SentenceRepository

__all__ = ["IndicatorService"]


class IndicatorService:
    def __init__(
        self, briefs: BriefRepository, sentences: SentenceRepository, model: SentenceAnalyser
    ) -> None:
        self._briefs = briefs
        self._sentences = sentences
        self._model = model

    async def rebuild(
        self,
        *,
        on_start: Callable[[int], None] | None = None,
        on_progress: Callable[[], None] | None = None,
    ) -> int:
        """Analyse every brief again and replace its stored sentences and balance."""
        total = await self._briefs.count(include_deleted=True)
        if on_start:
            on_start(total)
        done = 0
        offset = 0
        while True:
            page = await self._briefs.list(limit=200, offset=offset, include_deleted=True)
            if not page:
                return done
            offset += len(page)
            for brief in page:
                body = await self._briefs.get_body(brief.id) or ""
                analyses = self._model.analyse(body)
                await self._sentences.replace(brief.id, analyses)
                await self._briefs.set_balance(brief.id, document_balance(analyses))
                done += 1
                if on_progress:
                    on_progress()
