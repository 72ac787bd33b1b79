"""AskService on in-memory fakes: cited answers, abstention, time notes, logging."""

import datetime as dt
import re

import pytest

from briefs.answering.compose import AnswerPolicy, select_evidence
from briefs.answering.model import NOT_COVERED
from briefs.models import DateOrigin, NewBrief, Passage, SearchHit
from briefs.passages import make_passages
from briefs.retrieval.query import plan_query
from briefs.retrieval.rank import RankedPassage
from briefs.services import Actor, AskService
from tests.fakes import FixedClock, InMemoryQuestionLog, InMemoryStore, stored_brief

HAMADAN = (
    "In August 2016 Iran allowed Russian Tu-22M3 bombers to fly from the Hamadan air base "
    "for strikes in Syria. Iranian lawmakers objected that the constitution forbids foreign "
    "bases, and the defense minister accused Moscow of showing off. Russia stopped using the "
    "base within a week."
)
TREATY = (
    "In January 2025 Russia and Iran signed a comprehensive strategic partnership treaty in "
    "Moscow. The treaty has no mutual defence clause. It covers trade, energy and transport."
)
SYRIA = (
    "Russia and Iran coordinated closely to keep Bashar al-Assad in power. Russian air power "
    "and Iranian-organised ground forces retook Aleppo in December 2016."
)


def new_brief(title: str, body: str, published: dt.date, name: str) -> NewBrief:
    return NewBrief(
        title=title,
        body=body,
        original_filename=name,
        source_url=f"https://example.org/{name}",
        outlet="Example",
        published=published,
        date_origin=DateOrigin.TEXT,
        uploaded_by="test",
        content_hash=name,
        minhash=(),
        bands=(),
        passages=make_passages(body),
    )


@pytest.fixture
async def store() -> InMemoryStore:
    store = InMemoryStore()
    await store.add(new_brief("Hamadan episode", HAMADAN, dt.date(2016, 8, 23), "hamadan.md"))
    await store.add(
        new_brief("A treaty without defence", TREATY, dt.date(2025, 1, 17), "treaty.md")
    )
    await store.add(new_brief("Allies in Syria", SYRIA, dt.date(2017, 1, 14), "syria.md"))
    return store


@pytest.fixture
def questions() -> InMemoryQuestionLog:
    return InMemoryQuestionLog()


@pytest.fixture
def service(store: InMemoryStore, questions: InMemoryQuestionLog) -> AskService:
    return AskService(store, questions, FixedClock())


async def test_answer_cites_the_right_brief_with_markers_and_sources(service):
    answer = await service.answer("Why did Iran object to Russia using Hamadan?")
    assert not answer.abstained
    assert answer.sources[0].original_filename == "hamadan.md"
    assert "objected" in answer.text
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.number for c in answer.sources}
    assert answer.as_of == dt.date(2016, 8, 23)
    assert answer.sources[0].date_inferred
    assert len(answer.text) <= 900 + 20


async def test_a_partial_answer_names_what_its_sources_do_not_mention(service, store):
    from briefs.answering.compose import Evidence, _gap_note
    from briefs.retrieval.query import plan_query

    covered = await service.answer("Why did Iran object to Russia using Hamadan?")
    assert not any("do not mention" in note for note in covered.notes)

    brief = next(iter(store.briefs.values()))
    said = "Iranian lawmakers objected to the Russian bombers at the Hamadan air base."
    evidence = [Evidence(said, brief, 0, 1.0)]
    plan = plan_query("Did lawmakers object to the Kalibr missiles at Hamadan in 2016?")
    assert _gap_note(plan, evidence) == ("The cited sources do not mention: “kalibr”, “missiles”.",)
    assert _gap_note(plan_query("Did lawmakers object at Hamadan?"), evidence) == ()


async def test_every_sentence_ends_with_a_citation(service):
    answer = await service.answer("What does the 2025 treaty between Russia and Iran cover?")
    assert not answer.abstained
    for sentence in re.split(r"(?<=\])\s+", answer.text):
        assert re.search(r"\[\d+\]$", sentence), sentence


async def test_unrelated_question_abstains_with_closest_briefs(service):
    answer = await service.answer("What did Russia and Iran agree about Caspian caviar quotas?")
    assert answer.abstained
    assert answer.text == NOT_COVERED
    assert answer.sources == ()


async def test_question_with_no_matching_words_abstains_without_closest(service):
    answer = await service.answer("Who won the football world cup?")
    assert answer.abstained
    assert answer.closest == ()


async def test_sources_from_different_years_are_flagged(service):
    answer = await service.answer("How did Russia and Iran cooperate on Aleppo and the treaty?")
    assert not answer.abstained
    if len({c.published.year for c in answer.sources}) > 1:
        assert any("Sources span" in note for note in answer.notes)


async def test_fts_operators_are_plain_words(service):
    answer = await service.answer('"AND OR NEAR( * Hamadan')
    assert answer.sources
    assert answer.sources[0].original_filename == "hamadan.md"


async def test_ask_logs_the_question_and_feedback(service, questions):
    actor = Actor("discord:42", platform="discord")
    answer = await service.ask("Who won the football world cup?", actor)
    assert answer.question_id is not None
    record = questions.question_rows[answer.question_id]
    assert not record.answered
    assert record.platform == "discord"
    await service.feedback(answer.question_id, actor, -5)
    assert questions.votes[(answer.question_id, "discord:42")] == -1
    assert [q.text for q in await service.unanswered()] == ["Who won the football world cup?"]


async def test_follow_up_borrows_the_thread_question(service):
    answer = await service.answer("and why did lawmakers object?", context="Russian use of Hamadan")
    assert not answer.abstained
    assert answer.sources[0].original_filename == "hamadan.md"


async def test_unknown_words_with_a_related_word_in_the_corpus_count_as_paraphrase(service):
    # "cozy" is in no brief but "close" (Syria brief) is; "zyxwv" and "Turkmenchay" are
    # unrelated to anything, and "Hamadan" is known.
    signals = await service.abstention_signals("How cozy were zyxwv and Turkmenchay in Hamadan?")

    assert signals is not None
    assert signals["unknown_paraphrased_share"] > 0.0
    assert signals["unknown_unrelated_share"] == 2 * signals["unknown_paraphrased_share"]


def test_broad_query_takes_the_rarest_concepts_within_the_budget() -> None:
    from briefs.retrieval.query import TermGroup
    from briefs.services.ask import OR_BUDGET, _bounded

    rare, mid, common = (
        TermGroup("rare", ("rare",)),
        TermGroup("mid", ("mid",)),
        TermGroup("common", ("common",)),
    )
    absent = TermGroup("absent", ("absent",))
    groups = (common, absent, mid, rare)
    small = {"common": 50, "absent": 0, "mid": 5, "rare": 1}
    large = {"common": OR_BUDGET, "absent": 0, "mid": 50, "rare": 3}  # common: at the cap

    assert _bounded(groups, small) == (rare, mid, common)  # a small corpus: everything fits
    assert _bounded(groups, large) == (rare, mid)  # the common concept would blow the budget
    assert _bounded(groups, {**large, "mid": OR_BUDGET - 1}) == (rare,)  # rarest always kept
    # when every concept is common, all of them are searched rather than nothing
    assert _bounded((common,), {"common": OR_BUDGET}) == (common,)
    assert _bounded((absent,), {"absent": 0}) == (absent,)


def test_a_sentence_in_related_words_ranks_above_one_without_them() -> None:
    text = (
        "Iranian reformers met their supporters in Tehran last week. "
        "Iranian reformers are anxious about how close Tehran has grown to Moscow."
    )
    plan = plan_query("Why are reformers uneasy?")
    hit = SearchHit(Passage(1, 1, 0, text, 0, len(text)), stored_brief(1, "Reformers"), 1.0)
    ranked = [RankedPassage(hit, 1.0, 0.5, frozenset({"reformers"}), 0.5)]
    chosen = select_evidence(plan, ranked, AnswerPolicy())
    assert "anxious" in chosen[0].text  # WordNet relates "uneasy" and "anxious"
