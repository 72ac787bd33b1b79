from __future__ import annotations

from briefs.indicators.features import Featurizer, cue_counts
from briefs.indicators.model import IndicatorModel


def test_soft_tension_cues() -> None:
    tens, coop, tens_neg, coop_neg = cue_counts(
        "Tehran was frustrated by the delayed Su-35 deliveries and Moscow's muted response."
    )
    assert tens == 3
    assert (coop, tens_neg, coop_neg) == (0, 0, 0)


def test_soft_cooperation_cues() -> None:
    tens, coop, _, _ = cue_counts("Moscow backed Tehran and pledged solidarity with its partner.")
    assert tens == 0
    assert coop >= 3


def test_negation_flips_cues() -> None:
    assert cue_counts("Moscow did not back the Iranian position.") == (0, 0, 0, 1)
    assert cue_counts("Iranian officials denied any rivalry with Russia.") == (0, 0, 1, 0)


def test_cue_features_in_dictionary_features(model: IndicatorModel) -> None:
    parsed = model.featurizer.parse("Iran complained that Russia undermined the talks.")
    feats = Featurizer.dictionary_features(parsed)
    assert feats["d:cue:tens"] > 0
    assert feats["d:cue:net"] < 0
    assert "d:cue:coop" not in feats
