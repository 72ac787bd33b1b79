"""The re-ranking's own BM25, used when the backend's scores ignore how rare a term is."""

from __future__ import annotations

import datetime as dt

from briefs.models import Passage, SearchHit
from briefs.retrieval.matching import StemmedText
from briefs.retrieval.query import TermGroup, plan_query
from briefs.retrieval.rank import corpus_weights, rerank
from tests.fakes import stored_brief


def _hit(brief_id: int, text: str, score: float) -> SearchHit:
    brief = stored_brief(brief_id, f"Brief {brief_id}")
    return SearchHit(Passage(brief_id, brief_id, 0, text, 0, len(text)), brief, score)


def test_count_finds_every_occurrence_of_a_group() -> None:
    text = StemmedText("Sanctions, more sanctions, and the sanction regime in Vienna talks.")
    assert text.count(TermGroup("sanctions", ("sanctions",))) == 3
    assert text.count(TermGroup("vienna", ("vienna talks", "geneva"))) == 1
    assert text.count(TermGroup("oil", ("oil",))) == 0
    assert text.length == 10


def test_own_bm25_puts_the_rare_term_first_where_backend_scores_do_not() -> None:
    plan = plan_query("Which sanctions targeted Bushehr?", today=dt.date(2025, 1, 1))
    key = plan.key_groups or plan.groups
    frequency = {"sanctions": 900, "bushehr": 30}
    weights = corpus_weights(key, 10_000, [frequency.get(g.name, 1) for g in key])
    # the backend's score (no IDF) loves the passage that repeats the common word
    common = _hit(1, "Sanctions upon sanctions: sanctions again and sanctions everywhere.", 9.0)
    rare = _hit(2, "The Bushehr plant was named on a new list.", 2.0)

    trusted = rerank(plan, [common, rare], weights)
    own = rerank(plan, [common, rare], weights, own_bm25=True)

    assert [r.hit.brief.id for r in trusted] == [1, 2]
    assert [r.hit.brief.id for r in own] == [2, 1]
    assert {r.hit.brief.id: r.coverage for r in own} == {
        r.hit.brief.id: r.coverage for r in trusted
    }  # coverage does not depend on the scores
