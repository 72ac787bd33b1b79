"""Who a sentence is about: the Russia–Iran dyad, with discourse carry-over.

The alias table lives in ``actors.json`` (data, not code). A sentence is about the dyad when
it names both sides, or when it names one side (or uses a joint reference such as "the two
countries") and the previous sentence supplies the other side, provided it does not bring a
third party (the US, Israel, Syria, ...) into focus instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from briefs.indicators._resources import load_json

__all__ = ["ActorMatcher", "Mentions"]


@dataclass(frozen=True, slots=True)
class Mentions:
    """Which actors a sentence names."""

    russia: bool
    iran: bool
    joint: bool
    third_party: bool

    @property
    def both(self) -> bool:
        return self.russia and self.iran

    @property
    def one_side(self) -> bool:
        return self.russia != self.iran


NO_MENTIONS = Mentions(russia=False, iran=False, joint=False, third_party=False)


def _alternation(aliases: Iterable[str], *, ignore_case: bool) -> re.Pattern[str]:
    ordered = sorted({a.strip() for a in aliases if a.strip()}, key=len, reverse=True)
    body = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in ordered)
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(rf"(?<!\w)(?:{body})(?:['’]s)?(?!\w)", flags)


class ActorMatcher:
    """Compiled alias patterns for Russia, Iran, joint references and third parties."""

    def __init__(self, table: Mapping[str, Any]) -> None:
        sides = table["sides"]
        self.russia = _alternation(sides["russia"], ignore_case=True)
        self.iran = _alternation(sides["iran"], ignore_case=True)
        self.joint = _alternation(table["joint"], ignore_case=True)
        # Case-sensitive so that "US" is not the pronoun "us".
        self.third = _alternation(table["third_parties"], ignore_case=False)

    @classmethod
    def load(cls) -> ActorMatcher:
        return cls(load_json("actors.json"))

    def mentions(self, text: str) -> Mentions:
        return Mentions(
            russia=self.russia.search(text) is not None,
            iran=self.iran.search(text) is not None,
            joint=self.joint.search(text) is not None,
            third_party=self.third.search(text) is not None,
        )

    def spans(self, text: str) -> tuple[tuple[int, str], ...]:
        """(start, role) of every Russia (``r``), Iran (``i``) and third-party (``t``) name."""
        found = [
            (m.start(), role)
            for role, pattern in (("r", self.russia), ("i", self.iran), ("t", self.third))
            for m in pattern.finditer(text)
        ]
        found.sort()
        return tuple(found)

    def mentions_from(self, text: str, spans: tuple[tuple[int, str], ...]) -> Mentions:
        """:meth:`mentions` given :meth:`spans` of the same text (one scan fewer)."""
        roles = {role for _, role in spans}
        return Mentions(
            russia="r" in roles,
            iran="i" in roles,
            joint=self.joint.search(text) is not None,
            third_party="t" in roles,
        )

    def mask(self, text: str) -> str:
        """Replace actor names by role tokens so the model generalises across aliases."""
        text = self.russia.sub(" rusactor ", text)
        text = self.iran.sub(" iranactor ", text)
        return self.third.sub(" thirdactor ", text)

    @staticmethod
    def resolve(current: Mentions, previous: Mentions | None, previous_dyad: bool) -> bool:
        """Is the current sentence about the dyad, given the previous sentence?"""
        if current.both:
            return True
        if previous is None:
            # No context at all: "the two countries" in a Russia–Iran brief means the dyad.
            return current.joint and not current.third_party

        context_both = previous_dyad or previous.both
        if current.joint and not current.one_side and context_both:
            return True
        if current.one_side and not current.third_party:
            other_in_context = (current.russia and previous.iran) or (
                current.iran and previous.russia
            )
            return context_both or other_in_context
        return current.joint and current.one_side and context_both
