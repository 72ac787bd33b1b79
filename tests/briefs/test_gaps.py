import datetime as dt

from briefs.gaps import group_gaps
from briefs.models import QuestionRecord


def record(i: int, text: str) -> QuestionRecord:
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    return QuestionRecord(i, at, text, False, None, 1.0, (), "u", "cli")


def test_similar_wordings_group_together_largest_first():
    groups = group_gaps(
        [
            record(1, "Does Iran use the Chabahar port with Russia?"),
            record(2, "What is Chabahar port used for?"),
            record(3, "Who won the World Cup?"),
            record(4, "chabahar port investment by Moscow"),
        ]
    )
    assert [len(g.questions) for g in groups] == [3, 1]
    assert "chabahar" in groups[0].topic
    assert groups[1].questions == ["Who won the World Cup?"]


def test_unusable_questions_are_skipped():
    assert group_gaps([record(1, "   "), record(2, "the of and")]) == []
