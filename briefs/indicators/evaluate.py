"""Measuring the indicator model on labelled sentences and documents."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from briefs.indicators.model import LABELS, IndicatorModel

__all__ = ["BalanceReport", "SentenceEvalReport", "balance_correlation", "evaluate_sentences"]


@dataclass(frozen=True, slots=True)
class SentenceEvalReport:
    """Three-way label metrics; ``confusion[gold][predicted]`` in LABELS order."""

    n: int
    accuracy: float
    macro_f1: float
    precision: dict[str, float]
    recall: dict[str, float]
    f1: dict[str, float]
    confusion: tuple[tuple[int, ...], ...]
    track_accuracy: float | None  # rows with predicted == gold label != neutral
    track_n: int
    mode_accuracy: float | None  # rows that carry a gold "mode"
    ms_per_sentence_p50: float
    ms_per_sentence_p95: float
    # whole documents as ingest reads them (one `analyse` per doc: rows joined in file order)
    ms_per_sentence_in_docs: float = 0.0


@dataclass(frozen=True, slots=True)
class BalanceReport:
    """Agreement between two balance series (None when undefined, e.g. n < 2)."""

    n: int
    spearman: float | None
    pearson: float | None
    mae: float | None


def _safe_div(a: float, b: float) -> float:
    return a / b if b else 0.0


def evaluate_sentences(
    rows: Sequence[Mapping[str, Any]], model: IndicatorModel
) -> SentenceEvalReport:
    """Classify each row's ``text`` (with its optional ``previous`` sentence) and score it.

    Rows need ``text`` and ``label``; ``category`` (gold track) and ``mode`` are optional.
    """
    k = len(LABELS)
    confusion = [[0] * k for _ in range(k)]
    timings: list[float] = []
    track_hits = track_n = mode_hits = mode_n = 0
    for row in rows:
        t0 = time.perf_counter()
        result = model.classify(str(row["text"]), row.get("previous"))
        timings.append((time.perf_counter() - t0) * 1000.0)
        gold = str(row["label"])
        confusion[LABELS.index(gold)][LABELS.index(result.label)] += 1
        if result.label == gold and gold != "neutral" and row.get("category"):
            track_n += 1
            track_hits += int(result.track == row["category"])
        if row.get("mode"):
            mode_n += 1
            mode_hits += int(result.mode == row["mode"])
    n = len(rows)
    precision: dict[str, float] = {}
    recall: dict[str, float] = {}
    f1: dict[str, float] = {}
    for i, label in enumerate(LABELS):
        tp = confusion[i][i]
        predicted = sum(confusion[g][i] for g in range(k))
        actual = sum(confusion[i])
        p = _safe_div(tp, predicted)
        r = _safe_div(tp, actual)
        precision[label], recall[label] = p, r
        f1[label] = _safe_div(2 * p * r, p + r)
    correct = sum(confusion[i][i] for i in range(k))
    p50, p95 = (
        (float(np.percentile(timings, 50)), float(np.percentile(timings, 95)))
        if timings
        else (0.0, 0.0)
    )
    return SentenceEvalReport(
        n=n,
        accuracy=_safe_div(correct, n),
        macro_f1=sum(f1.values()) / k,
        precision=precision,
        recall=recall,
        f1=f1,
        confusion=tuple(tuple(r) for r in confusion),
        track_accuracy=_safe_div(track_hits, track_n) if track_n else None,
        track_n=track_n,
        mode_accuracy=_safe_div(mode_hits, mode_n) if mode_n else None,
        ms_per_sentence_p50=p50,
        ms_per_sentence_p95=p95,
        ms_per_sentence_in_docs=_ms_per_sentence_in_docs(rows, model),
    )


def _ms_per_sentence_in_docs(rows: Sequence[Mapping[str, Any]], model: IndicatorModel) -> float:
    """Time `analyse` on each doc's rows joined into one text (as ingest reads a brief, with
    any batching the model does per brief), per sentence it finds."""
    docs: dict[str, list[str]] = {}
    for row in rows:
        docs.setdefault(str(row.get("doc", "")), []).append(str(row["text"]))
    sentences, elapsed = 0, 0.0
    for texts in docs.values():
        t0 = time.perf_counter()
        sentences += len(model.analyse("\n\n".join(texts)))
        elapsed += time.perf_counter() - t0
    return _safe_div(elapsed * 1000.0, sentences)


def _ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties getting their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        avg = (i + j) / 2.0 + 1.0
        for m in range(i, j + 1):
            ranks[order[m]] = avg
        i = j + 1
    return ranks


def _pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    if len(x) < 2:
        return None
    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    da, db = a - a.mean(), b - b.mean()
    denom = float(np.sqrt((da * da).sum() * (db * db).sum()))
    if denom == 0.0:
        return None
    return float((da * db).sum() / denom)


def balance_correlation(pairs: Sequence[tuple[float, float]]) -> BalanceReport:
    """Spearman and Pearson correlation and mean absolute error of (gold, predicted) pairs."""
    if not pairs:
        return BalanceReport(0, None, None, None)
    gold = [float(g) for g, _ in pairs]
    pred = [float(p) for _, p in pairs]
    mae = float(np.mean(np.abs(np.asarray(gold) - np.asarray(pred))))
    return BalanceReport(
        n=len(pairs),
        spearman=_pearson(_ranks(gold), _ranks(pred)),
        pearson=_pearson(gold, pred),
        mae=mae,
    )
