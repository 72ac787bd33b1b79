"""The optional second opinion on a sentence's label: a logistic regression over its sentence
embedding (the `semantic` extra's all-MiniLM-L6-v2, int8 on CPU), shipped as JSON.

The lexical model reads cues it was given (event verbs, n-grams); the embedding reads how a
sentence is phrased as a whole ("relations have cooled", "a marriage of convenience"). Their
label probabilities are averaged with `weight` on the head, chosen by cross-validation
(`python -m bot indicators train-head`). Plain numpy at inference; the embedder is a port
passed in by the composition root, so the core never imports torch.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["EmbeddingHead"]

FloatArray = npt.NDArray[np.float64]
DATA = "embedding_head.json"


@dataclass(frozen=True, slots=True, eq=False)
class EmbeddingHead:
    version: str
    embedder: str  # the model_name of the embedder it was fitted on
    classes: tuple[str, ...]
    coef: FloatArray  # (dimensions, classes)
    intercept: FloatArray  # (classes,)
    weight: float  # share of the head in the averaged probabilities

    @property
    def dimensions(self) -> int:
        return int(self.coef.shape[0])

    def proba(self, vectors: Sequence[Sequence[float]]) -> FloatArray:
        """Softmax probabilities, one row per vector, columns in `classes` order."""
        x = np.asarray(vectors, dtype=np.float64).reshape(-1, self.dimensions)
        z = x @ self.coef + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        out: FloatArray = e / e.sum(axis=1, keepdims=True)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EmbeddingHead:
        coef = np.asarray(data["coef"], dtype=np.float64)
        intercept = np.asarray(data["intercept"], dtype=np.float64)
        classes = tuple(str(c) for c in data["classes"])
        if coef.ndim != 2 or coef.shape[1] != len(classes) or intercept.shape != (len(classes),):
            raise ValueError("embedding head: coef must be (dimensions, classes)")
        weight = float(data["weight"])
        if not 0.0 <= weight <= 1.0:
            raise ValueError("embedding head: weight must be within [0, 1]")
        return cls(str(data["version"]), str(data["embedder"]), classes, coef, intercept, weight)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "embedder": self.embedder,
            "classes": list(self.classes),
            "weight": self.weight,
            "intercept": [round(float(v), 5) for v in self.intercept],
            "coef": [[round(float(v), 5) for v in row] for row in self.coef],
        }

    @classmethod
    def load(cls) -> EmbeddingHead:
        """The packaged head (`embedding_head.json`)."""
        raw = resources.files("briefs.indicators").joinpath(DATA).read_text(encoding="utf-8")
        return cls.from_json(json.loads(raw))
