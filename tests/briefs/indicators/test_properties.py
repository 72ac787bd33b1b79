from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.indicators import LABELS, MODES, TRACKS, IndicatorModel

_MODEL = IndicatorModel.load()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=100)))
def test_classify_never_raises_and_returns_valid_enums(text: str, previous: str | None) -> None:
    result = _MODEL.classify(text, previous)
    assert result.label in LABELS
    assert result.track in TRACKS
    assert result.mode in MODES
    assert -10.0 <= result.score <= 10.0
    assert 0.0 <= result.confidence <= 1.0
    if not result.dyad:
        assert (result.label, result.track, result.score) == ("neutral", "other", 0.0)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Russia and Iran signed a treaty.", "Moscow refused.", "The two countries met.",
             "Brent rose.", "Iran protested.", "\n", " ", "Tehran could sign a deal?"]
        ),
        max_size=8,
    )
)  # fmt: skip
def test_analyse_offsets_are_consistent(parts: list[str]) -> None:
    text = " ".join(parts)
    for i, s in enumerate(_MODEL.analyse(text)):
        assert s.ordinal == i
        assert text[s.start : s.end] == s.text
