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


# The abbreviation pass skips abbreviations that start no word followed by "."; these pin
# down the case folding it must share with `re.IGNORECASE` (İ ı ſ K fold to ASCII letters).
ABBREVIATION_CASES = [
    "The Gen. Staff met. Gen staff met. gen. Ivanov spoke.",
    "İnc. results. ınc. results. Inc. results.",
    "ſt. Petersburg talks. St. Petersburg talks. ST. Petersburg.",
    "Kg. 5 shipped. Kg 5 shipped. kg. Then more.",
    "A. Smith and a. smith met at no. 5 and No. 6. Fig. 3 shows it. fig. 4 too.",
    "approx. 5 tons (approximately). Approx. Then. vs. them. Vs. Them.",
    "Co. Ltd. said so. Corp. said so. Inc. Then Ltd. Then.",
    "Tel. 555. tel. 556. Jan. 5. jan. 6. Dept. of State. Dept of State.",
]


@pytest.mark.parametrize("text", ABBREVIATION_CASES)
def test_abbreviation_pass_same_as_pysbd(text: str) -> None:
    assert _segmenter().segment(text) == _reference(text)


def _word_fuzz(n: int) -> list[str]:
    from pysbd.lang.english import English

    rnd = random.Random(23)
    abbreviations = [a.strip() for a in English.Abbreviation.ABBREVIATIONS]
    words = [*abbreviations, "İd", "ıd", "ſt", "Kg", "Russia", "Iran", "signed", "in", "3.5"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 25)):
            word = rnd.choice(words)
            word = (
                word.upper() if rnd.random() < 0.2 else word.title() if rnd.random() < 0.3 else word
            )
            parts.append(word + rnd.choice(["", ".", ". ", ",", " "]))
        out.append(" ".join(parts))
    return out


@pytest.mark.parametrize("text", _word_fuzz(400))
def test_abbreviation_fuzz_same_as_pysbd(text: str) -> None:
    assert _segmenter().segment(text) == _reference(text)
