"""`eval qa`: recall@k, keyword hits, abstention and latency, with a BM25-only baseline."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefs.answering.model import Answer
from briefs.errors import UserError
from briefs.ports import SearchIndex
from briefs.retrieval.query import plan_query
from briefs.services.ask import CANDIDATES, AskService

__all__ = ["MethodScores", "QaCase", "QaReport", "evaluate_qa", "load_qa_cases"]


@dataclass(frozen=True, slots=True)
class QaCase:
    id: str
    question: str
    gold_docs: tuple[str, ...]
    answer_keywords: tuple[str, ...]
    answerable: bool


def load_qa_cases(path: Path) -> list[QaCase]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            cases.append(
                QaCase(
                    id=str(row.get("id", number)),
                    question=str(row["question"]),
                    gold_docs=tuple(row.get("gold_docs", [])),
                    answer_keywords=tuple(row.get("answer_keywords", [])),
                    answerable=bool(row.get("answerable", True)),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise UserError(f"{path}:{number}: not a QA case ({exc})") from None
    if not cases:
        raise UserError(f"{path} holds no questions.")
    return cases


@dataclass
class MethodScores:
    name: str
    recall_at_1: float = 0.0
    recall_at_k: float = 0.0
    keyword_hit_rate: float = 0.0
    abstain_precision: float = 0.0
    abstain_recall: float = 0.0
    answered_rate: float = 0.0
    latency_p50_ms: float = 0.0
    latency_p95_ms: float = 0.0
    failures: list[str] = field(default_factory=list)


@dataclass
class QaReport:
    n: int
    answerable: int
    unanswerable: int
    k: int
    methods: list[MethodScores]


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass(frozen=True, slots=True)
class _Result:
    abstained: bool
    ranked_files: tuple[str, ...]
    text: str
    latency_ms: float


def _score(name: str, cases: Sequence[QaCase], results: Sequence[_Result], k: int) -> MethodScores:
    answerable = [(c, r) for c, r in zip(cases, results, strict=True) if c.answerable]
    unanswerable = [(c, r) for c, r in zip(cases, results, strict=True) if not c.answerable]
    s = MethodScores(name)
    hits1 = hitsk = 0
    kw_hits = kw_total = 0
    for case, res in answerable:
        got = () if res.abstained else res.ranked_files
        gold = set(case.gold_docs)
        hits1 += bool(gold & set(got[:1]))
        hitsk += bool(gold & set(got[:k]))
        text = "" if res.abstained else res.text.lower()
        found = sum(kw.lower() in text for kw in case.answer_keywords)
        kw_hits += found
        kw_total += len(case.answer_keywords)
        if res.abstained or not gold & set(got[:k]):
            s.failures.append(f"{case.id}: {'abstained' if res.abstained else 'wrong source'}")
    abstained = [r for _, r in answerable + unanswerable if r.abstained]
    refused = sum(r.abstained for _, r in unanswerable)
    s.recall_at_1 = hits1 / max(1, len(answerable))
    s.recall_at_k = hitsk / max(1, len(answerable))
    s.keyword_hit_rate = kw_hits / max(1, kw_total)
    s.abstain_precision = refused / len(abstained) if abstained else 0.0
    s.abstain_recall = refused / max(1, len(unanswerable))
    s.answered_rate = sum(not r.abstained for _, r in answerable) / max(1, len(answerable))
    s.failures.extend(
        f"{c.id}: answered an unanswerable question" for c, r in unanswerable if not r.abstained
    )
    latencies = [r.latency_ms for r in results]
    s.latency_p50_ms = _percentile(latencies, 0.5)
    s.latency_p95_ms = _percentile(latencies, 0.95)
    return s


async def _answer(ask: AskService, question: str) -> _Result:
    started = time.perf_counter()
    try:
        answer: Answer | None = await ask.answer(question)
    except UserError:
        answer = None
    elapsed = (time.perf_counter() - started) * 1000
    if answer is None:
        return _Result(True, (), "", elapsed)
    files = tuple(c.original_filename for c in answer.sources)
    return _Result(answer.abstained, files, answer.text, elapsed)


async def evaluate_qa(
    cases: Sequence[QaCase],
    ask: AskService,
    search: SearchIndex,
    *,
    k: int = 3,
    on_progress: Callable[[], None] | None = None,
    semantic: AskService | None = None,
) -> QaReport:
    """`semantic`: the same pipeline with embedding neighbours fused in, reported as the
    method "ours+semantic" between "ours" and "bm25"."""
    ours: list[_Result] = []
    hybrid: list[_Result] = []
    baseline: list[_Result] = []
    for case in cases:
        ours.append(await _answer(ask, case.question))
        if semantic is not None:
            hybrid.append(await _answer(semantic, case.question))
        # Baseline: raw BM25 passages for the same (sanitised) terms, never abstaining.
        started = time.perf_counter()
        try:
            hits = await search.search(plan_query(case.question).search_query(CANDIDATES))
        except UserError:
            hits = []
        elapsed = (time.perf_counter() - started) * 1000
        files = tuple(dict.fromkeys(h.brief.original_filename for h in hits))
        baseline.append(_Result(not hits, files, hits[0].passage.text if hits else "", elapsed))
        if on_progress:
            on_progress()
    return QaReport(
        n=len(cases),
        answerable=sum(c.answerable for c in cases),
        unanswerable=sum(not c.answerable for c in cases),
        k=k,
        methods=[
            _score("ours", cases, ours, k),
            *([_score("ours+semantic", cases, hybrid, k)] if semantic is not None else []),
            _score("bm25", cases, baseline, k),
        ],
    )
