"""YAML front matter (`---` … `---`) at the top of Markdown and text briefs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import yaml

from briefs.errors import UnreadableFileError
from briefs.ingestion.dates import parse_front_matter_date
from briefs.ingestion.titles import domain_of

__all__ = ["FrontMatter", "split_front_matter"]

_BLOCK = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)(?:\n)?^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)
_MAX_TAGS = 50
_MAX_FIELD_CHARS = 500
_TRUE = frozenset({"true", "yes", "on", "1"})


@dataclass(frozen=True, slots=True)
class FrontMatter:
    title: str | None = None
    published: dt.date | None = None
    date_inferred: bool = False
    source_url: str | None = None
    outlet: str | None = None
    tags: tuple[str, ...] = ()


def _text_field(fields: dict[str, object], name: str) -> str | None:
    value = fields.get(name)
    if value is None or isinstance(value, dict | list):
        return None
    text = " ".join(str(value).split())[:_MAX_FIELD_CHARS]
    return text or None


def _tags(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    tags: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict | list):
            continue
        tag = " ".join(str(item).split())[:_MAX_FIELD_CHARS]
        if tag:
            tags.setdefault(tag.casefold(), tag)
    return tuple(tags.values())[:_MAX_TAGS]


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def split_front_matter(text: str) -> tuple[FrontMatter | None, str]:
    """(front matter if the text opens with a YAML block, the text after it)."""
    match = _BLOCK.match(text)
    if match is None:
        return None, text
    try:
        # BaseLoader keeps every scalar a string, so dates are parsed (and refused) by us.
        loaded = yaml.load(match["yaml"], Loader=yaml.BaseLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise UnreadableFileError(f"The front matter is not valid YAML ({problem}).") from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise UnreadableFileError("The front matter must be 'key: value' lines (title, date, …).")
    fields = {str(key).strip().lower(): value for key, value in loaded.items()}

    published = None
    raw_date = _text_field(fields, "date") or _text_field(fields, "published")
    if raw_date is not None:
        published = parse_front_matter_date(raw_date)
    source_url = _text_field(fields, "url")
    outlet = _text_field(fields, "outlet")
    source = _text_field(fields, "source")
    if source is not None:
        if _is_url(source):
            source_url = source_url or source
        else:
            outlet = outlet or source
    if source_url is not None and not _is_url(source_url):
        source_url = None
    if outlet is None and source_url is not None:
        outlet = domain_of(source_url)
    front = FrontMatter(
        title=_text_field(fields, "title"),
        published=published,
        date_inferred=(_text_field(fields, "date_inferred") or "").lower() in _TRUE,
        source_url=source_url,
        outlet=outlet,
        tags=_tags(fields.get("tags")),
    )
    return front, text[match.end() :]
