"""In-memory fakes of the core's ports, for unit tests of services (no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import zlib
from collections.abc import Sequence

from briefs.errors import DuplicateBriefError
from briefs.models import (
    AuditEntry,
    Brief,
    DateOrigin,
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
from briefs.retrieval.matching import stem_tokens


def stored_brief(brief_id: int, title: str, published: dt.date = dt.date(2016, 8, 23)) -> Brief:
    """A stored brief with plain metadata (for tests that build SearchHits by hand)."""
    return Brief(
        id=brief_id,
        title=title,
        original_filename=f"{brief_id}.md",
        source_url=None,
        outlet="Example",
        published=published,
        date_origin=DateOrigin.TEXT,
        ingested_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        uploaded_by="test",
        content_hash=str(brief_id),
        version=1,
        supersedes_id=None,
        deleted=False,
    )


class FixedClock:
    def __init__(self, now: dt.datetime | None = None) -> None:
        self.current = now or dt.datetime(2025, 1, 20, 9, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.current


class InMemoryStore:
    """Implements BriefRepository, SearchIndex, SentenceRepository, AuditLog, QuestionLog."""

    def __init__(self, clock: FixedClock | None = None) -> None:
        self.clock = clock or FixedClock()
        self.briefs: dict[int, Brief] = {}
        self.bodies: dict[int, str] = {}
        self.band_index: dict[str, set[int]] = {}
        self.passage_rows: dict[int, list[Passage]] = {}
        self.sentence_rows: dict[int, list[StoredSentence]] = {}
        self.audit_rows: list[AuditEntry] = []
        self._ids = 0

    def _next(self) -> int:
        self._ids += 1
        return self._ids

    # BriefRepository
    async def add(self, brief: NewBrief) -> Brief:
        for existing in self.briefs.values():
            if existing.content_hash == brief.content_hash:
                raise DuplicateBriefError("duplicate", existing.id)
        brief_id = self._next()
        stored = brief.stored(brief_id, self.clock.now())
        self.briefs[brief_id] = stored
        if brief.supersedes_id in self.briefs:
            old = self.briefs[brief.supersedes_id]
            self.briefs[old.id] = dataclasses.replace(old, superseded_by_id=brief_id)
        self.bodies[brief_id] = brief.body
        for band in brief.bands:
            self.band_index.setdefault(band, set()).add(brief_id)
        self.passage_rows[brief_id] = [
            Passage(self._next(), brief_id, p.ordinal, p.text, p.start, p.end)
            for p in brief.passages
        ]
        self.sentence_rows[brief_id] = [
            StoredSentence(self._next(), brief_id, s) for s in brief.sentences
        ]
        return stored

    async def get(self, brief_id: int, *, include_deleted: bool = False) -> Brief | None:
        brief = self.briefs.get(brief_id)
        if brief is None or (brief.deleted and not include_deleted):
            return None
        return brief

    async def get_body(self, brief_id: int) -> str | None:
        return self.bodies.get(brief_id)

    async def list(
        self, *, limit: int = 50, offset: int = 0, include_deleted: bool = False
    ) -> list[Brief]:
        rows = [b for b in self.briefs.values() if include_deleted or not b.deleted]
        rows.sort(key=lambda b: (b.published, b.id), reverse=True)
        return rows[offset : offset + limit]

    async def count(self, *, include_deleted: bool = False) -> int:
        return len([b for b in self.briefs.values() if include_deleted or not b.deleted])

    async def find_by_hash(self, content_hash: str) -> Brief | None:
        return next((b for b in self.briefs.values() if b.content_hash == content_hash), None)

    async def find_by_bands(self, bands: Sequence[str]) -> list[Brief]:
        ids = set().union(*(self.band_index.get(b, set()) for b in bands)) if bands else set()
        return [self.briefs[i] for i in sorted(ids)]

    async def set_deleted(self, brief_id: int, deleted: bool) -> Brief | None:
        if brief_id not in self.briefs:
            return None
        self.briefs[brief_id] = dataclasses.replace(self.briefs[brief_id], deleted=deleted)
        return self.briefs[brief_id]

    async def passages(self, brief_id: int) -> list[Passage]:
        return list(self.passage_rows.get(brief_id, []))

    async def set_balance(self, brief_id: int, balance: DocumentBalance) -> None:
        self.briefs[brief_id] = dataclasses.replace(self.briefs[brief_id], balance=balance)

    async def set_provenance(
        self, brief_id: int, provenance: Provenance, *, override: bool
    ) -> Brief | None:
        if brief_id not in self.briefs:
            return None
        stored = Provenance(provenance.type, provenance.country, "override" if override else None)
        self.briefs[brief_id] = dataclasses.replace(self.briefs[brief_id], provenance=stored)
        return self.briefs[brief_id]

    # SearchIndex: a plain TF-IDF stand-in for BM25 with the same group semantics.
    scores_weigh_rarity = True  # `search` sums an IDF per matched group

    async def search(self, query: SearchQuery) -> list[SearchHit]:
        live = [b for b in self.briefs.values() if not b.deleted]
        if not query.include_superseded:
            live = [b for b in live if b.superseded_by_id is None]
        if query.exclude_provenance:
            live = [b for b in live if b.provenance.type not in query.exclude_provenance]
        if query.published_from:
            live = [b for b in live if b.published >= query.published_from]
        if query.published_to:
            live = [b for b in live if b.published < query.published_to]
        passages = [(b, p) for b in live for p in self.passage_rows[b.id]]
        stems = [(b, p, stem_tokens(b.title + " " + p.text)) for b, p in passages]
        groups = [[stem_tokens(t) for t in g if stem_tokens(t)] for g in query.groups]
        groups = [g for g in groups if g]
        hits = []
        for b, p, toks in stems:
            joined = " " + " ".join(toks) + " "
            matched = [g for g in groups if any(" " + " ".join(t) + " " in joined for t in g)]
            if not matched or (query.require_all and len(matched) < len(groups)):
                continue
            score = sum(
                math.log(
                    1
                    + len(stems)
                    / (
                        1
                        + sum(
                            any(" " + " ".join(t) + " " in " " + " ".join(o) + " " for t in g)
                            for _, _, o in stems
                        )
                    )
                )
                for g in matched
            )
            hits.append(SearchHit(p, b, score))
        hits.sort(key=lambda h: -h.score)
        return hits[: query.limit]

    async def passage_count(self) -> int:
        return sum(len(v) for v in self.passage_rows.values())

    async def term_stats(self, groups: Sequence[Sequence[str]], cap: int) -> TermStats:
        texts = [
            " " + " ".join(stem_tokens(b.title + " " + p.text)) + " "
            for b in self.briefs.values()
            for p in self.passage_rows[b.id]
        ]
        frequencies = []
        for group in groups:
            patterns = [" " + " ".join(stem_tokens(t)) + " " for t in group if stem_tokens(t)]
            df = sum(1 for text in texts if any(p in text for p in patterns))
            frequencies.append(min(df, cap) if patterns else 0)
        return TermStats(passages=len(texts), frequencies=tuple(frequencies))

    # SentenceRepository
    async def replace(self, brief_id: int, sentences: Sequence[SentenceAnalysis]) -> None:
        self.sentence_rows[brief_id] = [
            StoredSentence(self._next(), brief_id, s) for s in sentences
        ]

    async def for_brief(self, brief_id: int) -> list[StoredSentence]:
        return list(self.sentence_rows.get(brief_id, []))

    async def published_between(
        self, start: dt.date, end: dt.date, *, dyad_only: bool = True
    ) -> list[tuple[StoredSentence, Brief]]:
        return [
            (s, b)
            for b in self.briefs.values()
            if not b.deleted and start <= b.published < end
            for s in self.sentence_rows.get(b.id, [])
            if s.analysis.dyad or not dyad_only
        ]

    async def brief_ids(self) -> list[int]:
        return sorted(self.briefs)

    # AuditLog
    async def record(
        self, actor: str, action: str, brief_id: int | None = None, detail: str = ""
    ) -> None:
        self.audit_rows.append(
            AuditEntry(self._next(), self.clock.now(), actor, action, brief_id, detail)
        )

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        return list(reversed(self.audit_rows))[:limit]


class InMemoryQuestionLog:
    """Implements QuestionLog."""

    def __init__(self, clock: FixedClock | None = None) -> None:
        self.clock = clock or FixedClock()
        self.question_rows: dict[int, QuestionRecord] = {}
        self.votes: dict[tuple[int, str], int] = {}

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
        qid = len(self.question_rows) + 1
        self.question_rows[qid] = QuestionRecord(
            qid,
            self.clock.now(),
            text,
            answered,
            top_score,
            latency_ms,
            tuple(source_ids),
            asked_by,
            platform,
        )
        return qid

    async def feedback(self, question_id: int, user: str, vote: int) -> None:
        self.votes[(question_id, user)] = vote

    async def unanswered(self, limit: int = 200) -> list[QuestionRecord]:
        rows = [q for q in self.question_rows.values() if not q.answered]
        return list(reversed(rows))[:limit]

    async def get(self, question_id: int) -> QuestionRecord | None:
        return self.question_rows.get(question_id)


class ConceptEmbedder:
    """Implements Embedder deterministically: a bag of concepts hashed into 64 dimensions,
    where a few words share a concept (so paraphrases land close without shared words)."""

    CONCEPTS = {  # noqa: RUF012
        "kremlin": "russia",
        "russian": "russia",
        "moscow": "russia",
        "russia": "russia",
        "persian": "iran",
        "iranian": "iran",
        "tehran": "iran",
        "iran": "iran",
        "warplanes": "bomber",
        "bombers": "bomber",
        "runway": "airbase",
        "base": "airbase",
        "bases": "airbase",
        "stationed": "deploy",
        "fly": "deploy",
    }
    DIM = 64

    def __init__(self) -> None:
        self.calls = 0

    @property
    def model_name(self) -> str:
        return "concept-hash-64"

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        out = []
        for text in texts:
            vector = [0.0] * self.DIM
            for word in re.findall(r"[a-z]+", text.lower()):
                concept = self.CONCEPTS.get(word, word)
                vector[zlib.crc32(concept.encode()) % self.DIM] += 1.0
            out.append(vector)
        return out


class InMemoryEmbeddings:
    """Implements EmbeddingStore over an InMemoryStore's passages."""

    def __init__(self, store: InMemoryStore) -> None:
        self.store = store
        self.vectors: dict[tuple[int, str], list[float]] = {}

    def _passages(self) -> list[tuple[Brief, Passage]]:
        return [(b, p) for b in self.store.briefs.values() for p in self.store.passage_rows[b.id]]

    async def put(self, model: str, rows: Sequence[tuple[int, Sequence[float]]]) -> None:
        for pid, vector in rows:
            self.vectors[(pid, model)] = list(vector)

    async def missing(self, model: str, limit: int) -> list[Passage]:
        todo = [p for _, p in self._passages() if (p.id, model) not in self.vectors]
        return sorted(todo, key=lambda p: p.id)[:limit]

    async def count_missing(self, model: str) -> int:
        return len(await self.missing(model, 1 << 30))

    async def nearest(
        self,
        model: str,
        vector: Sequence[float],
        limit: int,
        *,
        exclude_provenance: frozenset[SourceType] = frozenset(),
    ) -> list[SearchHit]:
        def cosine(a: Sequence[float], b: Sequence[float]) -> float:
            norm = math.hypot(*a) * math.hypot(*b)
            return sum(x * y for x, y in zip(a, b, strict=True)) / norm if norm else 0.0

        hits = [
            SearchHit(p, b, cosine(vector, self.vectors[(p.id, model)]))
            for b, p in self._passages()
            if not b.deleted
            and b.provenance.type not in exclude_provenance
            and (p.id, model) in self.vectors
        ]
        hits.sort(key=lambda h: (-h.score, h.passage.id))
        return hits[:limit]
