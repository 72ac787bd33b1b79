import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.errors import InvalidQuestionError
from briefs.retrieval.query import MAX_QUESTION_CHARS, clean_question, plan_query

TODAY = dt.date(2025, 6, 1)


def names(question: str) -> list[str]:
    return [g.name for g in plan_query(question, today=TODAY).groups]


def test_aliases_expand_to_concepts_and_mark_the_dyad_generic():
    plan = plan_query("Why did Tehran protest the Kremlin's use of Nojeh?", today=TODAY)
    by_name = {g.name: g for g in plan.groups}
    assert set(by_name) == {"iran", "protest", "russia", "hamadan"}
    assert by_name["iran"].generic
    assert by_name["russia"].generic
    assert "hamadan" in by_name["hamadan"].terms
    assert [g.name for g in plan.key_groups] == ["protest", "hamadan"]


def test_multi_word_aliases_match_as_phrases():
    assert names("What happened to the nuclear deal?") == ["jcpoa"]
    assert "irgc" in names("role of the Revolutionary Guards")


def test_stop_words_and_possessives_are_dropped():
    assert names("What is Russia’s plan?") == ["russia", "plan"]


def test_answer_type_nouns_and_connectives_are_not_searched_for():
    assert names("In what year did the treaty's signing happen?") == ["treaty", "signing"]
    assert names("On which day did Israel strike?") == ["israel", "strike"]
    assert names("Apart from arms, what does Iran get these days?") == ["weapons", "iran"]
    assert names("The year of the treaty") == ["year", "treaty"]  # not asking for a year
    assert plan_query("What does Iran get these days?", today=TODAY).prefer_recent
    assert names("How much was the drone deal worth?") == ["shahed", "treaty"]
    assert names("What did the war cost Iran?") == ["war", "cost", "iran"]
    assert names("Who is the ex-MI6 guy?") == ["mi6"]
    assert names("What else must Iran buy?") == ["iran", "buy"]


def test_irregular_forms_are_searched_too():
    [lose] = [g for g in plan_query("What did Iran lose?", today=TODAY).groups if g.name == "lose"]
    assert lose.terms == ("lose", "lost")


def test_abbreviations_reach_their_alias():
    assert names("UNSC sanctions") == ["un", "sanctions"]
    assert names("After WW2") == ["ww2"]
    assert names("whats the govt's view of the nov 2015 visit") == [
        "government",
        "november",
        "2015",
        "visit",
    ]
    assert names("British intl nuke talks") == ["uk", "international", "nuclear", "talks"]
    assert names("Israeli PM") == ["israel", "prime", "minister"]


@pytest.mark.parametrize(
    ("question", "start", "recent"),
    [
        ("What changed since 2015?", dt.date(2015, 1, 1), False),
        ("Relations since the Ukraine war", dt.date(2022, 2, 24), False),
        ("What is the latest on Bushehr?", None, True),
        ("How are ties currently?", None, True),
        ("Who supplied the S-300?", None, False),
    ],
)
def test_time_expressions(question, start, recent):
    plan = plan_query(question, today=TODAY)
    assert plan.published_from == start
    assert plan.prefer_recent is recent


@pytest.mark.parametrize("question", ["", "   ", "\u200b\u200f", "\x00\x01"])
def test_empty_questions_are_refused_clearly(question):
    with pytest.raises(InvalidQuestionError, match="Ask a question"):
        plan_query(question)


def test_a_5000_character_question_is_refused_with_its_length():
    with pytest.raises(InvalidQuestionError, match=r"5,000 characters.*under 1,000"):
        plan_query("a" * 5000)


def test_invisible_and_bidi_characters_are_removed():
    assert clean_question("Ha\u200bmadan\u202e base?\n") == "Hamadan base?"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=MAX_QUESTION_CHARS + 50))
def test_any_text_gives_a_plan_of_plain_terms_or_a_clear_error(text):
    try:
        plan = plan_query(text, today=TODAY)
    except InvalidQuestionError as exc:
        message = exc.message
        assert message
        return
    for group in plan.groups:
        for term in group.terms:
            assert term.strip()
            assert not set(term) & set('"*():^'), term
    assert len(plan.groups) <= 12
