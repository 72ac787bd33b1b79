"""What an answer is, independent of how a platform shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefs.models import UNKNOWN_PROVENANCE, Brief, Provenance

__all__ = ["NOT_COVERED", "Answer", "Citation"]

NOT_COVERED = "The corpus does not cover this."


@dataclass(frozen=True, slots=True)
class Citation:
    number: int
    brief_id: int
    title: str
    published: dt.date
    date_inferred: bool
    outlet: str | None
    url: str | None
    original_filename: str
    provenance: Provenance = UNKNOWN_PROVENANCE

    @classmethod
    def of(cls, number: int, brief: Brief) -> Citation:
        return cls(
            number=number,
            brief_id=brief.id,
            title=brief.title,
            published=brief.published,
            date_inferred=brief.date_origin.inferred,
            outlet=brief.outlet,
            url=brief.source_url,
            original_filename=brief.original_filename,
            provenance=brief.provenance,
        )

    @property
    def date_label(self) -> str:
        text = self.published.isoformat()
        return f"{text} (date inferred)" if self.date_inferred else text

    @property
    def source_label(self) -> str | None:
        """ "Tasnim — Iranian state media"; the outlet alone when the provenance is unknown."""
        kind = self.provenance.label if self.provenance.known else None
        parts = [p for p in (self.outlet, kind) if p]
        return " — ".join(parts) or None

    def line(self) -> str:
        """`[n] Title — 2016-08-22 (date inferred) — Outlet — Iranian state media — url`"""
        parts = [f"[{self.number}] {self.title}", self.date_label]
        if self.source_label:
            parts.append(self.source_label)
        if self.url:
            parts.append(self.url)
        return " — ".join(parts)


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    text: str  # sentences ending in [n] markers, or NOT_COVERED
    abstained: bool
    sources: tuple[Citation, ...]  # numbered in citation order
    as_of: dt.date | None = None
    notes: tuple[str, ...] = ()
    closest: tuple[Citation, ...] = ()  # when abstained: the nearest briefs, for orientation
    closest_evidence: str | None = None
    question_id: int | None = None
    top_score: float | None = None
    generated_by: str = "extractive"

    def as_markdown(self) -> str:
        lines = [self.text]
        if self.as_of and not self.abstained:
            lines.append(f"\n_As of {self.as_of.isoformat()} (newest source used)._")
        lines.extend(f"_{note}_" for note in self.notes)
        if self.sources:
            lines.append("\nSources:")
            lines.extend(c.line() for c in self.sources)
        if self.closest:
            if self.closest_evidence:
                lines.append(f"\nClosest evidence: “{self.closest_evidence}”")
            lines.append("\nClosest briefs:")
            lines.extend(c.line() for c in self.closest)
        return "\n".join(lines)
