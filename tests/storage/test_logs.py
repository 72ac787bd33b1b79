"""AuditLog and QuestionLog (with one vote per user per question)."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import Database


async def test_audit_record_and_recent(database: Database) -> None:
    await database.audit.record("alice", "upload", 1, "brief.md")
    await database.audit.record("bob", "delete", 1)
    await database.audit.record("carol", "reindex")
    entries = await database.audit.recent()
    assert [(e.actor, e.action, e.brief_id, e.detail) for e in entries] == [
        ("carol", "reindex", None, ""),
        ("bob", "delete", 1, ""),
        ("alice", "upload", 1, "brief.md"),
    ]
    assert all(e.at.utcoffset() == dt.timedelta(0) for e in entries)
    assert [e.actor for e in await database.audit.recent(limit=1)] == ["carol"]


async def _log(db: Database, text: str, answered: bool) -> int:
    return await db.questions.log(
        text=text,
        answered=answered,
        top_score=0.8 if answered else None,
        latency_ms=123.5,
        source_ids=[3, 1] if answered else [],
        asked_by="U1",
        platform="slack",
    )


async def test_question_log_and_get(database: Database) -> None:
    qid = await _log(database, "What about the gas deal?", True)
    record = await database.questions.get(qid)
    assert record is not None
    assert record.id == qid
    assert record.text == "What about the gas deal?"
    assert record.answered is True
    assert record.top_score == 0.8
    assert record.latency_ms == 123.5
    assert record.source_ids == (3, 1)
    assert (record.asked_by, record.platform) == ("U1", "slack")
    assert (record.upvotes, record.downvotes) == (0, 0)
    assert record.asked_at.utcoffset() == dt.timedelta(0)
    assert await database.questions.get(qid + 100) is None


async def test_unanswered_newest_first(database: Database) -> None:
    first = await _log(database, "Unanswered one", False)
    await _log(database, "Answered", True)
    second = await _log(database, "Unanswered two", False)
    records = await database.questions.unanswered()
    assert [r.id for r in records] == [second, first]
    assert all(r.top_score is None and r.source_ids == () for r in records)
    assert [r.id for r in await database.questions.unanswered(limit=1)] == [second]


async def test_feedback_is_one_vote_per_user_last_wins(database: Database) -> None:
    qid = await _log(database, "Question", True)
    await database.questions.feedback(qid, "alice", 1)
    await database.questions.feedback(qid, "bob", 1)
    record = await database.questions.get(qid)
    assert record is not None
    assert (record.upvotes, record.downvotes) == (2, 0)
    await database.questions.feedback(qid, "alice", -1)
    await database.questions.feedback(qid, "alice", -1)
    record = await database.questions.get(qid)
    assert record is not None
    assert (record.upvotes, record.downvotes) == (1, 1)


async def test_feedback_rejects_bad_votes_and_unknown_questions(database: Database) -> None:
    qid = await _log(database, "Question", False)
    with pytest.raises(ValueError, match="vote"):
        await database.questions.feedback(qid, "alice", 2)
    with pytest.raises(ValueError, match="unknown question"):
        await database.questions.feedback(qid + 50, "alice", 1)
    (record,) = await database.questions.unanswered()
    assert (record.upvotes, record.downvotes) == (0, 0)
