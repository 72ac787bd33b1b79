from __future__ import annotations

from briefs.indicators import IndicatorModel
from briefs.indicators.lexicon import Lexicon


def _max_weight(lexicon: Lexicon, sentence: str) -> float:
    return max(abs(h.goldstein) for h in lexicon.match(sentence))


def test_dictionary_orders_event_weights(lexicon: Lexicon) -> None:
    treaty = "Russia and Iran signed a strategic partnership treaty."
    talks = "Russia and Iran held talks."
    summoned = "Iran summoned the Russian ambassador."
    concern = "Iran expressed concern about Russia's statement."
    assert _max_weight(lexicon, treaty) > _max_weight(lexicon, talks)
    assert _max_weight(lexicon, summoned) > _max_weight(lexicon, concern)


def test_treaty_outweighs_talks(model: IndicatorModel) -> None:
    treaty = model.classify("Russia and Iran signed a strategic partnership treaty.")
    talks = model.classify("Russian and Iranian officials held talks in Tehran.")
    assert treaty.label == talks.label == "cooperation"
    assert treaty.score > talks.score > 0


def test_summons_outweighs_concern(model: IndicatorModel) -> None:
    summoned = model.classify("Iran summoned the Russian ambassador over his remarks.")
    concern = model.classify("Iran expressed concern about Russia's remarks.")
    assert summoned.label == concern.label == "tension"
    assert summoned.score < concern.score < 0


def test_scores_within_scale(model: IndicatorModel) -> None:
    for s in model.analyse(
        "Russia and Iran signed a treaty. Iran condemned Russia's vote. Putin met Raisi."
    ):
        assert -10.0 <= s.score <= 10.0
        assert 0.0 <= s.confidence <= 1.0
