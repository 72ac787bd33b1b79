"""Misspelled question words read as the spelling the candidate passages use."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein

from briefs.models import Brief, Passage, SearchHit
from briefs.retrieval.query import plan_query
from briefs.retrieval.related_words import base_forms
from briefs.retrieval.spelling import (
    MIN_LENGTH,
    NATIONAL_SPELLINGS,
    QUESTION_WORDS,
    SHORT_LENGTH,
    as_written,
    corrections,
    misspellings,
    respelled,
)
from briefs.text import words
from tests.fakes import stored_brief

FUNERAL = (
    "As mourners walked past the Russian embassy during Rafsanjani's funeral, they chanted "
    "'Death to Russia'. The statement was issued while Putin hosted Xi Jinping."
)


def test_one_edit_typos_are_read_as_the_passages_spelling() -> None:
    fixed = corrections(["rafsanajni", "statment", "hezbolah"], [FUNERAL, "Hezbollah fighters"])
    assert fixed == {"rafsanajni": "rafsanjani", "statment": "statement", "hezbolah": "hezbollah"}


def test_run_together_words_and_the_other_national_spelling_are_read_as_written() -> None:
    texts = ["Russian air power and ground forces organized by Iran; the rumoured deal"]
    assert corrections(["airpower", "organised", "rumored"], texts) == {
        "airpower": "air power",
        "organised": "organized",
        "rumored": "rumoured",
    }


def test_short_words_only_with_swapped_letters_or_as_a_question_word() -> None:
    texts = ["Russia may build bases worth 1.7 billion; Raisi and Modi"]
    fixed = corrections(["biuld", "worht", "wich", "raisy", "modo", "govt"], texts)
    assert fixed == {"biuld": "build", "worht": "worth", "wich": "which"}


def test_an_acronym_the_texts_spell_out_is_read_as_the_name() -> None:
    texts = [
        "Mohsen Milani, a professor at the University of South Florida, wrote this.",
        "The Islamic Revolutionary Guard Corps and Vladimir Putin met.",
    ]
    fixed = corrections(["usf", "irgc", "xyz"], texts)
    assert fixed == {
        "usf": "university of south florida",
        "irgc": "islamic revolutionary guard corps",
    }


def test_english_words_short_words_and_far_words_are_left_alone() -> None:
    texts = ["The United States signed a coalition deal; what form the forum takes is open."]
    # "status" and "condition" are English words; "forum" is too short to guess from;
    # "rafsanajni" has no spelling within one edit in these texts
    assert corrections(["status", "condition", "forum", "rafsanajni"], texts) == {}
    assert corrections(["s300x", "2016"], ["s300 in 2017"]) == {}


def test_the_most_frequent_of_equally_close_spellings_wins() -> None:
    assert corrections(["khamenie"], ["Khamenei Khamenei khameni"]) == {"khamenie": "khamenei"}


@given(
    st.lists(st.text(alphabet="abcdeijnrst", min_size=1, max_size=10), max_size=6),
    st.lists(st.text(alphabet="abcdeijnrst .", max_size=60), max_size=4),
)
def test_corrections_only_ever_name_words_of_the_texts(asked: list[str], texts: list[str]) -> None:
    tokens = [words(t) for t in texts]
    vocabulary = {w for ts in tokens for w in ts}
    pairs = {f"{a} {b}" for ts in tokens for a, b in itertools.pairwise(ts)}
    for word, fixed in corrections(asked, texts).items():
        assert fixed != word
        assert len(word) >= SHORT_LENGTH
        if len(word) < MIN_LENGTH:  # swapped letters, or a misspelled question word
            swapped = sorted(word) == sorted(fixed) and fixed in vocabulary
            assert swapped or fixed in QUESTION_WORDS
            assert DamerauLevenshtein.distance(word, fixed) == 1
        elif " " in fixed:  # run together
            assert fixed in pairs
            assert fixed.replace(" ", "") == word
        else:
            assert fixed in vocabulary
            near = DamerauLevenshtein.distance(word, fixed) == 1 and not base_forms(word)
            national = any(
                word.replace(x, y) == fixed
                for a, b in NATIONAL_SPELLINGS
                for x, y in ((a, b), (b, a))
            )
            assert near or national


def _hit(brief: Brief, text: str) -> SearchHit:
    return SearchHit(Passage(1, brief.id, 0, text, 0, len(text)), brief, 1.0)


def test_misspellings_are_the_unknown_concepts_with_a_near_spelling() -> None:
    plan = plan_query("What did crowds chant at Rafsanajni's funeral?", today=dt.date(2026, 1, 1))
    frequency = {g.name: 3 for g in plan.groups} | {"rafsanajni": 0}
    hits = [_hit(stored_brief(1, "Funeral"), FUNERAL)]
    assert misspellings(plan, frequency, hits) == {"rafsanajni": "rafsanjani"}
    assert misspellings(plan, {g.name: 1 for g in plan.groups}, hits) == {}
    assert misspellings(plan, frequency, []) == {}


def test_respelled_replaces_whole_words_keeping_their_capitals() -> None:
    fixed = {"rafsanajni": "rafsanjani", "statment": "statement"}
    assert (
        respelled("Rafsanajni's statment, not statments", fixed)
        == "Rafsanjani's statement, not statments"
    )
    assert respelled("Why did Iran protest?", {}) == "Why did Iran protest?"
    usf = {"usf": "university of south florida"}
    assert respelled("the USF professor", usf) == "the University of South Florida professor"


def test_the_note_names_the_words_as_they_were_typed() -> None:
    fixed = {"rafsanajni": "rafsanjani", "wich": "which"}
    assert as_written("wich crowd mourned Rafsanajni?", fixed) == (
        ("Rafsanajni", "Rafsanjani"),
        ("wich", "which"),
    )
