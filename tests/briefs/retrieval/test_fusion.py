"""Reciprocal rank fusion of lexical and embedding rankings."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.models import Passage, SearchHit
from briefs.retrieval import reciprocal_rank_fusion
from tests.briefs.answering.test_ask_service import new_brief
from tests.fakes import InMemoryStore


@pytest.fixture
async def hits() -> list[SearchHit]:
    store = InMemoryStore()
    brief = await store.add(new_brief("T", "Passage.", dt.date(2024, 1, 1), "t.md"))
    return [SearchHit(Passage(n, brief.id, n, "Passage.", 0, 8), brief, 1.0) for n in range(5)]


def ids(fused: list[SearchHit]) -> list[int]:
    return [h.passage.id for h in fused]


def test_one_ranking_keeps_its_order_with_rrf_scores(hits: list[SearchHit]) -> None:
    fused = reciprocal_rank_fusion([hits[:3]], k=60)
    assert ids(fused) == ids(hits[:3])
    assert [h.score for h in fused] == pytest.approx([1 / 61, 1 / 62, 1 / 63])


def test_agreement_beats_a_single_first_place(hits: list[SearchHit]) -> None:
    a, b, c, d = hits[:4]
    fused = reciprocal_rank_fusion([[a, b, c], [d, c, b]])
    # b: 1/62 + 1/63, c: 1/63 + 1/62 (tie, b seen first), then a and d at 1/61
    assert ids(fused) == ids([b, c, a, d])
    assert len(fused) == 4  # each passage once


def test_duplicates_inside_a_ranking_count_once(hits: list[SearchHit]) -> None:
    a, b = hits[:2]
    fused = reciprocal_rank_fusion([[a, a, b], [b]])
    assert ids(fused) == ids([b, a])
    assert fused[1].score == pytest.approx(1 / 61)


def test_empty_rankings_and_bad_k(hits: list[SearchHit]) -> None:
    assert reciprocal_rank_fusion([]) == []
    assert ids(reciprocal_rank_fusion([[], hits[:1]])) == ids(hits[:1])
    with pytest.raises(ValueError, match="k must be"):
        reciprocal_rank_fusion([hits], k=-1)
