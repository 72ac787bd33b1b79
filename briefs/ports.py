"""What the core needs from the outside world; `storage/` implements these."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol, runtime_checkable

from briefs.models import (
    AuditEntry,
    Brief,
    DocumentBalance,
    NewBrief,
    Passage,
    Provenance,
    QuestionRecord,
    SearchHit,
    SearchQuery,
    SentenceAnalysis,
    SourceType,
    StoredSentence,
    TermStats,
)

__all__ = [
    "AuditLog",
    "BriefRepository",
    "Clock",
    "Embedder",
    "EmbeddingStore",
    "IngestBatch",
    "IngestBatches",
    "QuestionLog",
    "SearchIndex",
    "SentenceAnalyser",
    "SentenceRepository",
]


class SentenceAnalyser(Protocol):
    """Reads a brief body sentence by sentence (briefs.indicators.IndicatorModel)."""

    @property
    def version(self) -> str: ...

    def analyse(self, text: str) -> list[SentenceAnalysis]: ...


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """Aware UTC now."""
        ...


class BriefRepository(Protocol):
    async def add(self, brief: NewBrief) -> Brief:
        """Store brief, passages, index rows, LSH bands and sentences in ONE transaction.

        Raises DuplicateBriefError if the content hash exists already (a concurrent
        writer that lost the race gets the same error, nothing half-stored).
        """
        ...

    async def get(self, brief_id: int, *, include_deleted: bool = False) -> Brief | None: ...

    async def get_body(self, brief_id: int) -> str | None: ...

    async def list(
        self, *, limit: int = 50, offset: int = 0, include_deleted: bool = False
    ) -> list[Brief]:
        """Newest published first."""
        ...

    async def count(self, *, include_deleted: bool = False) -> int: ...

    async def find_by_hash(self, content_hash: str) -> Brief | None:
        """Includes deleted briefs (a deleted duplicate is reported, then restorable)."""
        ...

    async def find_by_bands(self, bands: Sequence[str]) -> builtins.list[Brief]:
        """Briefs sharing at least one LSH band with `bands` (minhash filled in)."""
        ...

    async def set_deleted(self, brief_id: int, deleted: bool) -> Brief | None: ...

    async def passages(self, brief_id: int) -> builtins.list[Passage]: ...

    async def set_balance(self, brief_id: int, balance: DocumentBalance) -> None: ...

    async def set_provenance(
        self, brief_id: int, provenance: Provenance, *, override: bool
    ) -> Brief | None:
        """Store a brief's provenance; `override` marks it as set by an admin (reclassify
        leaves such briefs alone). None when there is no such brief."""
        ...


class SearchIndex(Protocol):
    @property
    def scores_weigh_rarity(self) -> bool:
        """Whether `search` scores weigh a term by how rare it is (BM25's IDF). When not
        (PostgreSQL's ts_rank_cd), the re-ranking computes its own BM25 instead."""
        ...

    async def search(self, query: SearchQuery) -> list[SearchHit]:
        """BM25 (title boosted) over passages of non-deleted briefs; best first."""
        ...

    async def passage_count(self) -> int: ...

    async def term_stats(self, groups: Sequence[Sequence[str]], cap: int) -> TermStats:
        """Document frequency of each group (passages holding any of its terms), counted
        up to `cap` so that a common word costs no more than a rare one."""
        ...


class SentenceRepository(Protocol):
    async def replace(self, brief_id: int, sentences: Sequence[SentenceAnalysis]) -> None: ...

    async def for_brief(self, brief_id: int) -> list[StoredSentence]: ...

    async def published_between(
        self, start: dt.date, end: dt.date, *, dyad_only: bool = True
    ) -> list[tuple[StoredSentence, Brief]]:
        """Sentences of non-deleted briefs published in [start, end)."""
        ...

    async def brief_ids(self) -> list[int]: ...


class AuditLog(Protocol):
    async def record(
        self, actor: str, action: str, brief_id: int | None = None, detail: str = ""
    ) -> None: ...

    async def recent(self, limit: int = 50) -> list[AuditEntry]: ...


class QuestionLog(Protocol):
    async def log(
        self,
        *,
        text: str,
        answered: bool,
        top_score: float | None,
        latency_ms: float,
        source_ids: Sequence[int],
        asked_by: str,
        platform: str,
    ) -> int:
        """Returns the question id (used by feedback buttons)."""
        ...

    async def feedback(self, question_id: int, user: str, vote: int) -> None:
        """vote is +1 or -1; one vote per user per question (last one wins)."""
        ...

    async def unanswered(self, limit: int = 200) -> list[QuestionRecord]: ...

    async def get(self, question_id: int) -> QuestionRecord | None: ...


class IngestBatch(Protocol):
    """Look-ups and inserts of many briefs in ONE write transaction (the bulk ingest path).

    Look-ups see the briefs added earlier in the same batch. `add` stores one brief or
    nothing of it (raising DuplicateBriefError like `BriefRepository.add`) and leaves the
    rest of the batch intact. The batch is committed when its context exits normally.
    """

    async def find_by_hash(self, content_hash: str) -> Brief | None: ...

    async def find_by_bands(self, bands: Sequence[str]) -> builtins.list[Brief]: ...

    async def add(self, brief: NewBrief) -> Brief: ...

    async def record(
        self, actor: str, action: str, brief_id: int | None = None, detail: str = ""
    ) -> None:
        """An audit row, as `AuditLog.record`, in the batch's transaction."""
        ...


@runtime_checkable
class IngestBatches(Protocol):
    """A `BriefRepository` that can also open an `IngestBatch`."""

    def ingest_batch(self) -> AbstractAsyncContextManager[IngestBatch]: ...


class Embedder(Protocol):
    """Turns texts into fixed-size vectors (the `semantic` extra's sentence model).

    CPU-bound: callers in async code run `embed` in a thread.
    """

    @property
    def model_name(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class EmbeddingStore(Protocol):
    """One vector per passage and embedding model, stored with the passages."""

    async def put(self, model: str, rows: Sequence[tuple[int, Sequence[float]]]) -> None:
        """Store (passage id, vector) rows for `model`, replacing existing ones."""
        ...

    async def missing(self, model: str, limit: int) -> list[Passage]:
        """Up to `limit` passages (any brief) that have no vector for `model` yet."""
        ...

    async def count_missing(self, model: str) -> int: ...

    async def nearest(
        self,
        model: str,
        vector: Sequence[float],
        limit: int,
        *,
        exclude_provenance: frozenset[SourceType] = frozenset(),
    ) -> list[SearchHit]:
        """Passages of non-deleted briefs by cosine similarity to `vector`, best first
        (`SearchHit.score` is the cosine)."""
        ...
