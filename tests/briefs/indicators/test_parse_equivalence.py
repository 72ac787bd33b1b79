"""The fast paths of parsing (literal screens, actor spans, light parse of sentences outside
the dyad, cached character n-grams) give exactly what the plain computation gives."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest

from briefs.indicators import IndicatorModel
from briefs.indicators.actors import ActorMatcher
from briefs.indicators.features import Featurizer, Parsed
from briefs.indicators.lexicon import Lexicon
from briefs.indicators.tracks import keyword_counts

_EVAL = Path(__file__).resolve().parents[3] / "eval" / "dev"

_EDGE = [
    "İRAN and RUSSIA SIGNED a treaty.",  # İ lower-cases to two characters
    "Moscow deliſered the S-300s to Tehran.",  # long s folds to "s" in a regex
    "The KREMLIN WARNED TEHRAN against it, ΣΑΣ said.",
    "Ｒussia and Iran held talks in Tehran — Kelvin K aside.",
    "",
]


def _texts() -> list[str]:
    rows = [
        json.loads(line)
        for line in (_EVAL / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    texts = [str(r["text"]) for r in rows] + [str(r["previous"]) for r in rows if "previous" in r]
    return texts + [t.upper() for t in texts[:150]] + _EDGE


TEXTS = _texts()


def _reference_lexicon(lexicon: Lexicon) -> Lexicon:
    plain = Lexicon.load()
    object.__setattr__(
        plain,
        "events",
        tuple(dataclasses.replace(e, prefixes=None, screen=None) for e in lexicon.events),
    )
    plain.track_keyword_screens = dict.fromkeys(plain.track_keywords)
    return plain


def _reference_ngrams(parsed: Parsed) -> Counter[str]:
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


def test_screens_are_built(lexicon: Lexicon) -> None:
    screened = [e for e in lexicon.events if e.screen is not None]
    assert len(screened) >= len(lexicon.events) // 2


def test_event_matches_and_keywords_identical(lexicon: Lexicon) -> None:
    plain = _reference_lexicon(lexicon)
    for text in TEXTS:
        assert lexicon.match(text) == plain.match(text), text
        assert keyword_counts(lexicon, text) == keyword_counts(plain, text), text


def test_mentions_from_spans_identical(actors: ActorMatcher) -> None:
    for text in TEXTS:
        assert actors.mentions_from(text, actors.spans(text)) == actors.mentions(text), text


def test_parse_identical_and_light_parse_consistent(lexicon: Lexicon, actors: ActorMatcher) -> None:
    fast = Featurizer(lexicon, actors)
    plain = Featurizer(_reference_lexicon(lexicon), actors)
    for text in TEXTS:
        full = fast.parse(text)
        assert full == plain.parse(text), text
        assert Featurizer.ngram_counts(full) == _reference_ngrams(full), text
        light = fast.parse(text, full=False)
        if full.dyad:
            assert light == full
        else:
            assert (light.mentions, light.dyad, light.hits, light.mode) == (
                full.mentions,
                full.dyad,
                full.hits,
                full.mode,
            )


def test_analyse_identical_to_full_parse(
    model: IndicatorModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    briefs = [" ".join(TEXTS[i : i + 25]) for i in range(0, 600, 25)]
    fast = [model.analyse(b) for b in briefs]
    original = Featurizer.parse

    def always_full(self: Featurizer, *args: object, **kwargs: object) -> Parsed:
        kwargs["full"] = True
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Featurizer, "parse", always_full)
    assert [model.analyse(b) for b in briefs] == fast


def test_target_features(model: IndicatorModel) -> None:
    third = model.featurizer.parse("Russia condemned the Israeli strikes on Iran.")
    assert "d:tgt:cuecoop:third" in Featurizer.dictionary_features(third)
    partner = model.featurizer.parse("Iran protested against Russia's silence.")
    feats = Featurizer.dictionary_features(partner)
    assert any(k.startswith("d:tgt:") and k.endswith(":dyad") for k in feats)
