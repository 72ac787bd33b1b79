"""The abstention model: its signals, its arithmetic, the shipped coefficients, the fit."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest

from briefs.answering.abstention import (
    FEATURES,
    AbstentionModel,
    IndexStats,
    abstention_features,
    default_model,
)
from briefs.answering.train_abstention import fit
from briefs.models import Passage, SearchHit
from briefs.retrieval.query import plan_query
from briefs.retrieval.rank import corpus_weights, rerank
from tests.fakes import stored_brief


def _signals(
    question: str,
    passage: str,
    frequency: dict[str, int],
    paraphrased: frozenset[str] = frozenset(),
) -> dict[str, float]:
    plan = plan_query(question, today=dt.date(2025, 1, 1))
    hit = SearchHit(Passage(1, 1, 0, passage, 0, len(passage)), stored_brief(1, "Notes"), 1.0)
    key = plan.key_groups or plan.groups
    df = {g.name: frequency.get(g.name, 1) for g in plan.groups}
    weights = corpus_weights(key, 100, [df[g.name] for g in key])
    ranked = rerank(plan, [hit], weights)
    return abstention_features(plan, ranked, IndexStats(weights, df, 100, paraphrased), [passage])


def test_signals_count_words_the_corpus_never_uses() -> None:
    passage = "Russian bombers flew from the Hamadan air base in August 2016."
    plain = _signals("Why did bombers fly from Hamadan?", passage, {})
    odd = _signals("Why did bombers fly from Hamadan zyxwv?", passage, {"zyxwv": 0})

    assert plain["unknown_share"] == 0.0
    assert odd["unknown_share"] > 0.0
    assert odd["unknown_named_share"] > 0.0  # an unfamiliar name-like word counts as named
    assert set(plain) == set(FEATURES)


def test_signals_check_the_answer_type() -> None:
    no_number = "Iranian lawmakers objected to the Russian use of the Hamadan base."
    with_number = "Russia flew 4 bombers from the Hamadan base."
    asks_number = _signals("How many bombers were at Hamadan?", no_number, {})
    answered_number = _signals("How many bombers were at Hamadan?", with_number, {})
    asks_date = _signals("When did bombers use Hamadan?", no_number, {})
    plain = _signals("Why did lawmakers object to Hamadan?", no_number, {})

    assert asks_number["asks_number_or_date"] == 1.0
    assert asks_number["answer_type_missing"] == 1.0
    assert answered_number["answer_type_missing"] == 0.0
    assert asks_date["answer_type_missing"] == 1.0
    assert plain["asks_number_or_date"] == plain["answer_type_missing"] == 0.0


def test_a_number_or_date_the_question_already_gave_is_not_an_answer() -> None:
    passage = "On May 9 Israel struck Iranian positions in Syria."
    toll = _signals("How many people died in the May 9 strikes in Syria?", passage, {})
    when = _signals("When did Israel strike Iranian positions in Syria?", passage, {})
    again = _signals("When in 2018 did Israel strike Iranian positions?", passage, {})

    assert toll["answer_type_missing"] == 1.0  # "9" is the question's own number
    assert when["answer_type_missing"] == 0.0
    assert again["answer_type_missing"] == 0.0  # "May" is new, even though 2018 is not


@pytest.mark.parametrize(
    ("question", "asks_date"),
    [
        ("When did Iran protest?", True),
        ("So, when did Russia help?", True),
        ("Since when has Russia helped?", False),  # "since the Soviet collapse" answers it
        ("In what year did bombers use Hamadan?", True),
        ("Which leader was Putin hosting when the statement came out?", False),
        ("Why did Iran object when Russia announced the flights?", False),
    ],
)
def test_when_asks_for_a_date_only_as_the_question_word(question: str, asks_date: bool) -> None:
    signals = _signals(question, "Iranian lawmakers objected to the flights.", {})
    assert signals["asks_number_or_date"] == float(asks_date)


def test_a_concept_only_a_candidate_title_uses_is_not_unknown() -> None:
    # "Notes" is the candidate's title; no passage in the index uses the word
    signals = _signals("What do the notes say about Hamadan?", "Hamadan base.", {"notes": 0})
    assert signals["unknown_share"] == 0.0


def test_the_number_must_come_from_a_sentence_about_the_question() -> None:
    question = "When did Defense Minister Dehghan leave his post?"
    about = "Defense Minister Hossein Dehghan visited Moscow often."
    aside = "Russia flew strikes from Hamadan in August."
    plan = plan_query(question, today=dt.date(2025, 1, 1))
    hit = SearchHit(Passage(1, 1, 0, about, 0, len(about)), stored_brief(1, "Notes"), 1.0)
    key = plan.key_groups or plan.groups
    df = {g.name: 1 for g in plan.groups}
    weights = corpus_weights(key, 100, [1 for _ in key])
    stats = IndexStats(weights, df, 100)
    features = abstention_features(plan, rerank(plan, [hit], weights), stats, [about, aside])
    assert features["answer_type_missing"] == 1.0  # "August" is in the aside only


@pytest.mark.parametrize(
    "passage",
    ["Russia built the bases during the Cold War.", "Doubts date from the previous decade."],
)
def test_an_era_answers_when(passage: str) -> None:
    assert _signals("When did Russia build its bases?", passage, {})["answer_type_missing"] == 0.0


def test_cost_questions_ask_for_a_number_and_one_of_is_no_count() -> None:
    cost = _signals("What was the total cost of Bushehr?", "Russia built Bushehr.", {})
    one = _signals("How many bombers were at Hamadan?", "Hamadan was one of the bases used.", {})
    assert cost["asks_number_or_date"] == cost["answer_type_missing"] == 1.0
    assert one["answer_type_missing"] == 1.0


def test_a_year_or_a_designation_is_no_answer_to_how_many() -> None:
    year = "In August 2016 Russian Tu-22M3 bombers flew from the Hamadan base."
    count = "In August 2016 four Russian bombers flew from the Hamadan base."
    how_many = "How many Russian bombers were at Hamadan?"
    how_long = "How long have Russian bombers used Hamadan?"

    assert _signals(how_many, year, {})["answer_type_missing"] == 1.0
    assert _signals(how_many, count, {})["answer_type_missing"] == 0.0
    assert _signals(how_long, year, {})["answer_type_missing"] == 0.0  # "since 2016" answers
    worth = _signals("How much was the 2022 drone deal worth?", "A $1.7 billion deal.", {})
    assert worth["answer_type_missing"] == 0.0


def test_unknown_words_split_into_paraphrased_and_unrelated() -> None:
    passage = "Iranian reformers worry about how close Tehran has grown to Moscow."
    question = "Who is uneasy about how cozy Tehran has become with Moscow?"
    unknown = {"uneasy": 0, "cozy": 0}
    paraphrase = _signals(question, passage, unknown, frozenset({"uneasy", "cozy"}))
    unrelated = _signals(question, passage, unknown)

    assert paraphrase["unknown_share"] == unrelated["unknown_share"] > 0.0
    assert paraphrase["unknown_paraphrased_share"] == unrelated["unknown_share"]
    assert paraphrase["unknown_unrelated_share"] == 0.0
    assert unrelated["unknown_unrelated_share"] == unrelated["unknown_share"]
    assert unrelated["unknown_paraphrased_share"] == 0.0


def test_signals_see_concepts_the_corpus_has_elsewhere() -> None:
    passage = "Russian bombers flew from the Hamadan air base."
    signals = _signals("Did bombers from Hamadan carry cruise missiles?", passage, {"missiles": 3})

    assert signals["missing_known_share"] > 0.0
    assert signals["missing_known_weight"] > 0.0
    assert 0.0 < signals["brief_coverage"] < 1.0


def test_model_arithmetic_and_json_round_trip() -> None:
    model = AbstentionModel({"unknown_share": 4.0}, intercept=-2.0, threshold=0.5, version="t")

    assert model.probability({"unknown_share": 0.5}) == pytest.approx(0.5)
    assert model.probability({"unknown_share": 0.0}) < 0.5 < model.probability({"unknown_share": 1})
    assert model.probability({"unknown_share": 1e9}) == pytest.approx(1.0)  # no overflow
    assert AbstentionModel.from_json(json.loads(json.dumps(model.to_json()))) == model


def test_model_rejects_unknown_features() -> None:
    with pytest.raises(ValueError, match="unknown"):
        AbstentionModel.from_json(
            {"coefficients": {"shoe_size": 1.0}, "intercept": 0, "threshold": 0.5}
        )


def test_shipped_model_is_fitted() -> None:
    model = default_model()

    assert model.version.startswith("lr-")
    assert set(model.coefficients) == set(FEATURES)
    assert 0.0 < model.threshold < 1.0
    # More of the question unknown to the corpus makes abstaining more likely.
    assert model.coefficients["unknown_share"] > 0


def test_fit_learns_the_signal_and_picks_a_threshold_by_cross_validation() -> None:
    rng = random.Random(7)
    rows, labels = [], []
    for _ in range(120):
        unanswerable = rng.random() < 0.3
        rows.append(
            {
                "brief_coverage": rng.uniform(0.0, 0.5) if unanswerable else rng.uniform(0.4, 1),
                "unknown_share": rng.uniform(0.2, 0.6) if unanswerable else rng.uniform(0, 0.3),
            }
        )
        labels.append(unanswerable)

    result = fit(rows, labels)

    assert result.questions == 120
    coefficients = result.model.coefficients
    assert coefficients["brief_coverage"] < 0 < coefficients["unknown_share"]
    assert result.chosen in result.cv
    assert result.chosen.answered > 0.8
    assert result.chosen.refused > 0.8


def test_fit_needs_both_classes() -> None:
    with pytest.raises(ValueError, match="unanswerable"):
        fit([{"brief_coverage": 1.0}] * 10, [False] * 10)
