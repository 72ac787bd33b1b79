"""Digest dataclasses: what a digest says, and the sentence ids behind every number.

Everything here is plain data with ``to_dict``/``from_dict`` so a digest can be stored as
JSON, re-rendered later, and explained (``DigestService.explain``) from its stored form.

The display vocabulary (track titles, `Direction`, balance/text formatting) lives in
``briefs.digest._vocabulary`` and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from briefs.digest._vocabulary import (
    TRACK_ORDER,
    Direction,
    fmt_balance,
    shorten,
    source_type_phrase,
    track_title,
)
from briefs.digest.windows import Window
from briefs.provenance.model import UNKNOWN_PROVENANCE, Provenance

__all__ = [
    "TRACK_ORDER",
    "Digest",
    "Direction",
    "Evidence",
    "NewInCorpus",
    "Source",
    "TrackRow",
    "fmt_balance",
    "shorten",
    "track_title",
]


@dataclass(frozen=True, slots=True)
class Evidence:
    """One quoted sentence; ``citation`` is the ``[n]`` into ``Digest.sources``."""

    sentence_id: int
    brief_id: int
    citation: int
    text: str
    label: str
    score: float

    def short(self, max_chars: int) -> str:
        """The sentence cut at a word boundary to ``max_chars`` (with "…")."""
        return shorten(self.text, max_chars)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence_id": self.sentence_id,
            "brief_id": self.brief_id,
            "citation": self.citation,
            "text": self.text,
            "label": self.label,
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evidence:
        return cls(
            int(d["sentence_id"]),
            int(d["brief_id"]),
            int(d["citation"]),
            str(d["text"]),
            str(d["label"]),
            float(d["score"]),
        )


@dataclass(frozen=True, slots=True)
class TrackRow:
    """Numbers for one track (or ``overall``) in the digest window."""

    track: str
    cooperation: int
    tension: int
    balance: float | None  # (coop − tension) / (coop + tension); None when no evidence
    intensity_balance: float | None  # same, each sentence weighted by |score| × confidence
    sources: int  # distinct outlets (a brief without outlet counts as its own source)
    briefs: int
    previous_balance: float | None
    previous_total: int
    direction: Direction
    historical: int = 0  # historical-mode sentences (context only, not in the balance)
    duplicates: int = 0  # sentences dropped as near-duplicate copies
    evidence: tuple[Evidence, ...] = ()
    cooperation_ids: tuple[int, ...] = ()
    tension_ids: tuple[int, ...] = ()
    historical_ids: tuple[int, ...] = ()
    duplicate_ids: tuple[int, ...] = ()
    # counted sentences by their brief's provenance type, and the one side whose state
    # media (or government) all of them come from, e.g. "Russian state media"
    provenance: dict[str, int] = field(default_factory=dict)
    provenance_only: str | None = None

    @property
    def total(self) -> int:
        return self.cooperation + self.tension

    @property
    def delta(self) -> float | None:
        if self.balance is None or self.previous_balance is None:
            return None
        return self.balance - self.previous_balance

    @property
    def title(self) -> str:
        return "Overall" if self.track == "overall" else track_title(self.track)

    @property
    def provenance_shares(self) -> dict[str, float]:
        """Share of the counted sentences by source type, largest first."""
        total = sum(self.provenance.values())
        if not total:
            return {}
        ordered = sorted(self.provenance.items(), key=lambda kv: (-kv[1], kv[0]))
        return {name: count / total for name, count in ordered}

    def provenance_text(self) -> str:
        """`state media 75% · wire service 25%` ("" without evidence)."""
        return " · ".join(
            f"{source_type_phrase(name)} {share:.0%}"
            for name, share in self.provenance_shares.items()
        )

    @property
    def provenance_flag(self) -> str | None:
        """`▼ nuclear — Russian state media only` when the movement rests on one side alone."""
        if not self.direction.moved or not self.provenance_only:
            return None
        return f"{self.direction.arrow} {self.title.lower()} — {self.provenance_only} only"

    def summary(self) -> str:
        """One compact line: ``▲ Military +0.50 (was +0.10) · 6 coop / 2 tension · 3 sources``."""
        if self.direction is Direction.INSUFFICIENT:
            context = f", {self.historical} historical as context" if self.historical else ""
            return (
                f"{self.direction.arrow} {self.title}: insufficient evidence "
                f"({self.total} sentence{'s' if self.total != 1 else ''}{context})"
            )
        was = (
            f" (was {fmt_balance(self.previous_balance)})"
            if self.previous_balance is not None
            else " (no earlier data)"
        )
        return (
            f"{self.direction.arrow} {self.title} {fmt_balance(self.balance)}{was} · "
            f"{self.cooperation} coop / {self.tension} tension · "
            f"{self.sources} source{'s' if self.sources != 1 else ''}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "track": self.track,
            "title": self.title,
            "cooperation": self.cooperation,
            "tension": self.tension,
            "balance": self.balance,
            "intensity_balance": self.intensity_balance,
            "sources": self.sources,
            "briefs": self.briefs,
            "previous_balance": self.previous_balance,
            "previous_total": self.previous_total,
            "delta": self.delta,
            "direction": self.direction.value,
            "arrow": self.direction.arrow,
            "historical": self.historical,
            "duplicates": self.duplicates,
            "evidence": [e.to_dict() for e in self.evidence],
            "sentence_ids": {
                "cooperation": list(self.cooperation_ids),
                "tension": list(self.tension_ids),
                "historical": list(self.historical_ids),
                "duplicates": list(self.duplicate_ids),
            },
            "provenance": dict(self.provenance),
            "provenance_shares": self.provenance_shares,
            "provenance_only": self.provenance_only,
            "provenance_flag": self.provenance_flag,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrackRow:
        ids = d.get("sentence_ids", {})
        return cls(
            track=str(d["track"]),
            cooperation=int(d["cooperation"]),
            tension=int(d["tension"]),
            balance=_opt_float(d.get("balance")),
            intensity_balance=_opt_float(d.get("intensity_balance")),
            sources=int(d["sources"]),
            briefs=int(d["briefs"]),
            previous_balance=_opt_float(d.get("previous_balance")),
            previous_total=int(d.get("previous_total", 0)),
            direction=Direction(d["direction"]),
            historical=int(d.get("historical", 0)),
            duplicates=int(d.get("duplicates", 0)),
            evidence=tuple(Evidence.from_dict(e) for e in d.get("evidence", [])),
            cooperation_ids=tuple(int(i) for i in ids.get("cooperation", [])),
            tension_ids=tuple(int(i) for i in ids.get("tension", [])),
            historical_ids=tuple(int(i) for i in ids.get("historical", [])),
            duplicate_ids=tuple(int(i) for i in ids.get("duplicates", [])),
            provenance={str(k): int(v) for k, v in d.get("provenance", {}).items()},
            provenance_only=d.get("provenance_only"),
        )


@dataclass(frozen=True, slots=True)
class Source:
    """A cited brief: ``[citation]`` in the text points here."""

    citation: int
    brief_id: int
    title: str
    published: dt.date
    outlet: str | None
    url: str | None
    provenance: Provenance = UNKNOWN_PROVENANCE

    @property
    def source_label(self) -> str | None:
        """ "Tasnim — Iranian state media"; the outlet alone when the provenance is unknown."""
        kind = self.provenance.label if self.provenance.known else None
        return " — ".join(p for p in (self.outlet, kind) if p) or None

    def to_dict(self) -> dict[str, Any]:
        return {
            "citation": self.citation,
            "brief_id": self.brief_id,
            "title": self.title,
            "published": self.published.isoformat(),
            "outlet": self.outlet,
            "url": self.url,
            "provenance_type": self.provenance.type.value,
            "provenance_country": self.provenance.country,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Source:
        return cls(
            int(d["citation"]),
            int(d["brief_id"]),
            str(d["title"]),
            dt.date.fromisoformat(d["published"]),
            d.get("outlet"),
            d.get("url"),
            Provenance.of(d.get("provenance_type") or "unknown", d.get("provenance_country")),
        )


@dataclass(frozen=True, slots=True)
class NewInCorpus:
    """A brief ingested during the window; ``backfill`` when published before the window."""

    brief_id: int
    title: str
    published: dt.date
    ingested_at: dt.datetime
    outlet: str | None
    url: str | None
    backfill: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "brief_id": self.brief_id,
            "title": self.title,
            "published": self.published.isoformat(),
            "ingested_at": self.ingested_at.isoformat(),
            "outlet": self.outlet,
            "url": self.url,
            "backfill": self.backfill,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> NewInCorpus:
        return cls(
            int(d["brief_id"]),
            str(d["title"]),
            dt.date.fromisoformat(d["published"]),
            dt.datetime.fromisoformat(d["ingested_at"]),
            d.get("outlet"),
            d.get("url"),
            bool(d["backfill"]),
        )


@dataclass(frozen=True, slots=True)
class Digest:
    id: str
    window: Window
    previous: Window
    generated_at: dt.datetime
    headline: str
    overall: TrackRow
    tracks: tuple[TrackRow, ...]
    sources: tuple[Source, ...]
    new_in_corpus: tuple[NewInCorpus, ...] = ()
    tracks_filter: tuple[str, ...] | None = None
    threshold: float = 0.2
    min_sentences: int = 3
    late: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def track(self, name: str) -> TrackRow | None:
        if name == "overall":
            return self.overall
        return next((row for row in self.tracks if row.track == name), None)

    @property
    def moved_tracks(self) -> tuple[TrackRow, ...]:
        return tuple(row for row in self.tracks if row.direction.moved)

    def source(self, citation: int) -> Source | None:
        return next((s for s in self.sources if s.citation == citation), None)

    def as_late(self) -> Digest:
        """A copy labelled as a late (catch-up) post."""
        return Digest(
            self.id,
            self.window,
            self.previous,
            self.generated_at,
            self.headline,
            self.overall,
            self.tracks,
            self.sources,
            self.new_in_corpus,
            self.tracks_filter,
            self.threshold,
            self.min_sentences,
            True,
            dict(self.extra),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "window": self.window.to_dict(),
            "previous": self.previous.to_dict(),
            "generated_at": self.generated_at.isoformat(),
            "headline": self.headline,
            "overall": self.overall.to_dict(),
            "tracks": [row.to_dict() for row in self.tracks],
            "sources": [s.to_dict() for s in self.sources],
            "new_in_corpus": [n.to_dict() for n in self.new_in_corpus],
            "tracks_filter": list(self.tracks_filter) if self.tracks_filter is not None else None,
            "threshold": self.threshold,
            "min_sentences": self.min_sentences,
            "late": self.late,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Digest:
        tf = d.get("tracks_filter")
        return cls(
            id=str(d["id"]),
            window=Window.from_dict(d["window"]),
            previous=Window.from_dict(d["previous"]),
            generated_at=dt.datetime.fromisoformat(d["generated_at"]),
            headline=str(d["headline"]),
            overall=TrackRow.from_dict(d["overall"]),
            tracks=tuple(TrackRow.from_dict(r) for r in d["tracks"]),
            sources=tuple(Source.from_dict(s) for s in d["sources"]),
            new_in_corpus=tuple(NewInCorpus.from_dict(n) for n in d.get("new_in_corpus", [])),
            tracks_filter=tuple(str(t) for t in tf) if tf is not None else None,
            threshold=float(d.get("threshold", 0.2)),
            min_sentences=int(d.get("min_sentences", 3)),
            late=bool(d.get("late", False)),
            extra=dict(d.get("extra", {})),
        )


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)
