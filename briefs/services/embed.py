"""Embed passages that have no vector yet (the `semantic` extra's index)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from briefs.models import Brief
from briefs.ports import Embedder, EmbeddingStore

__all__ = ["EMBED_BATCH", "EmbeddingIndexer"]

EMBED_BATCH = 64  # passages per model call and per write transaction


class EmbeddingIndexer:
    """Fills the embedding store for one model, in batches, the model running in a thread."""

    def __init__(
        self, embedder: Embedder, store: EmbeddingStore, *, batch_size: int = EMBED_BATCH
    ) -> None:
        self.embedder = embedder
        self.store = store
        self.batch_size = max(1, batch_size)

    async def pending(self) -> int:
        """Passages still missing a vector for this model."""
        return await self.store.count_missing(self.embedder.model_name)

    async def embed_missing(self, progress: Callable[[int], None] | None = None) -> int:
        """Embed every passage missing a vector; returns how many. `progress(n)` per batch."""
        model = self.embedder.model_name
        done = 0
        while passages := await self.store.missing(model, self.batch_size):
            vectors = await asyncio.to_thread(self.embedder.embed, [p.text for p in passages])
            await self.store.put(model, [(p.id, v) for p, v in zip(passages, vectors, strict=True)])
            done += len(passages)
            if progress is not None:
                progress(len(passages))
        return done

    async def after_commit(self, briefs: Sequence[Brief]) -> None:
        """The ingest hook: new briefs' passages (and any others still missing) get vectors."""
        if briefs:
            await self.embed_missing()
