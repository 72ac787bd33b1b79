"""In-memory fakes of the digest ports and builders of sentences/briefs for digest tests."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefs.digest.model import Digest
from briefs.models import Brief, DateOrigin, SentenceAnalysis, StoredSentence

_ids = itertools.count(1)


@dataclass
class FixedClock:
    at: dt.datetime = dt.datetime(2025, 1, 20, 7, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.at


def brief(
    brief_id: int,
    published: dt.date,
    *,
    title: str | None = None,
    outlet: str | None = "Outlet",
    url: str | None = None,
    ingested_at: dt.datetime | None = None,
    supersedes_id: int | None = None,
    superseded_by_id: int | None = None,
    version: int = 1,
    deleted: bool = False,
) -> Brief:
    return Brief(
        id=brief_id,
        title=title or f"Brief {brief_id}",
        original_filename=f"b{brief_id}.md",
        source_url=url if url is not None else f"https://example.org/{brief_id}",
        outlet=outlet,
        published=published,
        date_origin=DateOrigin.FRONT_MATTER,
        ingested_at=ingested_at or dt.datetime.combine(published, dt.time(12), tzinfo=dt.UTC),
        uploaded_by="tester",
        content_hash=f"h{brief_id}",
        version=version,
        supersedes_id=supersedes_id,
        deleted=deleted,
        superseded_by_id=superseded_by_id,
    )


def sentence(
    brief_id: int,
    text: str,
    label: str = "cooperation",
    track: str = "military",
    *,
    mode: str = "asserted",
    score: float | None = None,
    confidence: float = 0.9,
    dyad: bool = True,
    sentence_id: int | None = None,
) -> StoredSentence:
    if score is None:
        score = {"cooperation": 6.0, "tension": -6.5, "neutral": 0.0}[label]
    return StoredSentence(
        id=sentence_id if sentence_id is not None else next(_ids),
        brief_id=brief_id,
        analysis=SentenceAnalysis(
            ordinal=0,
            start=0,
            end=len(text),
            text=text,
            dyad=dyad,
            label=label,
            track=track,
            mode=mode,
            score=score,
            confidence=confidence,
            model_version="test",
        ),
    )


@dataclass
class FakeCorpus:
    """SentenceRepository + IngestedBriefs over in-memory lists."""

    rows: list[tuple[StoredSentence, Brief]] = field(default_factory=list)
    briefs: dict[int, Brief] = field(default_factory=dict)
    calls: int = 0

    def add(self, b: Brief, *sentences: StoredSentence) -> Brief:
        self.briefs[b.id] = b
        for s in sentences:
            self.rows.append((s, b))
        return b

    async def replace(self, brief_id: int, sentences: Sequence[SentenceAnalysis]) -> None:
        raise NotImplementedError

    async def for_brief(self, brief_id: int) -> list[StoredSentence]:
        return [s for s, b in self.rows if b.id == brief_id]

    async def published_between(
        self, start: dt.date, end: dt.date, *, dyad_only: bool = True
    ) -> list[tuple[StoredSentence, Brief]]:
        self.calls += 1
        return [
            (s, b)
            for s, b in self.rows
            if start <= b.published < end and not b.deleted and (s.analysis.dyad or not dyad_only)
        ]

    async def brief_ids(self) -> list[int]:
        return sorted(self.briefs)

    async def ingested_between(self, start: dt.datetime, end: dt.datetime) -> list[Brief]:
        return [b for b in self.briefs.values() if start <= b.ingested_at < end and not b.deleted]


@dataclass
class FakeDigests:
    saved: dict[str, Digest] = field(default_factory=dict)

    async def save(self, digest: Digest) -> None:
        self.saved.setdefault(digest.id, digest)

    async def get(self, digest_id: str) -> Digest | None:
        return self.saved.get(digest_id)
