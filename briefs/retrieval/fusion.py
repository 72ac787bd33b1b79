"""Reciprocal rank fusion: merge ranked lists (BM25, embeddings) without comparing scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from briefs.models import SearchHit

__all__ = ["RRF_K", "reciprocal_rank_fusion"]

#: The usual constant of Cormack et al. (2009): damps the weight of the very first ranks.
RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[SearchHit]], k: int = RRF_K
) -> list[SearchHit]:
    """One list holding each passage once, scored Σ 1 / (k + rank) over the rankings that
    hold it (rank from 1), best first; ties keep the order of first appearance.

    The returned hits carry the fused score (the first ranking's hit object otherwise).
    """
    if k < 0:
        raise ValueError("k must be >= 0")
    scores: dict[int, float] = {}
    first: dict[int, SearchHit] = {}
    for ranking in rankings:
        seen: set[int] = set()
        for rank, hit in enumerate(ranking, 1):
            pid = hit.passage.id
            if pid in seen:  # a duplicate inside one ranking counts once, at its best rank
                continue
            seen.add(pid)
            first.setdefault(pid, hit)
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (k + rank)
    order = {pid: n for n, pid in enumerate(first)}
    fused = sorted(first, key=lambda pid: (-scores[pid], order[pid]))
    return [replace(first[pid], score=scores[pid]) for pid in fused]
