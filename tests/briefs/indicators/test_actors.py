from __future__ import annotations

import pytest

from briefs.indicators import IndicatorModel
from briefs.indicators.actors import ActorMatcher


@pytest.mark.parametrize(
    "sentence",
    [
        "Putin met Pezeshkian in the Kremlin.",
        "The Kremlin and Tehran signed a treaty.",
        "Lavrov held talks with Araghchi.",
        "Rosatom will build two more units for the Islamic Republic.",
        "Russo-Iranian trade grew.",
        "The IRGC bought Russian helicopters.",
    ],
)
def test_both_sides_named_is_dyad(actors: ActorMatcher, sentence: str) -> None:
    mentions = actors.mentions(sentence)
    assert mentions.both
    assert ActorMatcher.resolve(mentions, None, previous_dyad=False)


@pytest.mark.parametrize(
    "sentence",
    [
        "The US Treasury sanctioned thirty Iranian oil firms.",
        "Israel and Russia maintain a deconfliction channel over Syria.",
        "Brent crude rose two percent on Tuesday.",
        "Moscow hosted a chess tournament.",
    ],
)
def test_non_dyad_sentences_are_neutral_other(model: IndicatorModel, sentence: str) -> None:
    result = model.classify(sentence)
    assert not result.dyad
    assert (result.label, result.track, result.score) == ("neutral", "other", 0.0)


def test_us_pronoun_is_not_the_united_states(actors: ActorMatcher) -> None:
    assert not actors.mentions("Let us talk about Moscow.").third_party
    assert actors.mentions("The US imposed sanctions.").third_party


def test_carry_over_from_previous_sentence(model: IndicatorModel) -> None:
    previous = "Russia and Iran signed a strategic partnership treaty on Friday."
    follow = "Moscow also pledged to speed up the railway project."
    assert not model.classify(follow).dyad
    assert model.classify(follow, previous=previous).dyad
    assert model.classify("The two countries also agreed to expand trade.", previous).dyad


def test_carry_over_blocked_by_third_party(model: IndicatorModel) -> None:
    previous = "Russia and Iran signed a strategic partnership treaty on Friday."
    assert not model.classify("Moscow also launched new strikes on Kyiv.", previous).dyad


def test_carry_over_between_one_sided_sentences(model: IndicatorModel) -> None:
    text = "Iran asked for more air defence systems. Moscow declined the request."
    first, second = model.analyse(text)
    assert not first.dyad
    assert second.dyad


def test_analyse_offsets_ordinals_and_carry_over(model: IndicatorModel) -> None:
    text = (
        "Russia and Iran signed a strategic partnership treaty.\n"
        "Moscow also pledged new loans for the Rasht–Astara railway. "
        "Brent crude rose two percent."
    )
    result = model.analyse(text)
    assert [s.ordinal for s in result] == [0, 1, 2]
    for s in result:
        assert text[s.start : s.end] == s.text
        assert s.model_version == model.version
    assert [s.dyad for s in result] == [True, True, False]


def test_classify_offsets(model: IndicatorModel) -> None:
    sentence = "Putin met Pezeshkian in Moscow."
    result = model.classify(sentence)
    assert (result.ordinal, result.start, result.end, result.text) == (
        0,
        0,
        len(sentence),
        sentence,
    )
