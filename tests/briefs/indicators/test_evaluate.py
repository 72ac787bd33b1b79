from __future__ import annotations

import math
from typing import Any, cast

import pytest

from briefs.indicators import (
    IndicatorModel,
    balance_correlation,
    evaluate_sentences,
)
from briefs.models import SentenceAnalysis


class _Fixed:
    """A stand-in model answering from a lookup table."""

    def __init__(self, answers: dict[str, tuple[str, str]]) -> None:
        self.answers = answers

    def classify(self, sentence: str, previous: str | None = None) -> SentenceAnalysis:
        label, track = self.answers[sentence]
        return SentenceAnalysis(0, 0, len(sentence), sentence, True, label, track,
                                "asserted", 0.0, 1.0, "fixed")  # fmt: skip

    def analyse(self, text: str) -> list[SentenceAnalysis]:
        return [self.classify(line) for line in text.split("\n\n")]


def test_evaluate_sentences_hand_computed() -> None:
    rows: list[dict[str, Any]] = [
        {"text": "a", "label": "cooperation", "category": "military"},
        {"text": "b", "label": "cooperation", "category": "nuclear"},
        {"text": "c", "label": "tension", "category": "syria"},
        {"text": "d", "label": "neutral", "category": "other"},
    ]
    fake = _Fixed({
        "a": ("cooperation", "military"),
        "b": ("cooperation", "syria"),
        "c": ("cooperation", "syria"),
        "d": ("neutral", "other"),
    })  # fmt: skip
    report = evaluate_sentences(rows, cast(IndicatorModel, fake))
    assert report.n == 4
    assert report.accuracy == pytest.approx(0.75)
    # cooperation P=2/3 R=1 F1=0.8; tension P=0 R=0 F1=0; neutral P=R=F1=1
    assert report.precision["cooperation"] == pytest.approx(2 / 3)
    assert report.recall["cooperation"] == pytest.approx(1.0)
    assert report.f1["cooperation"] == pytest.approx(0.8)
    assert report.f1["tension"] == 0.0
    assert report.macro_f1 == pytest.approx(1.8 / 3)
    assert report.confusion == ((2, 0, 0), (1, 0, 0), (0, 0, 1))
    assert report.track_n == 2
    assert report.track_accuracy == pytest.approx(0.5)
    assert report.ms_per_sentence_p95 >= report.ms_per_sentence_p50 >= 0.0


def test_evaluate_with_real_model(model: IndicatorModel) -> None:
    rows = [{"text": "Putin and Pezeshkian signed a partnership treaty.", "label": "cooperation",
             "category": "diplomatic", "mode": "asserted"}]  # fmt: skip
    report = evaluate_sentences(rows, model)
    assert report.n == 1
    assert report.accuracy == 1.0
    assert report.mode_accuracy == 1.0
    assert report.ms_per_sentence_in_docs > 0.0  # the row read again as a one-sentence doc


def test_balance_correlation_hand_computed() -> None:
    report = balance_correlation([(1.0, 2.0), (2.0, 4.0), (3.0, 5.0)])
    assert report.n == 3
    assert report.spearman == pytest.approx(1.0)
    # x = 1,2,3 ; y = 2,4,5 -> r = 3 / sqrt(2 * 4.6667)
    assert report.pearson == pytest.approx(3 / math.sqrt(2 * 14 / 3))
    assert report.mae == pytest.approx(5 / 3)
    inverse = balance_correlation([(0.5, -0.5), (-0.5, 0.5), (0.0, 0.0)])
    assert inverse.spearman == pytest.approx(-1.0)


def test_balance_correlation_ties_and_degenerate() -> None:
    ties = balance_correlation([(1.0, 1.0), (1.0, 2.0), (2.0, 3.0)])
    # ranks x = 1.5, 1.5, 3 ; y = 1, 2, 3 -> spearman = 1.5 / sqrt(1.5 * 2)
    assert ties.spearman == pytest.approx(1.5 / math.sqrt(3.0))
    assert balance_correlation([]).spearman is None
    flat = balance_correlation([(0.2, 0.1), (0.2, 0.3)])
    assert flat.pearson is None
    assert flat.spearman is None
    assert flat.mae == pytest.approx(0.1)
