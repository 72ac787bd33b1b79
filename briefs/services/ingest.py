"""Ingest: parse, clean, analyse and de-duplicate a file, then store it in one transaction."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from briefs.errors import DuplicateBriefError, NearDuplicateError, UserError
from briefs.indicators import document_balance
from briefs.ingestion import (
    NEAR_DUPLICATE_JACCARD,
    ParsedDocument,
    bands,
    check_upload,
    content_hash,
    estimate_jaccard,
    minhash_signature,
    parse_document,
)
from briefs.models import Brief, DateOrigin, NewBrief, Provenance
from briefs.passages import make_passages
from briefs.ports import AuditLog, BriefRepository, Clock, SentenceAnalyser
from briefs.provenance import ProvenanceTable, default_table
from briefs.services.actor import Actor

__all__ = ["IngestOutcome", "IngestService", "Overrides", "PreparedBrief"]


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


class IngestService:
    def __init__(
        self,
        briefs: BriefRepository,
        audit: AuditLog,
        model: SentenceAnalyser,
        clock: Clock,
        max_bytes: int,
        provenance: ProvenanceTable | None = None,
    ) -> None:
        self._briefs = briefs
        self._provenance = provenance or default_table()
        self._audit = audit
        self._model = model
        self._clock = clock
        self.max_bytes = max_bytes

    def check_upload(self, filename: str, size: int) -> None:
        """Validate type and size from metadata, before anything is downloaded."""
        check_upload(filename, size, max_bytes=self.max_bytes)

    async def parse(self, filename: str, data: bytes) -> ParsedDocument:
        now = self._clock.now()
        return await asyncio.to_thread(
            parse_document, filename, data, max_bytes=self.max_bytes, now=now
        )

    def classify(self, outlet: str | None, url: str | None) -> Provenance:
        """The provenance table's reading of an outlet name and/or URL."""
        return self._provenance.classify(outlet, url)

    def _analyse(
        self,
        parsed: ParsedDocument,
        filename: str,
        uploaded_by: str,
        provenance: Provenance | None = None,
    ) -> NewBrief:
        sentences = tuple(self._model.analyse(parsed.body))
        signature = minhash_signature(parsed.body)
        return NewBrief(
            title=parsed.title,
            body=parsed.body,
            original_filename=filename,
            source_url=parsed.source_url,
            outlet=parsed.outlet,
            published=parsed.published,
            date_origin=parsed.date_origin,
            uploaded_by=uploaded_by,
            content_hash=content_hash(parsed.body),
            minhash=signature,
            bands=bands(signature),
            tags=parsed.tags,
            balance=document_balance(sentences),
            passages=make_passages(parsed.body),
            sentences=sentences,
            provenance=(
                provenance.as_override()
                if provenance is not None
                else self.classify(parsed.outlet, parsed.source_url)
            ),
        )

    async def prepare_parsed(
        self, parsed: ParsedDocument, filename: str, actor: Actor, overrides: Overrides
    ) -> PreparedBrief:
        parsed = _apply(parsed, overrides)
        brief = await asyncio.to_thread(
            self._analyse, parsed, filename, actor.id, overrides.provenance
        )
        existing = await self._briefs.find_by_hash(brief.content_hash)
        if existing is not None:
            return PreparedBrief(brief, "duplicate", existing, 1.0)
        best: tuple[float, Brief] | None = None
        for candidate in await self._briefs.find_by_bands(brief.bands):
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

    async def prepare(
        self, filename: str, data: bytes, actor: Actor, overrides: Overrides | None = None
    ) -> PreparedBrief:
        parsed = await self.parse(filename, data)
        return await self.prepare_parsed(parsed, filename, actor, overrides or Overrides())

    async def commit(self, prepared: PreparedBrief, actor: Actor, *, force: bool = False) -> Brief:
        """Store a prepared brief. Raises DuplicateBriefError / NearDuplicateError."""
        if prepared.status == "duplicate" and prepared.related is not None:
            raise DuplicateBriefError(_duplicate_message(prepared.related), prepared.related.id)
        if prepared.status == "near_duplicate" and prepared.related is not None and not force:
            raise NearDuplicateError(
                f"Very similar to brief #{prepared.related.id} “{prepared.related.title}” "
                f"({prepared.similarity or 0:.0%} overlap); not stored. Use --force to keep both.",
                prepared.related.id,
                prepared.similarity or 0.0,
            )
        stored = await self._briefs.add(prepared.brief)
        detail = prepared.status + (f" of #{prepared.related.id}" if prepared.related else "")
        await self._audit.record(actor.id, "upload", stored.id, detail)
        return stored

    async def ingest(
        self,
        filename: str,
        data: bytes | ParsedDocument,
        actor: Actor,
        *,
        force: bool = False,
        overrides: Overrides | None = None,
    ) -> IngestOutcome:
        """Prepare and commit; user errors become a "rejected"/"duplicate" outcome, never raise."""
        try:
            if isinstance(data, ParsedDocument):
                prepared = await self.prepare_parsed(
                    data, filename, actor, overrides or Overrides()
                )
            else:
                prepared = await self.prepare(filename, data, actor, overrides)
            stored = await self.commit(prepared, actor, force=force)
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

    async def ingest_many(
        self, files: Sequence[tuple[str, bytes]], actor: Actor, *, force: bool = False
    ) -> list[IngestOutcome]:
        return [await self.ingest(name, data, actor, force=force) for name, data in files]


def _duplicate_message(existing: Brief) -> str:
    state = " (deleted; restore it instead)" if existing.deleted else ""
    return f"Duplicate of brief #{existing.id} “{existing.title}”{state}; nothing stored."


def _apply(parsed: ParsedDocument, overrides: Overrides) -> ParsedDocument:
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
