"""Group unanswered questions by shared key terms: the corpus owner's to-do list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefs.errors import UserError
from briefs.models import QuestionRecord
from briefs.retrieval.query import plan_query

__all__ = ["GapGroup", "group_gaps"]


@dataclass
class GapGroup:
    topic: str
    terms: set[str]
    questions: list[str] = field(default_factory=list)


def group_gaps(records: Sequence[QuestionRecord], min_shared: float = 0.5) -> list[GapGroup]:
    """Single-pass clustering: a question joins the first group sharing ≥ half its concepts."""
    groups: list[GapGroup] = []
    for record in records:
        try:
            plan = plan_query(record.text)
        except UserError:
            continue
        terms = {g.name for g in plan.key_groups} or {g.name for g in plan.groups}
        if not terms:
            continue
        for group in groups:
            shared = len(terms & group.terms)
            if shared and shared / min(len(terms), len(group.terms)) >= min_shared:
                group.questions.append(record.text)
                group.terms |= terms
                break
        else:
            groups.append(GapGroup(" ".join(sorted(terms)[:4]), set(terms), [record.text]))
    groups.sort(key=lambda g: -len(g.questions))
    return groups
