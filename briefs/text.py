"""Sentence splitting with character offsets (pysbd), shared by passages and indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd
import snowballstemmer

__all__ = ["Span", "split_sentences", "stem_word", "words"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


MAX_SEGMENT_CHARS = 4000  # pysbd is super-linear on huge lines; pre-cut them at whitespace


def _pieces(text: str) -> list[tuple[int, str]]:
    """Lines of `text` (never merged), long ones cut at whitespace, with their offsets."""
    out: list[tuple[int, str]] = []
    for line in re.finditer(r"[^\n]+", text):
        start, chunk = line.start(), line.group(0)
        while len(chunk) > MAX_SEGMENT_CHARS:
            cut = chunk.rfind(" ", 0, MAX_SEGMENT_CHARS)
            cut = cut if cut > 0 else MAX_SEGMENT_CHARS
            out.append((start, chunk[:cut]))
            start, chunk = start + cut, chunk[cut:]
        out.append((start, chunk))
    return out


def split_sentences(text: str) -> list[Span]:
    """Sentences of `text` with offsets; lines (newline breaks) never merge."""
    return list(_split_cached(text))


@lru_cache(maxsize=256)
def _split_cached(text: str) -> tuple[Span, ...]:
    """Ingest splits each body twice (passages, indicators) and answers re-split passages."""
    spans: list[Span] = []
    for offset, chunk in _pieces(text):
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
            start = offset + found
            spans.append(Span(start, start + len(stripped), stripped))
            cursor = found + len(stripped)
    return tuple(spans)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits; possessive 's dropped)."""
    out = []
    for w in _WORD.findall(text):
        low = w.lower()
        if low.endswith(("'s", "’s")):
            low = low[:-2]
        out.append(low)
    return out


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """English Snowball stem; the pure-Python stemmer is slow, and vocabularies repeat."""
    return str(_stemmer().stemWord(word))
