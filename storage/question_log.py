"""`QuestionLog`: asked questions (for the gaps report) and one vote per user per answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, false, func, insert, select
from sqlalchemy.exc import IntegrityError

from briefs.models import QuestionRecord
from storage._access import Access, dialect_insert, table

__all__ = ["SqlQuestionLog"]

_QUESTIONS = table("questions")
_FEEDBACK = table("feedback")


def _votes(sign: int) -> Any:
    condition = _FEEDBACK.c.vote > 0 if sign > 0 else _FEEDBACK.c.vote < 0
    return (
        select(func.count())
        .where(_FEEDBACK.c.question_id == _QUESTIONS.c.id, condition)
        .scalar_subquery()
    )


def _question_select() -> Any:
    return select(
        _QUESTIONS, _votes(+1).label("upvotes"), _votes(-1).label("downvotes")
    ).select_from(_QUESTIONS)


def _to_record(row: Row[Any]) -> QuestionRecord:
    m = row._mapping
    return QuestionRecord(
        id=m["id"],
        asked_at=m["asked_at"],
        text=m["text"],
        answered=bool(m["answered"]),
        top_score=m["top_score"],
        latency_ms=m["latency_ms"],
        source_ids=tuple(int(v) for v in (m["source_ids"] or ())),
        asked_by=m["asked_by"],
        platform=m["platform"],
        upvotes=int(m["upvotes"] or 0),
        downvotes=int(m["downvotes"] or 0),
    )


class SqlQuestionLog:
    """Implements `briefs.ports.QuestionLog`."""

    def __init__(self, access: Access) -> None:
        self._access = access

    async def log(
        self,
        *,
        text: str,
        answered: bool,
        top_score: float | None,
        latency_ms: float,
        source_ids: Sequence[int],
        asked_by: str,
        platform: str,
    ) -> int:
        async with self._access.write() as conn:
            result = await conn.execute(
                insert(_QUESTIONS)
                .values(
                    asked_at=self._access.now(),
                    text=text,
                    answered=answered,
                    top_score=top_score,
                    latency_ms=float(latency_ms),
                    source_ids=[int(v) for v in source_ids],
                    asked_by=asked_by,
                    platform=platform,
                )
                .returning(_QUESTIONS.c.id)
            )
            return int(result.scalar_one())

    async def feedback(self, question_id: int, user: str, vote: int) -> None:
        """Record `user`'s vote (+1 or -1); a later vote replaces the earlier one.

        Raises ValueError for any other vote or an unknown question id.
        """
        if vote not in (1, -1):
            raise ValueError(f"vote must be +1 or -1, not {vote!r}")
        values = {"question_id": question_id, "user": user, "vote": vote, "at": self._access.now()}
        insert_ = dialect_insert(self._access, _FEEDBACK).values(values)
        statement = insert_.on_conflict_do_update(
            index_elements=["question_id", "user"],
            set_={"vote": insert_.excluded.vote, "at": insert_.excluded.at},
        )
        try:
            async with self._access.write() as conn:
                await conn.execute(statement)
        except IntegrityError as exc:
            raise ValueError(f"unknown question #{question_id}") from exc

    async def unanswered(self, limit: int = 200) -> list[QuestionRecord]:
        """Questions the bot abstained on, newest first."""
        statement = (
            _question_select()
            .where(_QUESTIONS.c.answered == false())
            .order_by(_QUESTIONS.c.asked_at.desc(), _QUESTIONS.c.id.desc())
            .limit(max(0, limit))
        )
        async with self._access.read() as conn:
            return [_to_record(row) for row in await conn.execute(statement)]

    async def get(self, question_id: int) -> QuestionRecord | None:
        async with self._access.read() as conn:
            row = (
                await conn.execute(_question_select().where(_QUESTIONS.c.id == question_id))
            ).first()
        return None if row is None else _to_record(row)
