"""AskService with an embedder: BM25 candidates fused with embedding neighbours."""

from __future__ import annotations

import pytest

from briefs.services import AskService, EmbeddingIndexer
from tests.briefs.answering.test_ask_service import store  # noqa: F401 (fixture)
from tests.fakes import (
    ConceptEmbedder,
    FixedClock,
    InMemoryEmbeddings,
    InMemoryQuestionLog,
    InMemoryStore,
)

#: Shares no word with the Hamadan brief; the embedder maps its words to the same concepts.
PARAPHRASE = "When were warplanes stationed on an overseas runway?"


@pytest.fixture
async def embeddings(store: InMemoryStore) -> InMemoryEmbeddings:  # noqa: F811
    embeddings = InMemoryEmbeddings(store)
    assert await EmbeddingIndexer(ConceptEmbedder(), embeddings).embed_missing() == 3
    return embeddings


def _hybrid(
    store: InMemoryStore,  # noqa: F811
    embeddings: InMemoryEmbeddings,
    embedder: ConceptEmbedder | None = None,
) -> AskService:
    return AskService(
        store,
        InMemoryQuestionLog(),
        FixedClock(),
        embedder=embedder or ConceptEmbedder(),
        embeddings=embeddings,
    )


def files(ranked: list) -> list[str]:  # type: ignore[type-arg]
    return [r.hit.brief.original_filename for r in ranked]


async def test_a_paraphrase_is_found_through_the_embedding(
    store: InMemoryStore,  # noqa: F811
    embeddings: InMemoryEmbeddings,
) -> None:
    lexical = AskService(store, InMemoryQuestionLog(), FixedClock())
    assert not lexical.semantic
    assert "hamadan.md" not in files(await lexical.ranking(PARAPHRASE))

    embedder = ConceptEmbedder()
    hybrid = _hybrid(store, embeddings, embedder)
    assert hybrid.semantic
    ranked = await hybrid.ranking(PARAPHRASE)
    assert files(ranked)[0] == "hamadan.md"
    assert embedder.calls == 1


async def test_the_hybrid_keeps_lexical_answers(
    store: InMemoryStore,  # noqa: F811
    embeddings: InMemoryEmbeddings,
) -> None:
    hybrid = _hybrid(store, embeddings)
    answer = await hybrid.answer("Why did Iran object to Russia using Hamadan?")
    assert not answer.abstained
    assert answer.sources[0].original_filename == "hamadan.md"


async def test_excluded_provenance_stays_out_of_the_neighbours(
    store: InMemoryStore,  # noqa: F811
    embeddings: InMemoryEmbeddings,
) -> None:
    from briefs.models import Provenance, SourceType

    hamadan = next(b for b in store.briefs.values() if b.original_filename == "hamadan.md")
    await store.set_provenance(hamadan.id, Provenance.of("state_media", "RU"), override=True)
    hybrid = _hybrid(store, embeddings)
    excluded = await hybrid._evidence(PARAPHRASE, None, frozenset({SourceType.STATE_MEDIA}))
    assert "hamadan.md" not in files(excluded.ranked)
