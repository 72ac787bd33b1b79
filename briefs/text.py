"""Sentence splitting with character offsets (pysbd), shared by passages and indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd
import snowballstemmer
from pysbd.lang.english import English
from pysbd.utils import TextSpan

__all__ = ["Span", "split_sentences", "stem_word", "words"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_SPACES = re.compile(r"\s*")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


# The non-ASCII characters that `re.IGNORECASE` lets match an ASCII letter, and that letter.
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


class _AbbreviationReplacer(English.AbbreviationReplacer):  # type: ignore[misc]
    r"""pysbd's English abbreviation pass, skipping abbreviations that change nothing.

    For each of its ~190 abbreviations pysbd runs `re.findall(r"(?:^|\s)" + abbr, line,
    re.IGNORECASE)` whenever `abbr` occurs anywhere in the line, then a `re.sub` per match,
    so short ones ("a", "al", "ca") cost regex work on nearly every line: half of all
    splitting time. Those subs only ever replace the "." right after a match (whitespace,
    the abbreviation as matched, "."). So a letters-and-digits abbreviation that starts no
    whitespace-separated word followed by "." (case-folded as `re` folds) changes nothing
    and is skipped. The replacements only turn "." into "∯": words stay where they were,
    and a word found missing at the start stays missing. Abbreviations with other
    characters ("e.g", "u.s") take pysbd's path unchanged.
    """

    def search_for_abbreviations_in_string(self, text: str) -> str:
        lowered = text.lower()
        before_dot = set()  # every start of a word that a "." follows, case-folded
        for word in text.translate(_ASCII_FOLD).lower().split():
            dot = word.find(".")
            while dot >= 0:
                before_dot.add(word[:dot])
                dot = word.find(".", dot + 1)
        for abbr in self.lang.Abbreviation.ABBREVIATIONS:
            stripped = abbr.strip()
            if stripped.isascii() and stripped.isalnum() and stripped not in before_dot:
                continue
            if stripped not in lowered:
                continue
            abbrev_match = re.findall(rf"(?:^|\s|\r|\n){stripped}", text, flags=re.IGNORECASE)
            if not abbrev_match:
                continue
            next_word_start = r"(?<={" + str(re.escape(stripped)) + "} ).{1}"
            char_array = re.findall(next_word_start, text)
            for ind, match in enumerate(abbrev_match):
                text = self.scan_for_replacements(text, match, ind, char_array)
        return text


class _English(English):  # type: ignore[misc]
    AbbreviationReplacer = _AbbreviationReplacer


class _Segmenter(pysbd.Segmenter):  # type: ignore[misc]
    r"""pysbd with its span pass done by `str.find` instead of one regex per sentence.

    pysbd locates each processed sentence in the original text with
    `re.finditer(re.escape(sent) + r"\s*", text)`: a fresh pattern per sentence, compiled
    every time and pushing pysbd's own rule patterns out of `re`'s cache. This does the
    same search literally: leftmost non-overlapping occurrences, trailing whitespace
    included, the first one ending past the previous sentence. Same output, no regexes.
    """

    def sentences_with_char_spans(self, sentences: list[str]) -> list[TextSpan]:
        text: str = self.original_text
        spans: list[TextSpan] = []
        prior_end = 0
        for sent in sentences:
            if not sent:  # pysbd's pattern is then just r"\s*": its first match past prior_end
                for match in re.finditer(r"\s*", text):
                    if match.end() > prior_end:
                        spans.append(TextSpan(match.group(), match.start(), match.end()))
                        prior_end = match.end()
                        break
                continue
            pos = 0
            while (found := text.find(sent, pos)) >= 0:
                end = _SPACES.match(text, found + len(sent)).end()  # type: ignore[union-attr]
                if end > prior_end:
                    spans.append(TextSpan(text[found:end], found, end))
                    prior_end = end
                    break
                pos = end
        return spans


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    segmenter = _Segmenter(language="en", clean=False, char_span=False)
    segmenter.language_module = _English
    return segmenter


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
