"""Main text out of a scraped page saved as plain text: paragraphs, title, outlet, source."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from briefs.ingestion.boilerplate import (
    is_boilerplate_line,
    is_fragment,
    is_page_furniture,
    is_tail_marker,
    is_teaser,
    normalize_line,
)
from briefs.ingestion.titles import shorten_title, source_reference, split_site_suffix

__all__ = [
    "CleanedText",
    "clean_text",
    "paragraphs",
    "remove_repeated_lines",
]

# Tail markers only end the article once this much content has been kept, so a
# "Latest News" menu entry above the article does not swallow it.
_MIN_CONTENT_BEFORE_TAIL = 400
_MAX_HEADING_CHARS = 200
_MAX_PARAGRAPH_CHARS = 5000
_CHUNK_CHARS = 1000
_MAX_TOKEN_CHARS = 200
_TITLE_LOOKAHEAD = 6
_WHITESPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_LONG_TOKEN = re.compile(rf"\S{{{_MAX_TOKEN_CHARS + 1}}}")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_CONTINUES = re.compile(r"[,;\-–(]$|\b(?:and|or|but|the|a|an|of|to|in|on|for|with|by|from|that)$")


@dataclass(frozen=True, slots=True)
class CleanedText:
    title: str | None
    body: str  # paragraphs separated by blank lines
    outlet: str | None
    source_url: str | None


def _wrap_width(lines: list[str]) -> int | None:
    """The column width of hard-wrapped text (PDF, email), or None if lines are paragraphs."""
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    near_width = sum(1 for n in lengths if n >= 0.75 * width)
    return width if 50 <= width <= 130 and near_width >= 0.5 * len(lengths) else None


def _continues(previous: str, line: str, width: int | None) -> bool:
    # In wrapped text a line filled to the margin continues, even after a full stop;
    # the last line of a paragraph is usually short.
    if width is not None and len(previous) >= 0.85 * width:
        return True
    if previous.endswith((".", "!", "?", ":", '"', "”")):
        return False
    if width is not None and len(previous) >= 0.6 * width:
        return True
    starts_lower = line[:1].islower() and not line[1:2].isupper()
    return len(previous) >= 40 and (starts_lower or bool(_CONTINUES.search(previous[-12:])))


def _joins(previous: str, line: str, width: int | None) -> bool:
    """Whether `line` carries on the paragraph that `previous` (the line before) is in."""
    if not previous or not line or not _continues(previous, line, width):
        return False
    return not (is_page_furniture(line) or is_page_furniture(previous))


def _split_overlong(paragraph: str) -> list[str]:
    """Cut a huge paragraph (a whole article on one line) into sentence-aligned chunks."""
    tokens = [t for t in paragraph.split(" ") if len(t) <= _MAX_TOKEN_CHARS]
    paragraph = " ".join(tokens)
    if len(paragraph) <= _MAX_PARAGRAPH_CHARS:
        return [paragraph] if paragraph else []
    pieces = _SENTENCE_BREAK.split(paragraph)
    if max(len(p) for p in pieces) > _MAX_PARAGRAPH_CHARS:
        pieces = paragraph.split(" ")
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        current.append(piece)
        size += len(piece) + 1
        if size >= _CHUNK_CHARS:
            chunks.append(" ".join(current))
            current, size = [], 0
    if current:
        chunks.append(" ".join(current))
    return chunks


def _join_lines(lines: list[str]) -> str:
    parts: list[str] = []
    for line in lines:
        previous = parts[-1] if parts else ""
        if previous.endswith("-") and previous[-2:-1].isalpha() and line[:1].islower():
            parts[-1] = previous[:-1]  # "co-" + "operation" was one word
            parts.append(line)
        else:
            parts.extend((" ", line) if parts else (line,))
    return "".join(parts)


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs: one per line, hard-wrapped lines joined back together."""
    lines = [_WHITESPACE.sub(" ", line).strip() for line in text.split("\n")]
    width = _wrap_width(lines)
    groups: list[list[str]] = []
    previous = ""
    for line in lines:
        if groups and _joins(previous, line, width):
            groups[-1].append(line)
        else:
            groups.append([line])
        previous = line
    joined = [_join_lines(group) for group in groups]
    result: list[str] = []
    for paragraph in joined:
        if len(paragraph) > _MAX_PARAGRAPH_CHARS or _LONG_TOKEN.search(paragraph):
            result.extend(_split_overlong(paragraph))
        else:
            result.append(paragraph)
    return [p for p in result if p]


def _is_heading(paragraph: str) -> bool:
    return len(paragraph) <= _MAX_HEADING_CHARS and not paragraph.endswith((".", "!", "…"))


def _title_candidate(paras: list[str]) -> int | None:
    for index, paragraph in enumerate(paras):
        if len(paragraph.split()) < 2:
            continue
        if is_page_furniture(paragraph) or is_teaser(paragraph) or is_fragment(paragraph):
            continue
        return index
    return None


def _pick_title(paras: list[str]) -> tuple[int | None, str | None, str | None]:
    """(index of the title line if it is a heading, title, outlet from a site suffix)."""
    index = _title_candidate(paras)
    if index is None:
        return None, None, None
    line = paras[index]
    if not _is_heading(line):
        return None, shorten_title(line), None
    # A breadcrumb glued to the title ("Iran General NewsRussia and Iran Not Natural Allies")
    # is recognisable when the clean title follows on its own line.
    for later in paras[index + 1 : index + 1 + _TITLE_LOOKAHEAD]:
        if later != line and len(later) >= 15 and line.endswith(later):
            line = later
            break
    title, outlet = split_site_suffix(line)
    return index, title, outlet


def clean_text(text: str, *, title: str | None = None) -> CleanedText:
    """Strip page furniture from `text` line by line and read its title, outlet and source.

    With `title` given (from metadata) the text is not searched for one, but lines repeating
    it are still dropped.
    """
    paras = paragraphs(text)
    title_index: int | None = None
    outlet: str | None = None
    given_title = title is not None
    if title is None:
        title_index, title, outlet = _pick_title(paras)
    source_url: str | None = None
    # Outlet candidates by rank: the title's site suffix (0) beats a byline or source line.
    outlets: dict[int, str] = {0: outlet} if outlet else {}
    # The title and the site's name, repeated in the page, are not content.
    known_keys = {normalize_line(name) for name in (title, outlet) if name}
    if title is not None and title_index is None and not given_title:
        known_keys.discard(normalize_line(title))  # a first sentence, not a separate heading
    kept: list[str] = []
    kept_chars = 0
    for index, paragraph in enumerate(paras):
        if index == title_index:
            continue
        reference = source_reference(paragraph)
        if reference is not None:
            source_url = source_url or reference.url
            if reference.outlet:
                outlets.setdefault(reference.rank, reference.outlet)
                known_keys.add(normalize_line(reference.outlet))
            continue
        if kept_chars >= _MIN_CONTENT_BEFORE_TAIL and is_tail_marker(paragraph):
            break
        if is_boilerplate_line(paragraph) or normalize_line(paragraph) in known_keys:
            continue
        kept.append(paragraph)
        kept_chars += len(paragraph)
    outlet = outlets[min(outlets)] if outlets else None
    return CleanedText(title, "\n\n".join(kept), outlet, source_url)


def remove_repeated_lines(docs: list[str], min_docs: int = 3) -> list[str]:
    """Drop lines that recur in at least `min_docs` of `docs` (site taglines, page headers)."""
    keyed = [[(line, normalize_line(line)) for line in doc.split("\n")] for doc in docs]
    counts = Counter(key for lines in keyed for key in {k for _, k in lines if k})
    repeated = {key for key, n in counts.items() if n >= min_docs}
    return ["\n".join(line for line, key in lines if key not in repeated) for lines in keyed]
