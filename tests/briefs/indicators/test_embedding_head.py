"""The optional embedding head: its arithmetic, the shipped JSON, and how IndicatorModel
averages it in (a deterministic fake embedder stands in for the semantic extra)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from briefs.indicators import IndicatorModel
from briefs.indicators.embedding_head import EmbeddingHead
from briefs.indicators.model import LABELS
from briefs.indicators.train_head import WEIGHTS, fit_head

DIM = 16
DYAD = "Russia and Iran signed a strategic partnership treaty in Moscow."
OUTSIDE = "The weather in Paris was mild all week."


class HashEmbedder:
    """Implements Embedder: words hashed into DIM dimensions, unit length."""

    def __init__(self, name: str = "hash-16") -> None:
        self.name = name
        self.calls: list[list[str]] = []

    @property
    def model_name(self) -> str:
        return self.name

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        out = []
        for text in texts:
            v = np.zeros(DIM)
            for word in text.lower().split():
                v[int(hashlib.md5(word.encode()).hexdigest(), 16) % DIM] += 1.0
            out.append((v / (np.linalg.norm(v) or 1.0)).tolist())
        return out


def _head(favours: str, weight: float, embedder: str = "hash-16") -> EmbeddingHead:
    """A head that says `favours` whatever the vector (all the signal is in the intercept)."""
    intercept = np.array([8.0 if c == favours else 0.0 for c in LABELS])
    return EmbeddingHead("head-test", embedder, LABELS, np.zeros((DIM, 3)), intercept, weight)


def test_probabilities_are_a_softmax_per_vector() -> None:
    head = EmbeddingHead(
        "h", "e", LABELS, np.eye(DIM, 3), np.zeros(3), 0.5
    )  # dimension i votes for class i
    p = head.proba([[1.0] + [0.0] * (DIM - 1), [0.0, 0.0, 3.0] + [0.0] * (DIM - 3)])

    assert p.shape == (2, 3)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert int(np.argmax(p[0])) == 0
    assert int(np.argmax(p[1])) == 2


def test_json_round_trip_and_bad_specs() -> None:
    head = _head("tension", 0.4)
    again = EmbeddingHead.from_json(json.loads(json.dumps(head.to_json())))
    assert again.classes == head.classes
    assert again.weight == 0.4
    assert np.allclose(again.intercept, head.intercept)

    bad_shape = dict(head.to_json(), coef=[[0.0, 0.0]] * DIM)
    with pytest.raises(ValueError, match="dimensions, classes"):
        EmbeddingHead.from_json(bad_shape)
    with pytest.raises(ValueError, match="weight"):
        EmbeddingHead.from_json(dict(head.to_json(), weight=1.5))


def test_the_shipped_head_fits_the_int8_sentence_model() -> None:
    head = EmbeddingHead.load()
    assert head.dimensions == 384
    assert set(head.classes) == set(LABELS)
    assert 0.0 < head.weight < 1.0
    assert head.embedder.endswith("all-MiniLM-L6-v2#int8")


def test_the_head_sways_dyad_sentences_only_with_one_embedding_call_per_brief() -> None:
    embedder = HashEmbedder()
    model = IndicatorModel.load(head=_head("tension", 1.0), embedder=embedder)
    plain = IndicatorModel.load()

    rows = model.analyse(f"{DYAD} {OUTSIDE} {DYAD}")

    assert [r.dyad for r in rows] == [True, False, True]
    assert plain.analyse(DYAD)[0].label == "cooperation"
    assert [r.label for r in rows] == ["tension", "neutral", "tension"]  # weight 1: head only
    assert embedder.calls == [[DYAD, DYAD]]  # the outside sentence is never embedded
    assert model.version == f"{plain.version}+head-test"
    assert all(r.model_version == model.version for r in rows)


def test_a_mixed_head_is_an_average_not_a_veto() -> None:
    agreeing = IndicatorModel.load(head=_head("cooperation", 0.4), embedder=HashEmbedder())
    weak = IndicatorModel.load(head=_head("neutral", 0.1), embedder=HashEmbedder())
    plain = IndicatorModel.load().classify(DYAD)

    assert agreeing.classify(DYAD).confidence > plain.confidence
    assert weak.classify(DYAD).label == plain.label == "cooperation"


def test_a_head_needs_the_embedder_it_was_fitted_on() -> None:
    with pytest.raises(ValueError, match="needs its embedder"):
        IndicatorModel.load(head=_head("tension", 0.5))
    with pytest.raises(ValueError, match="fitted on hash-16"):
        IndicatorModel.load(head=_head("tension", 0.5), embedder=HashEmbedder("other"))


def test_fit_head_picks_a_mixing_weight_by_cross_validation() -> None:
    data = Path(__file__).resolve().parents[3] / "eval" / "dev" / "sentences.jsonl"
    rows = [json.loads(line) for line in data.read_text().splitlines()]
    train = [r for r in rows if r["split"] == "train" and r["doc"] != "synthetic"][:200]
    vectors = HashEmbedder().embed([r["text"] for r in train])

    fit = fit_head(train, vectors, embedder="hash-16", folds=3)

    assert set(fit.cv_macro_f1) == set(WEIGHTS)
    assert all(0.0 <= f <= 1.0 for f in fit.cv_macro_f1.values())
    assert fit.head.weight in WEIGHTS[1:-1]
    assert fit.cv_macro_f1[fit.head.weight] == max(fit.cv_macro_f1[w] for w in WEIGHTS[1:-1])
    assert fit.head.dimensions == DIM
    assert fit.head.embedder == "hash-16"
    model = IndicatorModel.load(head=fit.head, embedder=HashEmbedder())
    assert model.classify(DYAD).label in LABELS
    with pytest.raises(ValueError, match="one vector per row"):
        fit_head(train, vectors[:-1], embedder="hash-16")
