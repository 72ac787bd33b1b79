"""Fitting the abstention model (needs the `train` extra: scikit-learn).

`python -m bot eval train-abstention eval/dev/qa.jsonl eval/dev/qa_extra.jsonl` collects
each question's signals through the real ask pipeline and calls `fit` here. The threshold is
chosen on cross-validated probabilities, never on the fit's own predictions, so the figures
it prints are an estimate for questions the model has not seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from briefs.answering.abstention import FEATURES, AbstentionModel

__all__ = ["CvPoint", "Fit", "fit"]

THRESHOLDS = tuple(round(0.20 + 0.05 * i, 2) for i in range(11))  # 0.20 … 0.70


@dataclass(frozen=True, slots=True)
class CvPoint:
    threshold: float
    answered: float  # share of answerable questions answered
    refused: float  # share of unanswerable questions refused


@dataclass(frozen=True, slots=True)
class Fit:
    model: AbstentionModel
    cv: tuple[CvPoint, ...]
    chosen: CvPoint
    questions: int
    unanswerable: int


def _matrix(signals: Sequence[Mapping[str, float]]) -> Any:
    return np.array([[row.get(name, 0.0) for name in FEATURES] for row in signals], dtype=float)


def fit(
    signals: Sequence[Mapping[str, float]],
    unanswerable: Sequence[bool],
    *,
    c: float = 10.0,
    folds: int = 5,
    repeats: int = 5,
    seed: int = 0,
) -> Fit:
    """Logistic regression of "unanswerable" on the signals; the threshold maximises
    answered + refused, averaged over `repeats` runs of `folds`-fold cross-validation."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    x = _matrix(signals)
    y = np.array([1 if u else 0 for u in unanswerable])
    if len(set(y.tolist())) < 2 or min(int(y.sum()), int(len(y) - y.sum())) < folds:
        raise ValueError(f"need at least {folds} answerable and {folds} unanswerable questions")
    model = LogisticRegression(C=c, max_iter=2000)
    # Repeated CV: one split of ~250 questions moves the chosen threshold by a step.
    answered = np.zeros(len(THRESHOLDS))
    refused = np.zeros(len(THRESHOLDS))
    for repeat in range(repeats):
        cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed + repeat)
        p = cross_val_predict(model, x, y, cv=cv, method="predict_proba")[:, 1]
        answered += [np.mean(p[y == 0] < t) for t in THRESHOLDS]
        refused += [np.mean(p[y == 1] >= t) for t in THRESHOLDS]
    points = tuple(
        CvPoint(t, float(a / repeats), float(r / repeats))
        for t, a, r in zip(THRESHOLDS, answered, refused, strict=True)
    )
    chosen = max(points, key=lambda pt: (pt.answered + pt.refused, pt.answered))
    model.fit(x, y)
    fitted = AbstentionModel(
        coefficients={
            name: round(float(v), 6) for name, v in zip(FEATURES, model.coef_[0], strict=True)
        },
        intercept=round(float(model.intercept_[0]), 6),
        threshold=chosen.threshold,
        version=f"lr-c{c:g}-{dt.date.today().isoformat()}",
    )
    return Fit(fitted, points, chosen, len(y), int(y.sum()))
