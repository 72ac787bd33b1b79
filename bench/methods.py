"""The retrieval methods compared: ours (service layer) and the baselines a user would pick.

Every method answers `run(question) -> ranked brief indices (best first, ≤ 10)`; brief ids in
the bench databases are `index + 1`. `ours` times `AskService.answer` end to end and takes
its ranking from the same plan/search/re-rank pipeline in an untimed second step.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import snowballstemmer
from sqlalchemy import text

from bench.corpus import Brief
from briefs.retrieval.query import stopwords
from briefs.text import words

__all__ = [
    "Bm25sMethod",
    "Method",
    "NaiveFts5",
    "NaivePostgres",
    "Ours",
    "RankBm25Method",
    "missing",
    "tokenize",
]

K = 10


class Method(Protocol):
    name: str

    async def timed(self, question: str) -> object: ...

    async def ranking(self, question: str, timed_result: object) -> list[int]: ...


def missing(module: str) -> bool:
    return importlib.util.find_spec(module) is None


def _dedupe(brief_ids: Sequence[int]) -> list[int]:
    return list(dict.fromkeys(brief_ids))[:K]


class Ours:
    """`app.ask.answer(question)`: plan, search, re-rank, compose (no LLM)."""

    def __init__(self, app: Any, name: str = "ours") -> None:
        self.name = name
        self._app = app

    async def timed(self, question: str) -> object:
        return await self._app.ask.answer(question)

    async def ranking(self, question: str, timed_result: object) -> list[int]:
        ranked = await self._app.ask.ranking(question)
        return [i - 1 for i in _dedupe([r.hit.brief.id for r in ranked])]


def naive_terms(question: str) -> list[str]:
    """Every word of the question, as a naive integration would pass them."""
    return list(dict.fromkeys(w.lower() for w in words(question)))


class NaiveFts5:
    """`passages_fts MATCH '"a" OR "b" OR …'` ordered by bm25(), LIMIT 10, same DB."""

    name = "naive FTS5 OR"
    _SQL = text(
        "SELECT p.brief_id, p.text, bm25(passages_fts) AS score FROM passages_fts "
        "JOIN passages p ON p.id = passages_fts.rowid "
        "WHERE passages_fts MATCH :q ORDER BY score LIMIT 10"
    )

    def __init__(self, database: Any) -> None:
        self._database = database

    async def timed(self, question: str) -> object:
        expression = " OR ".join(f'"{t}"' for t in naive_terms(question))
        async with self._database.reading() as conn:
            return [row.brief_id for row in await conn.execute(self._SQL, {"q": expression})]

    async def ranking(self, question: str, timed_result: object) -> list[int]:
        assert isinstance(timed_result, list)
        return [i - 1 for i in _dedupe(timed_result)]


class NaivePostgres:
    """`websearch_to_tsquery('english', 'a or b or …')` + `ts_rank_cd`, LIMIT 10, same DB."""

    name = "naive PG websearch OR"
    _SQL = text(
        "SELECT p.brief_id, p.text, ts_rank_cd(p.tsv, q) AS score "
        "FROM passages p, websearch_to_tsquery('english', :q) AS q "
        "WHERE p.tsv @@ q ORDER BY score DESC LIMIT 10"
    )

    def __init__(self, database: Any) -> None:
        self._database = database

    async def timed(self, question: str) -> object:
        expression = " or ".join(naive_terms(question))
        async with self._database.reading() as conn:
            return [row.brief_id for row in await conn.execute(self._SQL, {"q": expression})]

    async def ranking(self, question: str, timed_result: object) -> list[int]:
        assert isinstance(timed_result, list)
        return [i - 1 for i in _dedupe(timed_result)]


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("english")


_STEMS: dict[str, str] = {}


def tokenize(text_: str) -> list[str]:
    """Lower-cased words, English stop words dropped, Snowball-stemmed (memoised)."""
    stop = stopwords()
    out = []
    for word in words(text_):
        if word in stop:
            continue
        stem = _STEMS.get(word)
        if stem is None:
            stem = _STEMS[word] = str(_stemmer().stemWord(word))
        out.append(stem)
    return out


class RankBm25Method:
    """rank_bm25.BM25Okapi over whole briefs (title + body), held in memory."""

    name = "rank_bm25"

    def __init__(self, briefs: Sequence[Brief]) -> None:
        import numpy as np
        from rank_bm25 import BM25Okapi

        self._np = np
        self._bm25 = BM25Okapi([tokenize(b.text) for b in briefs])

    async def timed(self, question: str) -> object:
        scores = self._bm25.get_scores(tokenize(question))
        top = self._np.argpartition(-scores, K)[:K] if len(scores) > K else range(len(scores))
        return sorted(top, key=lambda i: -scores[i])

    async def ranking(self, question: str, timed_result: object) -> list[int]:
        assert isinstance(timed_result, list)
        return [int(i) for i in timed_result]


class Bm25sMethod:
    """bm25s (sparse in-memory index) over whole briefs, same tokenizer."""

    name = "bm25s"

    def __init__(self, briefs: Sequence[Brief]) -> None:
        import bm25s

        self._retriever = bm25s.BM25()
        self._retriever.index([tokenize(b.text) for b in briefs], show_progress=False)
        self._n = len(briefs)

    async def timed(self, question: str) -> object:
        tokens = tokenize(question) or ["_"]
        docs, _scores = self._retriever.retrieve(
            [tokens], k=min(K, self._n), show_progress=False, n_threads=1
        )
        return [int(i) for i in docs[0]]

    async def ranking(self, question: str, timed_result: object) -> list[int]:
        assert isinstance(timed_result, list)
        return timed_result
