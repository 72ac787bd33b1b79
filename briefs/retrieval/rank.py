"""Re-rank BM25 hits by how much of the question they cover, and by time preferences."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass

from briefs.models import SearchHit
from briefs.retrieval.matching import StemmedText
from briefs.retrieval.query import QueryPlan, TermGroup

__all__ = ["RankedPassage", "corpus_weights", "group_weights", "rerank"]

BM25_WEIGHT = 0.4
COVERAGE_WEIGHT = 0.6
RECENCY_WEIGHT = 0.15
UNSEEN_PLAIN_FACTOR = 0.35


@dataclass(frozen=True, slots=True)
class RankedPassage:
    hit: SearchHit
    score: float
    coverage: float  # weighted share of the question's key concepts in passage + title
    covered: frozenset[str]
    brief_coverage: float = 0.0  # the same over all candidate passages of this brief


def group_weights(groups: Sequence[TermGroup], texts: Sequence[StemmedText]) -> dict[str, float]:
    """IDF over the candidate passages: a concept few passages mention weighs more.

    A concept no candidate mentions gets the highest weight, so a question about something
    the corpus lacks cannot be "covered" by its generic words alone.
    """
    n = len(texts)
    weights = {}
    for group in groups:
        df = sum(1 for t in texts if t.covers(group))
        weight = math.log(1.0 + (n + 1.0) / (df + 0.5))
        weights[group.name] = weight if df or group.salient else weight * UNSEEN_PLAIN_FACTOR
    return weights


def corpus_weights(
    groups: Sequence[TermGroup], passages: int, frequencies: Sequence[int]
) -> dict[str, float]:
    """BM25's IDF from the index's own document frequencies: a concept few passages of the
    whole corpus mention weighs more. A concept the corpus never mentions gets the highest
    weight when it names something (the question is probably about something else), less
    when it is a plain word (likely just the asker's wording)."""
    weights = {}
    for group, df in zip(groups, frequencies, strict=True):
        weight = math.log(1.0 + (passages - df + 0.5) / (df + 0.5))
        weights[group.name] = weight if df or group.salient else weight * UNSEEN_PLAIN_FACTOR
    return weights


def _covered(group: TermGroup, text: StemmedText, hit: SearchHit) -> bool:
    """A year also counts as covered by a brief published that year."""
    return text.covers(group) or group.year == hit.brief.published.year


def rerank(
    plan: QueryPlan, hits: Sequence[SearchHit], weights: dict[str, float]
) -> list[RankedPassage]:
    """`weights`: each key concept's weight (see `corpus_weights`)."""
    if not hits:
        return []
    texts = [
        StemmedText(f"{h.brief.title} . {h.brief.outlet or ''} . {h.passage.text}") for h in hits
    ]
    key = plan.key_groups or plan.groups
    total = sum(weights.values()) or 1.0
    top_bm25 = max(h.score for h in hits) or 1.0
    dates = sorted({h.brief.published for h in hits})
    ranked = []
    for hit, text in zip(hits, texts, strict=True):
        covered = frozenset(g.name for g in key if _covered(g, text, hit))
        coverage = sum(weights[name] for name in covered) / total
        score = BM25_WEIGHT * max(hit.score, 0.0) / top_bm25 + COVERAGE_WEIGHT * coverage
        if plan.prefer_recent and len(dates) > 1:
            score += RECENCY_WEIGHT * dates.index(hit.brief.published) / (len(dates) - 1)
        if hit.brief.superseded_by_id is not None:
            score -= 0.05  # a newer version of the same brief says it better
        ranked.append(RankedPassage(hit, score, coverage, covered))
    by_brief: dict[int, frozenset[str]] = {}
    for r in ranked:
        by_brief[r.hit.brief.id] = by_brief.get(r.hit.brief.id, frozenset()) | r.covered
    ranked = [
        dataclasses.replace(
            r, brief_coverage=sum(weights[n] for n in by_brief[r.hit.brief.id]) / total
        )
        for r in ranked
    ]
    ranked.sort(key=lambda r: (-r.score, r.hit.brief.id, r.hit.passage.ordinal))
    return ranked
