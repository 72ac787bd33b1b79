"""Domain dataclasses shared by the core, storage and adapters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from briefs.provenance.model import UNKNOWN_PROVENANCE, Provenance, SourceType

__all__ = [
    "UNKNOWN_PROVENANCE",
    "AuditEntry",
    "Brief",
    "DateOrigin",
    "DocumentBalance",
    "NewBrief",
    "NewPassage",
    "Passage",
    "Provenance",
    "QuestionRecord",
    "SearchHit",
    "SearchQuery",
    "SentenceAnalysis",
    "SourceType",
    "StoredSentence",
    "TermStats",
]


class DateOrigin(StrEnum):
    FRONT_MATTER = "front_matter"
    PAGE_METADATA = "page_metadata"
    TEXT = "inferred_from_text"
    UPLOAD = "upload_time"

    @property
    def inferred(self) -> bool:
        return self in (DateOrigin.TEXT, DateOrigin.UPLOAD)


@dataclass(frozen=True, slots=True)
class DocumentBalance:
    """A brief's overall balance in [-1, 1] and its strongest tracks on each side."""

    balance: float | None
    top_cooperation: tuple[str, ...] = ()
    top_tension: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NewPassage:
    ordinal: int
    text: str
    start: int  # char offsets into the brief body
    end: int


@dataclass(frozen=True, slots=True)
class SentenceAnalysis:
    """One sentence of a brief as the indicator model read it."""

    ordinal: int
    start: int
    end: int
    text: str
    dyad: bool
    label: str  # cooperation | tension | neutral
    track: str  # one of briefs.indicators TRACKS
    mode: str  # asserted | negated | hypothetical | historical
    score: float  # signed intensity (Goldstein-like scale, -10..+10)
    confidence: float  # 0..1
    model_version: str


@dataclass(frozen=True, slots=True)
class NewBrief:
    """Everything needed to store one brief in a single transaction."""

    title: str
    body: str
    original_filename: str
    source_url: str | None
    outlet: str | None
    published: dt.date
    date_origin: DateOrigin
    uploaded_by: str
    content_hash: str
    minhash: tuple[int, ...]
    bands: tuple[str, ...]
    tags: tuple[str, ...] = ()
    version: int = 1
    supersedes_id: int | None = None
    balance: DocumentBalance = field(default_factory=lambda: DocumentBalance(None))
    passages: tuple[NewPassage, ...] = ()
    sentences: tuple[SentenceAnalysis, ...] = ()
    provenance: Provenance = UNKNOWN_PROVENANCE  # matched_by "override": an admin set it

    def stored(self, brief_id: int, ingested_at: dt.datetime) -> Brief:
        """The metadata a repository returns once this brief is stored as `brief_id`."""
        return Brief(
            id=brief_id,
            title=self.title,
            original_filename=self.original_filename,
            source_url=self.source_url,
            outlet=self.outlet,
            published=self.published,
            date_origin=self.date_origin,
            ingested_at=ingested_at,
            uploaded_by=self.uploaded_by,
            content_hash=self.content_hash,
            version=self.version,
            supersedes_id=self.supersedes_id,
            deleted=False,
            tags=tuple(self.tags),
            balance=self.balance,
            minhash=tuple(int(v) for v in self.minhash),
            provenance=self.provenance.stored(),
        )


@dataclass(frozen=True, slots=True)
class Brief:
    """A stored brief's metadata (the body is fetched separately)."""

    id: int
    title: str
    original_filename: str
    source_url: str | None
    outlet: str | None
    published: dt.date
    date_origin: DateOrigin
    ingested_at: dt.datetime  # aware UTC
    uploaded_by: str
    content_hash: str
    version: int
    supersedes_id: int | None
    deleted: bool
    tags: tuple[str, ...] = ()
    balance: DocumentBalance = field(default_factory=lambda: DocumentBalance(None))
    superseded_by_id: int | None = None
    minhash: tuple[int, ...] = ()
    provenance: Provenance = UNKNOWN_PROVENANCE  # as stored (see Provenance.stored)


@dataclass(frozen=True, slots=True)
class Passage:
    id: int
    brief_id: int
    ordinal: int
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A sanitised full-text query.

    `groups` holds one tuple per concept of the question; each tuple lists interchangeable
    terms (a word or a multi-word phrase, letters/digits/spaces only). A passage matches a
    group when it contains any of the group's terms. With `require_all` every group must
    match, otherwise any group is enough; ranking is BM25 either way.
    """

    groups: tuple[tuple[str, ...], ...]
    require_all: bool = False
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    limit: int = 20
    include_superseded: bool = True
    exclude_provenance: frozenset[SourceType] = frozenset()  # briefs of these types skipped


@dataclass(frozen=True, slots=True)
class TermStats:
    """How common each concept of a query is in the index.

    `frequencies[i]` counts the passages matching any term of `groups[i]`, stopping at the
    cap asked for (so a count equal to the cap means "at least that many").
    """

    passages: int
    frequencies: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SearchHit:
    passage: Passage
    brief: Brief
    score: float  # higher is better; comparable within one result list only


@dataclass(frozen=True, slots=True)
class StoredSentence:
    id: int
    brief_id: int
    analysis: SentenceAnalysis


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    action: str
    brief_id: int | None
    detail: str


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """A logged question, for the gaps report and feedback."""

    id: int
    asked_at: dt.datetime
    text: str
    answered: bool
    top_score: float | None
    latency_ms: float
    source_ids: tuple[int, ...]
    asked_by: str
    platform: str
    upvotes: int = 0
    downvotes: int = 0
