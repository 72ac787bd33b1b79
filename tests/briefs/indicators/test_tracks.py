"""One test per track boundary rule of INDICATORS.md."""

from __future__ import annotations

from briefs.indicators import TRACKS, IndicatorModel
from briefs.indicators.lexicon import Lexicon
from briefs.indicators.tracks import rule_track


def test_track_tuple_is_the_public_contract() -> None:
    assert TRACKS == (
        "military", "nuclear", "energy_economy", "sanctions", "syria", "ukraine", "israel",
        "diplomatic", "history_mistrust", "domestic_opinion", "other",
    )  # fmt: skip


def _track(model: IndicatorModel, sentence: str) -> str:
    result = model.classify(sentence)
    assert result.dyad
    assert result.label != "neutral"
    return result.track


def test_ukraine_war_arms_go_to_ukraine(model: IndicatorModel) -> None:
    assert _track(model, "Iran shipped Shahed drones to Russia for its war.") == "ukraine"
    assert _track(model, "Tehran sent Fath-360 missiles to Moscow.") == "ukraine"
    assert _track(model, "Russia and Iran concluded the drone deal in 2022.") == "ukraine"


def test_su35_s300_and_bases_go_to_military(model: IndicatorModel) -> None:
    assert _track(model, "Russia delivered S-300 batteries to Iran.") == "military"
    assert _track(model, "Iran is waiting for Russian Su-35 fighters.") == "military"
    assert _track(model, "Russian bombers flew from Iran's Hamadan base.") == "military"


def test_jcpoa_and_bushehr_go_to_nuclear(model: IndicatorModel) -> None:
    assert _track(model, "Russia defended Iran's rights under the JCPOA.") == "nuclear"
    assert _track(model, "Rosatom will build two new units at Bushehr for Iran.") == "nuclear"


def test_trade_banking_gas_fta_go_to_energy_economy(
    lexicon: Lexicon, model: IndicatorModel
) -> None:
    sentence = "Russia and Iran signed a gas supply memorandum and expanded trade."
    assert rule_track(lexicon, sentence) is None
    assert _track(model, sentence) == "energy_economy"


def test_sanctions_evasion_framing_goes_to_sanctions(model: IndicatorModel) -> None:
    assert _track(model, "Russia and Iran linked their banks to bypass SWIFT.") == "sanctions"
    assert (
        _track(model, "Moscow and Tehran expanded trade to circumvent Western sanctions.")
        == "sanctions"
    )


def test_caspian_goes_to_other(model: IndicatorModel) -> None:
    assert _track(model, "Russia and Iran agreed on Caspian Sea fishing quotas.") == "other"


def test_rule_priority(lexicon: Lexicon) -> None:
    assert rule_track(lexicon, "Iran traded Shahed drones for Su-35 jets.") == "ukraine"
    assert rule_track(lexicon, "Trade in roubles helps both evade sanctions.") == "sanctions"
    assert rule_track(lexicon, "Leaders met for talks.") is None
