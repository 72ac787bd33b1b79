"""Markdown to plain paragraphs: markup dropped, link text kept, the first `# heading` as title."""

from __future__ import annotations

import re

__all__ = ["markdown_to_text"]

_FENCE = re.compile(r"^\s*(?:```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(?P<level>#{1,6})(?:\s+(?P<text>.*))?$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_INLINE_LINK = re.compile(r"\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_REFERENCE_LINK = re.compile(r"\[([^\]\n]{1,300})\]\[[^\]\n]{0,100}\]")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>\n]{0,500}>")
# Bounded so a line full of unmatched markers stays linear.
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3})(?=\S)([^\n]{1,300}?)(?<=\S)\1")
_CODE_SPAN = re.compile(r"`{1,3}([^`\n]{0,300})`{1,3}")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTE_MARKER = re.compile(r"^\s{0,3}(?:>\s?)+")


def _is_table_rule(line: str) -> bool:
    stripped = line.strip()
    return "---" in stripped and set(stripped) <= set("|:- ")


def _inline(text: str) -> str:
    text = _IMAGE.sub(r"\1", text)
    text = _INLINE_LINK.sub(r"\1", text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _CODE_SPAN.sub(r"\1", text)
    return _EMPHASIS.sub(r"\2", text)


def markdown_to_text(markdown: str) -> tuple[str | None, str]:
    """(the first level-1 heading or None, the text with one paragraph per line)."""
    title: str | None = None
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(part.strip() for part in current))
            current.clear()

    in_fence = False
    for raw in markdown.split("\n"):
        if _FENCE.match(raw):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            paragraphs.append(raw)
            continue
        if not raw.strip() or _LINK_DEFINITION.match(raw) or _is_table_rule(raw):
            flush()
            continue
        if _SETEXT_UNDERLINE.match(raw) and current:
            # "Title\n=====" is a heading of its own.
            text = _inline(" ".join(current)).strip()
            current.clear()
            if title is None and raw.strip().startswith("="):
                title = text
            else:
                paragraphs.append(text)
            continue
        if _RULE.match(raw):
            flush()
            continue
        heading = _HEADING.match(raw)
        if heading:
            flush()
            text = _inline((heading["text"] or "").rstrip().rstrip("#")).strip()
            if title is None and len(heading["level"]) == 1 and text:
                title = text
            else:
                paragraphs.append(text)
            continue
        line = _QUOTE_MARKER.sub("", raw)
        if _LIST_MARKER.match(line):
            flush()
            line = _LIST_MARKER.sub("", line)
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            flush()
            paragraphs.append(" ".join(cell.strip() for cell in stripped.strip("|").split("|")))
            continue
        current.append(_inline(line))
    flush()
    return title, "\n".join(paragraphs)
