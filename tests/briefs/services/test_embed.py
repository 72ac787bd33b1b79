"""EmbeddingIndexer and the ingest after-commit hook: new passages get vectors once stored."""

from __future__ import annotations

from collections.abc import Sequence

from briefs.models import Brief
from briefs.ports import AuditLog, BriefRepository
from briefs.services import Actor, EmbeddingIndexer, IngestService
from briefs.services.ingest import AfterCommit
from storage import Database
from tests.briefs.services.test_ingest_bulk import _brief
from tests.briefs.services.test_ingest_service import StubAnalyser
from tests.fakes import ConceptEmbedder, FixedClock, InMemoryEmbeddings, InMemoryStore

ADMIN = Actor("cli:admin", is_admin=True)


def _service(
    store: BriefRepository, audit: AuditLog, after_commit: AfterCommit | None = None
) -> IngestService:
    return IngestService(
        store, audit, StubAnalyser(), FixedClock(), max_bytes=100_000, after_commit=after_commit
    )


async def test_embed_missing_works_in_batches_until_nothing_is_left() -> None:
    store = InMemoryStore()
    embeddings = InMemoryEmbeddings(store)
    indexer = EmbeddingIndexer(ConceptEmbedder(), embeddings, batch_size=2)
    service = _service(store, store)
    for n in range(3):
        assert (await service.ingest(f"b{n}.md", _brief(n), ADMIN)).status == "added"
    total = await indexer.pending()
    assert total > 2
    batches: list[int] = []
    assert await indexer.embed_missing(batches.append) == total
    assert sum(batches) == total
    assert max(batches) == 2
    assert await indexer.pending() == 0
    assert await indexer.embed_missing() == 0


async def test_the_hook_embeds_what_each_commit_stored() -> None:
    store = InMemoryStore()
    embeddings = InMemoryEmbeddings(store)
    indexer = EmbeddingIndexer(ConceptEmbedder(), embeddings)
    service = _service(store, store, indexer.after_commit)
    prepared = await service.prepare("one.md", _brief(1), ADMIN)
    await service.commit(prepared, ADMIN)
    assert await indexer.pending() == 0
    assert embeddings.vectors


async def test_the_hook_runs_after_each_batch_on_a_database(database: Database) -> None:
    seen: list[list[int]] = []
    embeddings_before: list[int] = []

    async def hook(briefs: Sequence[Brief]) -> None:
        seen.append([b.id for b in briefs])
        # committed: another connection sees the briefs
        embeddings_before.append(await database.briefs.count())

    service = _service(database.briefs, database.audit, hook)
    files = [(f"b{n}.md", _brief(n)) for n in range(3)] + [("dup.md", _brief(0))]
    outcomes = await service.ingest_many(files, ADMIN, batch_size=2)
    assert [o.status for o in outcomes] == ["added", "added", "added", "duplicate"]
    assert seen == [[outcomes[0].brief.id, outcomes[1].brief.id], [outcomes[2].brief.id]]  # type: ignore[union-attr]
    assert embeddings_before == [2, 3]


async def test_a_failing_hook_does_not_undo_the_ingest(database: Database, caplog) -> None:  # type: ignore[no-untyped-def]
    async def hook(briefs: Sequence[Brief]) -> None:
        raise RuntimeError("model crashed")

    service = _service(database.briefs, database.audit, hook)
    outcome = await service.ingest("one.md", _brief(1), ADMIN)
    assert outcome.status == "added"
    assert await database.briefs.count() == 1
    assert "after-commit hook failed" in caplog.text
