"""The steps of an ingest after the CPU work: match against what is stored, commit, report."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from briefs.errors import DuplicateBriefError, NearDuplicateError, UserError
from briefs.ingestion import NEAR_DUPLICATE_JACCARD, ParsedDocument, estimate_jaccard
from briefs.models import Brief, DateOrigin, NewBrief, Provenance
from briefs.ports import IngestBatch
from briefs.services.actor import Actor

__all__ = [
    "IngestOutcome",
    "Overrides",
    "PreparedBrief",
    "apply_overrides",
    "commit_to",
    "match",
    "outcome",
    "outcome_in",
]


class _Lookup(Protocol):
    async def find_by_hash(self, content_hash: str) -> Brief | None: ...

    async def find_by_bands(self, bands: Sequence[str]) -> list[Brief]: ...


class _Writer(Protocol):
    async def add(self, brief: NewBrief) -> Brief: ...


class _Audit(Protocol):
    async def record(
        self, actor: str, action: str, brief_id: int | None = None, detail: str = ""
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class Overrides:
    """What an admin may set at upload instead of what was detected."""

    title: str | None = None
    published: dt.date | None = None
    source: str | None = None  # a URL or an outlet name
    provenance: Provenance | None = None  # instead of the table's classification


@dataclass(frozen=True, slots=True)
class PreparedBrief:
    """A brief parsed and analysed but not stored: what a chat preview shows."""

    brief: NewBrief
    status: str  # "add" | "new_version" | "duplicate" | "near_duplicate"
    related: Brief | None = None  # the duplicate, the superseded or the similar brief
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    filename: str
    status: str  # "added" | "new_version" | "duplicate" | "near_duplicate" | "rejected"
    message: str
    brief: Brief | None = None
    related_id: int | None = None


def _same_title(a: str, b: str) -> bool:
    def norm(t: str) -> str:
        return re.sub(r"\W+", " ", t).strip().lower()

    return norm(a) == norm(b)


async def outcome_in(
    filename: str, brief: NewBrief, actor: Actor, force: bool, batch: IngestBatch
) -> IngestOutcome:
    async def prepare() -> PreparedBrief:
        return await match(brief, batch)

    async def store(prepared: PreparedBrief) -> Brief:
        return await commit_to(prepared, actor, force, batch, batch)

    return await outcome(filename, prepare, store)


async def outcome(
    filename: str,
    prepare: Callable[[], Awaitable[PreparedBrief]],
    store: Callable[[PreparedBrief], Awaitable[Brief]],
) -> IngestOutcome:
    try:
        prepared = await prepare()
        stored = await store(prepared)
    except DuplicateBriefError as exc:
        return IngestOutcome(filename, "duplicate", exc.message, related_id=exc.existing_id)
    except NearDuplicateError as exc:
        return IngestOutcome(filename, "near_duplicate", exc.message, related_id=exc.similar_id)
    except UserError as exc:
        return IngestOutcome(filename, "rejected", exc.message)
    status = "new_version" if prepared.status == "new_version" else "added"
    message = f"Stored as brief #{stored.id}"
    if prepared.related is not None and status == "new_version":
        message += f" (version {stored.version}, supersedes #{prepared.related.id})"
    return IngestOutcome(filename, status, message, stored, stored.supersedes_id)


async def match(brief: NewBrief, lookup: _Lookup) -> PreparedBrief:
    """Exact duplicate, new version, near duplicate or a new brief, against what is stored."""
    existing = await lookup.find_by_hash(brief.content_hash)
    if existing is not None:
        return PreparedBrief(brief, "duplicate", existing, 1.0)
    best: tuple[float, Brief] | None = None
    for candidate in await lookup.find_by_bands(brief.bands):
        score = estimate_jaccard(brief.minhash, candidate.minhash)
        if score >= NEAR_DUPLICATE_JACCARD and (best is None or score > best[0]):
            best = (score, candidate)
    if best is None:
        return PreparedBrief(brief, "add")
    score, similar = best
    same_source = bool(brief.source_url) and brief.source_url == similar.source_url
    if _same_title(brief.title, similar.title) or same_source:
        versioned = replace(brief, version=similar.version + 1, supersedes_id=similar.id)
        return PreparedBrief(versioned, "new_version", similar, score)
    return PreparedBrief(brief, "near_duplicate", similar, score)


async def commit_to(
    prepared: PreparedBrief, actor: Actor, force: bool, briefs: _Writer, audit: _Audit
) -> Brief:
    if prepared.status == "duplicate" and prepared.related is not None:
        raise DuplicateBriefError(_duplicate_message(prepared.related), prepared.related.id)
    if prepared.status == "near_duplicate" and prepared.related is not None and not force:
        raise NearDuplicateError(
            f"Very similar to brief #{prepared.related.id} “{prepared.related.title}” "
            f"({prepared.similarity or 0:.0%} overlap); not stored. Use --force to keep both.",
            prepared.related.id,
            prepared.similarity or 0.0,
        )
    stored = await briefs.add(prepared.brief)
    detail = prepared.status + (f" of #{prepared.related.id}" if prepared.related else "")
    await audit.record(actor.id, "upload", stored.id, detail)
    return stored


def _duplicate_message(existing: Brief) -> str:
    state = " (deleted; restore it instead)" if existing.deleted else ""
    return f"Duplicate of brief #{existing.id} “{existing.title}”{state}; nothing stored."


def apply_overrides(parsed: ParsedDocument, overrides: Overrides) -> ParsedDocument:
    changes: dict[str, object] = {}
    if overrides.title and overrides.title.strip():
        changes["title"] = overrides.title.strip()[:300]
    if overrides.published:
        changes["published"] = overrides.published
        changes["date_origin"] = DateOrigin.FRONT_MATTER
    if overrides.source:
        source = overrides.source.strip()
        if source.startswith(("http://", "https://")):
            changes["source_url"] = source
        else:
            changes["outlet"] = source
    return replace(parsed, **changes) if changes else parsed  # type: ignore[arg-type]
