"""Sentence features shared by training and inference.

* word unigrams and bigrams (``w:``/``b:``) and within-word character 3–5-grams (``c:``)
  of the sentence with actor names masked (``rusactor``/``iranactor``/``thirdactor``),
  weighted ``(1 + log tf) · idf`` and L2-normalised;
* dictionary features (``d:``): the event dictionary's hits (per event type, cooperative and
  conflictual maxima, negation), the mode, dyad flags and track keyword/rule hits. These
  are left unnormalised in [0, 1].
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from briefs.indicators.actors import ActorMatcher, Mentions
from briefs.indicators.lexicon import EventHit, Lexicon
from briefs.indicators.modes import detect_mode
from briefs.indicators.tracks import keyword_counts, rule_track
from briefs.text import words

__all__ = ["Featurizer", "Parsed"]


@dataclass(frozen=True, slots=True)
class Parsed:
    """Everything the rules know about one sentence."""

    text: str
    mentions: Mentions
    dyad: bool
    hits: tuple[EventHit, ...]
    mode: str
    rule_track: str | None
    keywords: dict[str, int]
    tokens: tuple[str, ...]


class Featurizer:
    def __init__(self, lexicon: Lexicon, actors: ActorMatcher) -> None:
        self.lexicon = lexicon
        self.actors = actors

    def parse(
        self, text: str, previous: Mentions | None = None, previous_dyad: bool = False
    ) -> Parsed:
        mentions = self.actors.mentions(text)
        dyad = ActorMatcher.resolve(mentions, previous, previous_dyad)
        hits = tuple(self.lexicon.match(text))
        return Parsed(
            text=text,
            mentions=mentions,
            dyad=dyad,
            hits=hits,
            mode=detect_mode(self.lexicon, text, hits),
            rule_track=rule_track(self.lexicon, text),
            keywords=keyword_counts(self.lexicon, text),
            tokens=tuple(words(self.actors.mask(text))),
        )

    @staticmethod
    def ngram_counts(parsed: Parsed) -> Counter[str]:
        counts: Counter[str] = Counter()
        toks = parsed.tokens
        for i, tok in enumerate(toks):
            counts["w:" + tok] += 1
            if i + 1 < len(toks):
                counts["b:" + tok + " " + toks[i + 1]] += 1
            padded = f" {tok} "
            for n in (3, 4, 5):
                for j in range(len(padded) - n + 1):
                    counts["c:" + padded[j : j + n]] += 1
        return counts

    @staticmethod
    def dictionary_features(parsed: Parsed) -> dict[str, float]:
        feats: dict[str, float] = {}
        coop = [h for h in parsed.hits if h.polarity > 0]
        tens = [h for h in parsed.hits if h.polarity < 0]
        feats["d:coop_max"] = max((h.weight for h in coop), default=0.0) / 10.0
        feats["d:tens_max"] = max((h.weight for h in tens), default=0.0) / 10.0
        feats["d:coop_n"] = min(len(coop), 4) / 4.0
        feats["d:tens_n"] = min(len(tens), 4) / 4.0
        net = sum(h.polarity * h.weight for h in parsed.hits)
        feats["d:net"] = max(-1.0, min(1.0, net / 10.0))
        for hit in parsed.hits:
            key = "d:ev:" + hit.event + (":neg" if hit.negated else "")
            feats[key] = 1.0
        if any(h.negated for h in parsed.hits):
            feats["d:negated"] = 1.0
        feats["d:mode:" + parsed.mode] = 1.0
        feats[f"d:{parsed.mode}:coop"] = feats["d:coop_max"]
        feats[f"d:{parsed.mode}:tens"] = feats["d:tens_max"]
        m = parsed.mentions
        feats["d:dyad"] = 1.0 if parsed.dyad else 0.0
        feats["d:both"] = 1.0 if m.both else 0.0
        if m.third_party:
            feats["d:third"] = 1.0
        if m.joint:
            feats["d:joint"] = 1.0
        if not (m.russia or m.iran):
            feats["d:no_actor"] = 1.0
        for track, n in parsed.keywords.items():
            feats["d:kw:" + track] = min(n, 3) / 3.0
        if parsed.rule_track is not None:
            feats["d:rule:" + parsed.rule_track] = 1.0
        return {k: v for k, v in feats.items() if v}

    @staticmethod
    def tf(count: int) -> float:
        return 1.0 + math.log(count)
