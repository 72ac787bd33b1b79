from __future__ import annotations

import pytest

from briefs.indicators import IndicatorModel
from briefs.indicators.lexicon import Lexicon
from briefs.indicators.modes import detect_mode


@pytest.mark.parametrize(
    ("sentence", "mode"),
    [
        ("Russia did not deliver the S-300 systems to Iran.", "negated"),
        ("Moscow refused to sell Iran its S-400 systems.", "negated"),
        ("Russia has yet to ratify the agreement with Iran.", "negated"),
        ("Russia and Iran could sign a new arms deal next year.", "hypothetical"),
        ("Iran may sign a gas contract with Gazprom.", "hypothetical"),
        ("Moscow would veto any new sanctions on Tehran.", "hypothetical"),
        ("Will the alliance between Russia and Iran hold?", "hypothetical"),
        ("Russia and Iran fought wars in the 18th and 19th centuries.", "historical"),
        ("Soviet troops occupied northern Iran during World War II.", "historical"),
        ("The shah's Iran saw Moscow as a threat in 1953.", "historical"),
        ("Historically, Russia and Iran have been rivals.", "historical"),
        ("Russia and Iran signed a treaty in January 2025.", "asserted"),
        ("Historical mistrust between Russia and Iran persists.", "asserted"),
        ("Rosatom's engineers in May delivered fuel to Bushehr for Iran.", "asserted"),
    ],
)
def test_mode_rules(lexicon: Lexicon, sentence: str, mode: str) -> None:
    assert detect_mode(lexicon, sentence, lexicon.match(sentence)) == mode


def test_red_army_refusal_is_historical_tension_not_negated_cooperation(
    model: IndicatorModel,
) -> None:
    result = model.classify(
        "This mistrust dates back to the period after World War II, when the Red Army "
        "refused to leave Iran."
    )
    assert result.dyad
    assert result.mode == "historical"
    assert result.label == "tension"
    assert result.track == "history_mistrust"


def test_negated_cooperation_is_tension_with_reduced_weight(model: IndicatorModel) -> None:
    asserted = model.classify("Russia delivered the S-300 air defence systems to Iran.")
    negated = model.classify("Russia did not deliver the S-300 air defence systems to Iran.")
    assert asserted.label == "cooperation"
    assert negated.mode == "negated"
    assert negated.label == "tension"
    assert 0 < abs(negated.score) < abs(asserted.score)
