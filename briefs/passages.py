"""Sentence-aware passages: a few sentences each, overlapping by one, offsets into the body."""

from __future__ import annotations

from briefs.models import NewPassage
from briefs.text import split_sentences

__all__ = ["make_passages"]

MAX_SENTENCES = 3
MAX_CHARS = 700


def make_passages(body: str) -> tuple[NewPassage, ...]:
    spans = split_sentences(body)
    passages: list[NewPassage] = []
    i = 0
    while i < len(spans):
        j = i + 1
        while (
            j < len(spans) and j - i < MAX_SENTENCES and spans[j].end - spans[i].start <= MAX_CHARS
        ):
            j += 1
        start, end = spans[i].start, spans[j - 1].end
        passages.append(NewPassage(len(passages), body[start:end], start, end))
        if j >= len(spans):
            break
        i = j - 1 if j - i > 1 else j  # one sentence of overlap, but always move forward
    return tuple(passages)
