from __future__ import annotations

from briefs.indicators import IndicatorModel, document_balance
from briefs.models import SentenceAnalysis


def _s(label: str, track: str, score: float, mode: str = "asserted", *, dyad: bool = True,
       confidence: float = 1.0) -> SentenceAnalysis:  # fmt: skip
    return SentenceAnalysis(0, 0, 1, "x", dyad, label, track, mode, score, confidence, "t")


def test_balance_sign_and_value() -> None:
    sentences = [
        _s("cooperation", "military", 8.0),
        _s("tension", "energy_economy", -2.0),
        _s("cooperation", "diplomatic", 1.0, confidence=0.5),
    ]
    result = document_balance(sentences)
    # coop = 8 + 0.5 = 8.5, tension = 2 -> (8.5 - 2) / 10.5
    assert result.balance is not None
    assert abs(result.balance - 6.5 / 10.5) < 1e-3
    assert result.top_cooperation == ("military", "diplomatic")
    assert result.top_tension == ("energy_economy",)
    negative = document_balance([_s("tension", "israel", -5.0), _s("cooperation", "syria", 1.0)])
    assert negative.balance is not None
    assert negative.balance < 0


def test_none_without_evidence() -> None:
    assert document_balance([]).balance is None
    only_neutral = [_s("neutral", "other", 0.0), _s("cooperation", "other", 3.0, dyad=False)]
    assert document_balance(only_neutral).balance is None


def test_historical_and_hypothetical_excluded_negated_counted() -> None:
    sentences = [
        _s("tension", "history_mistrust", -10.0, "historical"),
        _s("cooperation", "military", 4.0, "hypothetical"),
        _s("cooperation", "nuclear", 2.0),
    ]
    assert document_balance(sentences).balance == 1.0
    assert document_balance(sentences[:2]).balance is None
    with_negated = [*sentences, _s("tension", "military", -2.0, "negated")]
    assert document_balance(with_negated).balance == 0.0


def test_top_tracks_capped_at_three() -> None:
    tracks = ["military", "nuclear", "syria", "ukraine"]
    sentences = [_s("cooperation", t, float(i + 1)) for i, t in enumerate(tracks)]
    assert document_balance(sentences).top_cooperation == ("ukraine", "syria", "nuclear")


def test_balance_from_model(model: IndicatorModel) -> None:
    text = (
        "Russia and Iran signed a comprehensive strategic partnership treaty. "
        "Russia delivered S-300 air defence systems to Iran. "
        "Russian and Iranian wars in the 19th century cost Iran its Caucasus lands."
    )
    result = document_balance(model.analyse(text))
    assert result.balance is not None
    assert result.balance > 0
