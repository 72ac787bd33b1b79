"""Inference: event dictionary + logistic regression, numpy only.

Per sentence:

1. **dyad** — actors.json aliases, with carry-over from the previous sentence. A sentence
   outside the dyad is ``neutral``/``other`` with score 0.
2. **label** — multinomial logistic regression over TF-IDF word uni/bi-grams, character
   n-grams and dictionary features (coefficients in ``model.json``).
3. **mode** — rules (see :mod:`briefs.indicators.modes`).
4. **track** — a historical tension is ``history_mistrust``; otherwise the boundary rules of
   INDICATORS.md (:mod:`briefs.indicators.tracks`) and, when none fires, a second logistic
   regression.
   With the `semantic` extra (SEMANTIC_INDICATORS=1) the label probabilities are averaged
   with an embedding head's (:mod:`briefs.indicators.embedding_head`).
5. **score** — signed Goldstein intensity of the strongest dictionary event agreeing with the
   label (a default of 2.0 when none does). A *negated* event counts with the opposite
   polarity at half weight: "Russia did not deliver the S-300s" is tension at −3.7, "Moscow
   refused to back the sanctions" is cooperation-ish at +1.75 only if the model says
   cooperation. *Hypothetical* statements keep half weight and, like *historical* ones, are
   left out of :func:`document_balance`. Negated statements count in the balance with
   their (already halved) weight.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from briefs.indicators.actors import ActorMatcher, Mentions
from briefs.indicators.embedding_head import EmbeddingHead
from briefs.indicators.features import Featurizer, Parsed
from briefs.indicators.lexicon import Lexicon
from briefs.indicators.tracks import TRACKS
from briefs.models import SentenceAnalysis
from briefs.ports import Embedder
from briefs.text import split_sentences

__all__ = ["LABELS", "IndicatorModel"]

LABELS = ("cooperation", "tension", "neutral")
_SIGN = {"cooperation": 1.0, "tension": -1.0, "neutral": 0.0}
_DEFAULT_MAGNITUDE = 2.0

FloatArray = npt.NDArray[np.float64]


class _Linear:
    """One multinomial logistic regression: feature-major weights plus intercepts."""

    def __init__(self, spec: Mapping[str, Any], n_features: int) -> None:
        self.classes: tuple[str, ...] = tuple(spec["classes"])
        self.weights: FloatArray = np.asarray(spec["coef"], dtype=np.float64).reshape(
            n_features, len(self.classes)
        )
        self.intercept: FloatArray = np.asarray(spec["intercept"], dtype=np.float64)

    def proba(self, idx: npt.NDArray[np.intp], vals: FloatArray) -> FloatArray:
        z = vals @ self.weights[idx] + self.intercept if len(idx) else self.intercept.copy()
        z = z - z.max()
        e = np.exp(z)
        out: FloatArray = e / e.sum()
        return out


class IndicatorModel:
    """Sentence-level cooperation/tension reader for the Russia–Iran dyad."""

    def __init__(
        self,
        spec: Mapping[str, Any],
        *,
        lexicon: Lexicon | None = None,
        actors: ActorMatcher | None = None,
        dictionary_only: bool = False,
        head: EmbeddingHead | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.lexicon = lexicon or Lexicon.load()
        self.actors = actors or ActorMatcher.load()
        self.featurizer = Featurizer(self.lexicon, self.actors)
        self.dictionary_only = dictionary_only
        self.version: str = str(spec["version"]) + ("+dict-only" if dictionary_only else "")
        self.use_dictionary = bool(spec.get("dictionary_features", True))
        self.use_rules = bool(spec.get("track_rules", True))
        names: list[str] = list(spec["features"])
        self.index = {name: i for i, name in enumerate(names)}
        self.idf: FloatArray = np.asarray(spec["idf"], dtype=np.float64)
        self.dict_scale = float(spec.get("dict_scale", 1.0))
        self.label_model = _Linear(spec["label"], len(names))
        self.track_model = _Linear(spec["track"], len(names))
        self.head, self.embedder = _checked_head(head, embedder, self.label_model.classes)
        if self.head is not None:
            self.version += f"+{self.head.version}"
            self._head_order = [self.head.classes.index(c) for c in self.label_model.classes]

    @classmethod
    def load(
        cls, *, head: EmbeddingHead | None = None, embedder: Embedder | None = None
    ) -> IndicatorModel:
        """The packaged model (``model.json``, ``events.json``, ``actors.json``), with an
        embedding head and its embedder when given."""
        from briefs.indicators._resources import load_json

        return cls(load_json("model.json"), head=head, embedder=embedder)

    # -- public API ---------------------------------------------------------------------

    def analyse(self, text: str) -> list[SentenceAnalysis]:
        """Every sentence of a brief body, with dyad carry-over from sentence to sentence."""
        spans = split_sentences(text)
        parsed: list[Parsed] = []
        previous: Mentions | None = None
        previous_dyad = False
        for span in spans:
            parsed.append(self.featurizer.parse(span.text, previous, previous_dyad, full=False))
            previous, previous_dyad = parsed[-1].mentions, parsed[-1].dyad
        second = self._head_opinions(parsed)
        return [
            self._decide(p, ordinal, span.start, span.end, second.get(ordinal))
            for ordinal, (p, span) in enumerate(zip(parsed, spans, strict=True))
        ]

    def classify(self, sentence: str, previous: str | None = None) -> SentenceAnalysis:
        """One sentence; `previous` (the sentence before it) only feeds dyad carry-over."""
        parsed = self.parse(sentence, previous)
        return self._decide(parsed, 0, 0, len(sentence), self._head_opinions([parsed]).get(0))

    def parse(self, sentence: str, previous: str | None = None) -> Parsed:
        """One sentence's features, with dyad carry-over from `previous` when given."""
        prev = self.actors.mentions(previous) if previous else None
        return self.featurizer.parse(sentence, prev, prev.both if prev else False, full=False)

    def _head_opinions(self, parsed: Sequence[Parsed]) -> dict[int, FloatArray]:
        """The embedding head's label probabilities for the dyad sentences (one embedding
        call per brief), in `label_model.classes` order; {} without a head."""
        if self.head is None or self.embedder is None or self.dictionary_only:
            return {}
        dyad = [i for i, p in enumerate(parsed) if p.dyad]
        if not dyad:
            return {}
        vectors = self.embedder.embed([parsed[i].text for i in dyad])
        probabilities = self.head.proba(vectors)[:, self._head_order]
        return dict(zip(dyad, probabilities, strict=True))

    # -- internals ----------------------------------------------------------------------

    def vector(self, parsed: Parsed) -> tuple[npt.NDArray[np.intp], FloatArray]:
        idx: list[int] = []
        vals: list[float] = []
        for name, count in Featurizer.ngram_counts(parsed).items():
            i = self.index.get(name)
            if i is not None:
                idx.append(i)
                vals.append(Featurizer.tf(count) * float(self.idf[i]))
        norm = math.sqrt(sum(v * v for v in vals))
        if norm > 0:
            vals = [v / norm for v in vals]
        if self.use_dictionary:
            for name, value in Featurizer.dictionary_features(parsed).items():
                i = self.index.get(name)
                if i is not None:
                    idx.append(i)
                    vals.append(value * self.dict_scale)
        return np.asarray(idx, dtype=np.intp), np.asarray(vals, dtype=np.float64)

    def _decide(
        self,
        parsed: Parsed,
        ordinal: int,
        start: int,
        end: int,
        second: FloatArray | None = None,
    ) -> SentenceAnalysis:
        text = parsed.text
        if not parsed.dyad:
            return SentenceAnalysis(
                ordinal, start, end, text, False, "neutral", "other", parsed.mode, 0.0, 1.0,
                self.version,
            )  # fmt: skip
        if self.dictionary_only:
            label, track, confidence = self._dictionary_decision(parsed)
        else:
            idx, vals = self.vector(parsed)
            p_label = self.label_model.proba(idx, vals)
            if second is not None and self.head is not None:
                p_label = (1.0 - self.head.weight) * p_label + self.head.weight * second
            best = int(np.argmax(p_label))
            label = self.label_model.classes[best]
            confidence = float(p_label[best])
            track = self._track(parsed, label, idx, vals)
        score = self._score(parsed, label)
        return SentenceAnalysis(
            ordinal, start, end, text, True, label, track, parsed.mode, score,
            round(confidence, 4), self.version,
        )  # fmt: skip

    def _track(
        self, parsed: Parsed, label: str, idx: npt.NDArray[np.intp], vals: FloatArray
    ) -> str:
        if parsed.mode == "historical" and label == "tension":
            return "history_mistrust"
        if self.use_rules and parsed.rule_track is not None:
            return parsed.rule_track
        p_track = self.track_model.proba(idx, vals)
        return self.track_model.classes[int(np.argmax(p_track))]

    def _dictionary_decision(self, parsed: Parsed) -> tuple[str, str, float]:
        net = sum(h.polarity * h.weight for h in parsed.hits)
        label = "cooperation" if net > 0.5 else "tension" if net < -0.5 else "neutral"
        if parsed.mode == "historical" and label == "tension":
            track = "history_mistrust"
        elif parsed.rule_track is not None:
            track = parsed.rule_track
        elif parsed.keywords:
            track = max(parsed.keywords, key=lambda t: (parsed.keywords[t], -TRACKS.index(t)))
        else:
            track = "diplomatic"
        return label, track, 0.5

    @staticmethod
    def _score(parsed: Parsed, label: str) -> float:
        sign = _SIGN[label]
        if sign == 0:
            return 0.0
        agreeing = [h.weight for h in parsed.hits if h.polarity == sign]
        magnitude = max(agreeing, default=_DEFAULT_MAGNITUDE)
        if parsed.mode == "hypothetical":
            magnitude *= 0.5
        return round(sign * min(magnitude, 10.0), 3)


def _checked_head(
    head: EmbeddingHead | None, embedder: Embedder | None, classes: Sequence[str]
) -> tuple[EmbeddingHead | None, Embedder | None]:
    if (head is None) != (embedder is None):
        raise ValueError("an embedding head needs its embedder, and the other way round")
    if head is not None and embedder is not None:
        if head.embedder != embedder.model_name:
            raise ValueError(
                f"the embedding head was fitted on {head.embedder}, not {embedder.model_name}"
            )
        if set(head.classes) != set(classes):
            raise ValueError("the embedding head's classes differ from the model's labels")
    return head, embedder
