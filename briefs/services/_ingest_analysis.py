"""The CPU half of an ingest (parse, sentences, indicators, passages, fingerprints), runnable
in worker processes so that, on a multi-core box, brief N+1 is analysed while N is stored.

`Analysis` holds what the work needs (the sentence model, the provenance table, the size
limit) and pickles once per worker process: `AnalysisPool` hands it over at worker start.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from briefs.errors import UserError
from briefs.indicators import document_balance
from briefs.ingestion import (
    ParsedDocument,
    bands,
    content_hash,
    minhash_signature,
    parse_document,
)
from briefs.models import NewBrief, Provenance
from briefs.passages import make_passages
from briefs.ports import SentenceAnalyser
from briefs.provenance import ProvenanceTable
from briefs.services._ingest_steps import IngestOutcome, Overrides, apply_overrides

__all__ = ["Analysis", "AnalysisPool", "Job", "Results"]

# (filename, file bytes or parsed document, uploader id, overrides, "now" for date guesses)
Job = tuple[str, bytes | ParsedDocument, str, Overrides, dt.datetime]
# A brief ready to store or a rejection, per job in order; then the error that stopped the
# run (an unexpected one: the jobs after it were not done).
Results = tuple[list[NewBrief | IngestOutcome], BaseException | None]


@dataclass(frozen=True, slots=True)
class Analysis:
    model: SentenceAnalyser
    provenance: ProvenanceTable
    max_bytes: int

    def brief(
        self,
        parsed: ParsedDocument,
        filename: str,
        uploaded_by: str,
        provenance: Provenance | None = None,
    ) -> NewBrief:
        """The brief as it will be stored. One sentence split serves indicators and passages
        (`briefs.text` caches the last bodies split)."""
        sentences = tuple(self.model.analyse(parsed.body))
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
                else self.provenance.classify(parsed.outlet, parsed.source_url)
            ),
        )

    def read(self, job: Job) -> NewBrief:
        """Parse (unless already parsed), apply the overrides and analyse."""
        filename, data, uploaded_by, overrides, now = job
        if isinstance(data, ParsedDocument):
            parsed = data
        else:
            parsed = parse_document(filename, data, max_bytes=self.max_bytes, now=now)
        parsed = apply_overrides(parsed, overrides)
        return self.brief(parsed, filename, uploaded_by, overrides.provenance)

    def run(self, jobs: Sequence[Job]) -> Results:
        """Each job in order: user errors become rejections, anything else stops the run."""
        done: list[NewBrief | IngestOutcome] = []
        for job in jobs:
            try:
                done.append(self.read(job))
            except UserError as exc:
                done.append(IngestOutcome(job[0], "rejected", exc.message))
            except Exception as exc:  # handed back: the briefs before it are still stored
                return done, exc
        return done, None


# In a worker process: the Analysis it was started with (set once by `_install`).
_worker: list[Analysis] = []


def _install(analysis: Analysis) -> None:
    _worker[:] = [analysis]


def _run_installed(jobs: Sequence[Job]) -> Results:
    return _worker[0].run(jobs)


class AnalysisPool:
    """`workers` processes (forkserver: no fork of a threaded process) running `Analysis.run`."""

    def __init__(self, analysis: Analysis, workers: int) -> None:
        self._workers = workers
        context = multiprocessing.get_context("forkserver")
        # The fork server (started once per process) imports this module and its
        # dependencies once; each worker is then a cheap fork of it.
        context.set_forkserver_preload([__name__])
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_install,
            initargs=(analysis,),
        )

    def start(self) -> None:
        """Start the worker processes now (they start on first use otherwise)."""
        for _ in range(self._workers):
            self._pool.submit(_run_installed, [])

    def submit(self, jobs: Sequence[Job]) -> asyncio.Future[Results]:
        return asyncio.wrap_future(self._pool.submit(_run_installed, list(jobs)))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
