"""Titles, site names and source lines found in a scraped page's text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from briefs.text import split_sentences

__all__ = [
    "SourceReference",
    "domain_of",
    "shorten_title",
    "source_reference",
    "split_site_suffix",
]

MAX_TITLE_CHARS = 160
_NAME_PARTICLES = frozenset({"of", "the", "and", "&", "de", "al"})
_SITE_SEPARATOR = re.compile(r"\s+(?:[-|–—]|::)\s+")
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$", re.I)
_SOURCE_LINE = re.compile(
    r"^(?:original\s+)?(?:source|via|read (?:the )?original(?: article)?)"
    r"(?:\s+article)?(?:\s+(?:from|at|on))?\s*[:\-–]?\s+(?P<ref>\S.{0,199})$",
    re.I,
)
_BASED_ON = re.compile(
    r"^based on (?:the )?(?:materials?|reporting|an? (?:article|report)) (?:of|from|by) "
    r"(?P<ref>[^,;]{2,60})",
    re.I,
)
# "By Reuters", "By Alwaght": a one-word byline names an agency or outlet, not a person.
_ORGANISATION_BYLINE = re.compile(r"^(?i:by)\s+(?P<name>[A-Z][\w.&-]{1,40})$")


@dataclass(frozen=True, slots=True)
class SourceReference:
    """Where a page says it comes from; a lower `rank` is a more direct naming of the outlet."""

    url: str | None
    outlet: str | None
    rank: int


def domain_of(url: str) -> str | None:
    """`https://www.apnews.com/x` -> `apnews.com`."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def _looks_like_site(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 4 or len(name) > 40:
        return False
    if _DOMAIN.match(name):
        return True
    return all(
        w[0].isupper() or w[0].isdigit() or w.lower() in {"of", "the", "and", "&"} for w in words
    )


def split_site_suffix(title: str) -> tuple[str, str | None]:
    """`"X - Sitename"` / `"X | Sitename"` -> `("X", "Sitename")`; otherwise `(title, None)`."""
    separators = list(_SITE_SEPARATOR.finditer(title))
    if not separators:
        return title, None
    last = separators[-1]
    prefix = title[: last.start()].strip()
    suffix = title[last.end() :].strip(" '\"’‘")
    if len(prefix.split()) < 2 or len(prefix) < len(suffix) or not _looks_like_site(suffix):
        return title, None
    return prefix, suffix


def source_reference(line: str) -> SourceReference | None:
    """A "By Reuters" / "Source: apnews.com" / "Source Article from http://…" line, read."""
    stripped = line.strip()
    byline = _ORGANISATION_BYLINE.match(stripped)
    if byline is not None:
        return SourceReference(None, byline["name"], rank=1)
    based_on = _BASED_ON.match(stripped)
    if based_on is not None:
        name = based_on["ref"].strip().rstrip(".")
        return SourceReference(None, name if _looks_like_site(name) else None, rank=2)
    match = _SOURCE_LINE.match(stripped)
    if match is None:
        return None
    ref = match["ref"].strip().rstrip(".,;)")
    if ref.lower().startswith(("http://", "https://")):
        url = ref.split()[0]
        return SourceReference(url, domain_of(url), rank=3)
    if _DOMAIN.match(ref):
        return SourceReference(None, ref.lower().removeprefix("www."), rank=2)
    if _looks_like_site(ref):
        return SourceReference(None, ref, rank=2)
    return None


def shorten_title(paragraph: str) -> str:
    """A title for text that opens with a paragraph instead of a heading: its first sentence."""
    head = paragraph[:1000]
    sentences = split_sentences(head)
    first = sentences[0].text if sentences else head
    if len(first) <= MAX_TITLE_CHARS:
        return first.removesuffix(".")
    cut = first[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"
