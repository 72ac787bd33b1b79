"""Stem-level matching of query concepts against text (the index stems too; we must agree)."""

from __future__ import annotations

from functools import lru_cache

from briefs.retrieval.query import TermGroup
from briefs.text import stem_word, words

__all__ = ["StemmedText", "group_patterns", "stem_tokens"]


def stem_tokens(text: str) -> list[str]:
    return [stem_word(w) for w in words(text)]


@lru_cache(maxsize=4096)
def group_patterns(group: TermGroup) -> tuple[tuple[str, ...], ...]:
    """Each term of the group as a tuple of stems."""
    return tuple(tuple(stem_tokens(term)) for term in group.terms if stem_tokens(term))


class StemmedText:
    """A text's stems, for fast `covers(group)` checks."""

    __slots__ = ("_joined", "_set", "length")

    def __init__(self, text: str) -> None:
        stems = stem_tokens(text)
        self._set = frozenset(stems)
        self._joined = " " + " ".join(stems) + " "
        self.length = len(stems)

    def count(self, group: TermGroup) -> int:
        """How often any of the group's terms occurs (phrases as wholes)."""
        if not self.covers(group):
            return 0
        return sum(self._joined.count(" " + " ".join(p) + " ") for p in group_patterns(group))

    @property
    def stems(self) -> frozenset[str]:
        return self._set

    def covers(self, group: TermGroup) -> bool:
        for pattern in group_patterns(group):
            if len(pattern) == 1:
                if pattern[0] in self._set:
                    return True
            elif " " + " ".join(pattern) + " " in self._joined:
                return True
        return False
