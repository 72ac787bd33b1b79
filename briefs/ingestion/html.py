"""Main text and metadata of an HTML page (trafilatura, which dates pages with htmldate)."""

from __future__ import annotations

import datetime as dt

import trafilatura

from briefs.errors import UnreadableFileError
from briefs.ingestion._extracted import Extracted
from briefs.ingestion.titles import domain_of, split_site_suffix

__all__ = ["extract_html"]


def _optional(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def extract_html(html: str, filename: str, *, now: dt.datetime) -> Extracted:
    """The page's main text (one paragraph per line) with title, date, site name and URL."""
    try:
        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
            date_extraction_params={
                # Only the page's own date markup; dates in the text are ours to weigh.
                "extensive_search": False,
                "original_date": True,
                "max_date": now.replace(tzinfo=None).strftime("%Y-%m-%d"),
            },
        )
    except Exception as exc:  # a parser of untrusted markup can fail in many ways
        raise UnreadableFileError(f"I couldn't read '{filename}' as an HTML page.") from exc
    if document is None:
        return Extracted(text="")
    fields = document.as_dict() if not isinstance(document, dict) else document
    title = _optional(fields.get("title"))
    outlet = _optional(fields.get("sitename"))
    if title is not None:
        title, suffix = split_site_suffix(title)
        outlet = outlet or suffix
    url = _optional(fields.get("url"))
    if url is not None and not url.lower().startswith(("http://", "https://")):
        url = None
    if outlet is None and url is not None:
        outlet = domain_of(url)
    tags = tuple(t for t in (_optional(tag) for tag in fields.get("tags") or ()) if t is not None)
    return Extracted(
        text=_optional_text(fields.get("text")),
        title=title,
        metadata_date=_optional(fields.get("date")),
        source_url=url,
        outlet=outlet,
        tags=tags,
    )


def _optional_text(value: object) -> str:
    return value if isinstance(value, str) else ""
