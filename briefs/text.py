"""Sentence splitting with character offsets (pysbd), shared by passages and indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

__all__ = ["Span", "split_sentences", "words"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def split_sentences(text: str) -> list[Span]:
    """Sentences of `text` with offsets; paragraphs (blank/newline breaks) never merge."""
    spans: list[Span] = []
    for para in re.finditer(r"[^\n]+", text):
        chunk = para.group(0)
        if not chunk.strip():
            continue
        cursor = 0
        for sentence in _segmenter().segment(chunk):
            stripped = sentence.strip()
            if not stripped:
                continue
            found = chunk.find(stripped, cursor)
            if found < 0:  # pysbd normalised something; fall back to the cursor position
                found = cursor
            start = para.start() + found
            spans.append(Span(start, start + len(stripped), stripped))
            cursor = found + len(stripped)
    return spans


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, inner apostrophes kept)."""
    return [w.lower() for w in _WORD.findall(text)]
