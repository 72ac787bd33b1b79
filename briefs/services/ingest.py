"""Ingest: parse, clean, analyse and de-duplicate a file, then store it in one transaction.

With a repository that opens `IngestBatch`es (storage's does), every ingest — one chat
upload or a folder from the CLI — runs its look-ups, insert and audit row in ONE write
transaction, and `ingest_many` stores up to `batch_size` briefs per transaction (each in a
savepoint: a brief that fails to store leaves the others). The CPU work (parse, clean,
sentences, indicators, fingerprints) is done before the transaction opens.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace

from briefs.errors import UserError
from briefs.ingestion import (
    ParsedDocument,
    check_upload,
    parse_document,
    remove_repeated_lines,
)
from briefs.models import Brief, NewBrief, Provenance
from briefs.ports import AuditLog, BriefRepository, Clock, IngestBatches, SentenceAnalyser
from briefs.provenance import ProvenanceTable, default_table
from briefs.services._ingest_analysis import Analysis, AnalysisPool, Job, Results
from briefs.services._ingest_steps import (
    IngestOutcome,
    Overrides,
    PreparedBrief,
    apply_overrides,
    commit_to,
    match,
    outcome,
    outcome_in,
)
from briefs.services.actor import Actor

__all__ = ["BATCH_SIZE", "IngestOutcome", "IngestService", "Overrides", "PreparedBrief"]

log = logging.getLogger(__name__)

BATCH_SIZE = 10  # briefs per write transaction in `ingest_many`
POOL_MIN_BRIEFS = 40  # fewer: starting worker processes (~1 s) costs more than it saves
POOL_AHEAD = 3  # chunks analysed ahead of the one being stored
Input = bytes | ParsedDocument
#: Called with the briefs a write transaction stored, after it committed (e.g. to embed them).
AfterCommit = Callable[[Sequence[Brief]], Awaitable[None]]


class IngestService:
    def __init__(
        self,
        briefs: BriefRepository,
        audit: AuditLog,
        model: SentenceAnalyser,
        clock: Clock,
        max_bytes: int,
        provenance: ProvenanceTable | None = None,
        after_commit: AfterCommit | None = None,
    ) -> None:
        self._briefs = briefs
        self._after_commit = after_commit
        self._provenance = provenance or default_table()
        self._audit = audit
        self._model = model
        self._clock = clock
        self.max_bytes = max_bytes
        self._batches = briefs if isinstance(briefs, IngestBatches) else None
        self._analysis = Analysis(model, self._provenance, max_bytes)

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

    async def prepare_parsed(
        self, parsed: ParsedDocument, filename: str, actor: Actor, overrides: Overrides
    ) -> PreparedBrief:
        parsed = apply_overrides(parsed, overrides)
        brief = await asyncio.to_thread(
            self._analysis.brief, parsed, filename, actor.id, overrides.provenance
        )
        return await match(brief, self._briefs)

    async def prepare(
        self, filename: str, data: bytes, actor: Actor, overrides: Overrides | None = None
    ) -> PreparedBrief:
        parsed = await self.parse(filename, data)
        return await self.prepare_parsed(parsed, filename, actor, overrides or Overrides())

    async def commit(self, prepared: PreparedBrief, actor: Actor, *, force: bool = False) -> Brief:
        """Store a prepared brief. Raises DuplicateBriefError / NearDuplicateError."""
        brief = await commit_to(prepared, actor, force, self._briefs, self._audit)
        await self._committed([brief])
        return brief

    async def _committed(self, briefs: Sequence[Brief]) -> None:
        """Run the after-commit hook; its failure is logged, never undoes the ingest."""
        if self._after_commit is None or not briefs:
            return
        try:
            await self._after_commit(briefs)
        except Exception:
            log.exception("after-commit hook failed for briefs %s", [b.id for b in briefs])

    async def ingest(
        self,
        filename: str,
        data: Input,
        actor: Actor,
        *,
        force: bool = False,
        overrides: Overrides | None = None,
    ) -> IngestOutcome:
        """Prepare and commit; user errors become a "rejected"/"duplicate" outcome, never raise."""
        if self._batches is not None:
            done = await self.ingest_many(
                [(filename, data)], actor, force=force, overrides=overrides
            )
            return done[0]
        overrides = overrides or Overrides()

        async def prepare() -> PreparedBrief:
            if isinstance(data, ParsedDocument):
                return await self.prepare_parsed(data, filename, actor, overrides)
            return await self.prepare(filename, data, actor, overrides)

        async def store(prepared: PreparedBrief) -> Brief:
            return await self.commit(prepared, actor, force=force)

        return await outcome(filename, prepare, store)

    async def ingest_many(
        self,
        files: Sequence[tuple[str, Input]],
        actor: Actor,
        *,
        force: bool = False,
        overrides: Overrides | None = None,
        batch_size: int = BATCH_SIZE,
        progress: Callable[[int], None] | None = None,
        pool: AnalysisPool | None = None,
    ) -> list[IngestOutcome]:
        """`ingest` for each file, in order, `batch_size` briefs per write transaction.

        Same outcomes as one `ingest` after another: a later file that duplicates an earlier
        one of the same batch is reported as its duplicate. With a `pool`, the next chunks
        are analysed in its processes while this one is stored. `progress(n)` per chunk.
        """
        overrides = overrides or Overrides()
        step = max(1, batch_size)
        chunks = [files[begin : begin + step] for begin in range(0, len(files), step)]
        if self._batches is None:
            outcomes = []
            for chunk in chunks:
                for name, data in chunk:
                    done = await self.ingest(name, data, actor, force=force, overrides=overrides)
                    outcomes.append(done)
                if progress is not None:
                    progress(len(chunk))
            return outcomes
        now = self._clock.now()

        def jobs(chunk: Sequence[tuple[str, Input]]) -> list[Job]:
            return [(name, data, actor.id, overrides, now) for name, data in chunk]

        ahead: list[asyncio.Future[Results]] = []
        if pool is not None:
            ahead = [pool.submit(jobs(chunk)) for chunk in chunks[:POOL_AHEAD]]
        outcomes = []
        for k, chunk in enumerate(chunks):
            results: Results | None = None
            if pool is not None:
                try:
                    if k + POOL_AHEAD < len(chunks):
                        ahead.append(pool.submit(jobs(chunks[k + POOL_AHEAD])))
                    results = await ahead[k]
                except BrokenProcessPool:  # a worker died: carry on in this process
                    log.warning("ingest worker processes failed; analysing in-process")
                    pool = None
                    for future in ahead[k:]:
                        future.cancel()  # or, when already failed, the failure is seen
                        if future.done() and not future.cancelled():
                            future.exception()
            if results is None:
                results = await self._analyse_here(jobs(chunk))
            stored = await self._store_chunk(self._batches, chunk, results, actor, force)
            outcomes += stored
            await self._committed(
                [o.brief for o in stored if o.brief and o.status in ("added", "new_version")]
            )
            if progress is not None:
                progress(len(chunk))
        return outcomes

    async def ingest_files(
        self,
        files: Sequence[tuple[str, Callable[[], bytes]]],
        actor: Actor,
        *,
        force: bool = False,
        overrides: Overrides | None = None,
        progress: Callable[[str, int, int], None] | None = None,
        workers: int | None = None,
    ) -> list[IngestOutcome]:
        """A folder's worth (the CLI's `ingest`): read and parse each file (its loader may
        raise a UserError: rejected), drop lines repeated across the files (site furniture),
        then `ingest_many`, analysing in `workers` processes (default: 2 where there are 2
        cores and POOL_MIN_BRIEFS briefs or more). Rejected files come first, in order;
        `progress(stage, done, of)`."""
        if workers is None:
            workers = min(2, os.cpu_count() or 1) if len(files) >= POOL_MIN_BRIEFS else 0
        if workers < 2 or self._batches is None:
            return await self._ingest_files(files, actor, force, overrides, progress, None)
        with AnalysisPool(self._analysis, workers) as pool:
            pool.start()  # the workers start up while the files are read and parsed
            return await self._ingest_files(files, actor, force, overrides, progress, pool)

    async def _ingest_files(
        self,
        files: Sequence[tuple[str, Callable[[], bytes]]],
        actor: Actor,
        force: bool,
        overrides: Overrides | None,
        progress: Callable[[str, int, int], None] | None,
        pool: AnalysisPool | None,
    ) -> list[IngestOutcome]:
        outcomes: list[IngestOutcome] = []
        parsed: list[tuple[str, ParsedDocument]] = []
        for done, (name, load) in enumerate(files, 1):
            try:
                parsed.append((name, await self.parse(name, load())))
            except UserError as exc:
                outcomes.append(IngestOutcome(name, "rejected", exc.message))
            if progress is not None:
                progress("Reading", done, len(files))
        bodies = remove_repeated_lines([doc.body for _, doc in parsed])
        cleaned: list[tuple[str, Input]] = [
            (name, replace(doc, body=body) if body.strip() else doc)
            for (name, doc), body in zip(parsed, bodies, strict=True)
        ]
        stored = 0

        def step(n: int) -> None:
            nonlocal stored
            stored += n
            if progress is not None:
                progress("Storing", stored, len(cleaned))

        return outcomes + await self.ingest_many(
            cleaned, actor, force=force, overrides=overrides, progress=step, pool=pool
        )

    async def _analyse_here(self, jobs: Sequence[Job]) -> Results:
        """`Analysis.run` in a thread, one brief per hop so the loop stays responsive."""
        done: list[NewBrief | IngestOutcome] = []
        for job in jobs:
            one, failure = await asyncio.to_thread(self._analysis.run, [job])
            done += one
            if failure is not None:
                return done, failure
        return done, None

    async def _store_chunk(
        self,
        batches: IngestBatches,
        chunk: Sequence[tuple[str, Input]],
        results: Results,
        actor: Actor,
        force: bool,
    ) -> list[IngestOutcome]:
        """One write transaction: match and store each analysed brief of the chunk."""
        ready, failure = results
        outcomes: list[IngestOutcome] = []
        async with batches.ingest_batch() as batch:
            for (name, _), item in zip(chunk, ready, strict=False):
                if isinstance(item, IngestOutcome):
                    outcomes.append(item)
                    continue
                try:
                    outcomes.append(await outcome_in(name, item, actor, force, batch))
                except Exception as exc:  # stop here, but keep what was stored before it
                    failure = exc
                    break
        if failure is not None:
            raise failure
        return outcomes
