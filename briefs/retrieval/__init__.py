"""Question understanding and re-ranking on top of the storage's BM25 index."""

from briefs.retrieval.fusion import reciprocal_rank_fusion
from briefs.retrieval.query import QueryPlan, TermGroup, clean_question, plan_query
from briefs.retrieval.rank import RankedPassage, rerank

__all__ = [
    "QueryPlan",
    "RankedPassage",
    "TermGroup",
    "clean_question",
    "plan_query",
    "reciprocal_rank_fusion",
    "rerank",
]
