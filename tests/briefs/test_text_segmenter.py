"""`briefs.text`'s pysbd span pass (str.find) must give exactly what pysbd's regex pass gives."""

from __future__ import annotations

import random

import pysbd
import pytest

from briefs.text import _segmenter, split_sentences

CASES = [
    "",
    "One. Two. Three.",
    "Yes. Yes. Yes.",
    "a. a. a. a.",
    "   . . .",
    "Ok. Ok.  Ok.\t Ok.",
    "Mr. Lavrov met Dr. Zarif in the U.S.A. on Jan. 5 at 3 p.m. They agreed.",
    "Russia and Iran signed a “strategic” deal — the U.S. objected (again). Why?",
    "No. 5 was delivered. St. Petersburg hosted talks e.g. on gas, i.e. trade.",
    "Prices rose 3.5% in Q1.\u00a0Then fell.\u2003Again.",
]


def _reference(text: str) -> list[str]:
    plain = pysbd.Segmenter(language="en", clean=False, char_span=False)
    return plain.segment(text)  # type: ignore[no-any-return]


def _fuzz(n: int) -> list[str]:
    rnd = random.Random(11)
    alphabet = [*"ab .. ,!?\t  Mr.Dr.U.S.A.  e.g. i.e. 3.5 “”\"'()", "Jan. ", "No. 5", "\u00a0"]
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(n)]


@pytest.mark.parametrize("text", CASES + _fuzz(300))
def test_same_sentences_as_pysbd(text: str) -> None:
    assert _segmenter().segment(text) == _reference(text)


def test_offsets_point_into_the_text() -> None:
    text = "Moscow and Tehran met. They agreed.\nA new line. Yes. Yes."
    spans = split_sentences(text)
    assert [s.text for s in spans] == [
        "Moscow and Tehran met.",
        "They agreed.",
        "A new line.",
        "Yes.",
        "Yes.",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
