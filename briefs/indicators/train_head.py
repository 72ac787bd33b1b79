"""Fitting the embedding head (needs the `train` extra: scikit-learn).

`python -m bot indicators train-head` embeds the train split with the semantic extra's
int8 model and calls `fit_head` here. The head's share in the averaged probabilities is
chosen by cross-validation: each fold refits the lexical model too, so the figures it
reports are for sentences neither part has seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from briefs.indicators.embedding_head import EmbeddingHead, FloatArray
from briefs.indicators.model import LABELS, IndicatorModel
from briefs.indicators.train import train

__all__ = ["WEIGHTS", "HeadFit", "fit_head", "lexical_probabilities"]

C_LABEL, C_TRACK = 10.0, 30.0  # the shipped lexical model's cross-validated choices
WEIGHTS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 1.0)  # 0: lexical model only, 1: head only


@dataclass(frozen=True, slots=True)
class HeadFit:
    head: EmbeddingHead
    cv_macro_f1: dict[float, float]  # weight → cross-validated macro-F1


def lexical_probabilities(
    model: IndicatorModel, rows: Sequence[Mapping[str, Any]]
) -> tuple[FloatArray, list[bool]]:
    """The lexical model's label probabilities (LABELS order) and each row's dyad flag; a
    sentence outside the dyad is neutral whatever the probabilities say."""
    out = np.zeros((len(rows), len(LABELS)))
    dyad = []
    order = [model.label_model.classes.index(label) for label in LABELS]
    for i, row in enumerate(rows):
        parsed = model.parse(str(row["text"]), row.get("previous"))
        dyad.append(parsed.dyad)
        idx, vals = model.vector(parsed)
        out[i] = model.label_model.proba(idx, vals)[order]
    return out, dyad


def _head_model(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000)


def _ordered(clf: Any, x: FloatArray) -> FloatArray:
    p: FloatArray = clf.predict_proba(x)[:, [list(clf.classes_).index(lab) for lab in LABELS]]
    return p


def fit_head(
    rows: Sequence[Mapping[str, Any]],
    vectors: Sequence[Sequence[float]],
    *,
    embedder: str,
    c: float = 10.0,
    folds: int = 5,
    seed: int = 13,
) -> HeadFit:
    """A logistic regression of the label on `vectors` (one per row) and its share."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    x = np.asarray(vectors, dtype=np.float64)
    y = np.asarray([str(r["label"]) for r in rows])
    if len(x) != len(y) or len(set(y.tolist())) < len(LABELS):
        raise ValueError("need one vector per row and rows of every label")
    scores: dict[float, list[float]] = {w: [] for w in WEIGHTS}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for fit_idx, held in splitter.split(x, y):
        lexical = IndicatorModel(
            train([rows[i] for i in fit_idx], split=None, c_label=C_LABEL, c_track=C_TRACK)
        )
        p_lex, dyad = lexical_probabilities(lexical, [rows[i] for i in held])
        p_head = _ordered(_head_model(c).fit(x[fit_idx], y[fit_idx]), x[held])
        for w in WEIGHTS:
            mixed = (1.0 - w) * p_lex + w * p_head
            pred = [
                LABELS[int(np.argmax(p))] if d else "neutral"
                for p, d in zip(mixed, dyad, strict=True)
            ]
            scores[w].append(float(f1_score(y[held], pred, average="macro")))
    cv = {w: float(np.mean(v)) for w, v in scores.items()}
    weight = max(WEIGHTS[1:-1], key=lambda w: cv[w])  # a mix, never one part alone
    clf = _head_model(c).fit(x, y)
    order = [list(clf.classes_).index(lab) for lab in LABELS]
    coef = np.asarray(clf.coef_)[order].T
    intercept = np.asarray(clf.intercept_)[order]
    digest = hashlib.sha1(
        json.dumps(np.round(coef, 5).tolist()).encode(), usedforsecurity=False
    ).hexdigest()[:8]
    head = EmbeddingHead(
        version=f"head-{dt.date.today():%Y%m%d}-{digest}",
        embedder=embedder,
        classes=LABELS,
        coef=coef,
        intercept=intercept,
        weight=weight,
    )
    return HeadFit(head, cv)
