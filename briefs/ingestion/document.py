"""One uploaded file to a ParsedDocument: checks, format dispatch, cleaning, title and date."""

from __future__ import annotations

import datetime as dt
import stat
from dataclasses import dataclass
from pathlib import Path

from briefs.errors import EmptyBriefError, FileTooLargeError, UnreadableFileError
from briefs.ingestion._extracted import Extracted
from briefs.ingestion.clean import clean_text
from briefs.ingestion.dates import choose_published, parse_metadata_date
from briefs.ingestion.detect import Format, decode_text, detect_format, format_for_filename
from briefs.ingestion.front_matter import split_front_matter
from briefs.ingestion.html import extract_html
from briefs.ingestion.markdown import markdown_to_text
from briefs.ingestion.pdf import extract_pdf
from briefs.ingestion.titles import shorten_title
from briefs.models import DateOrigin

__all__ = ["ParsedDocument", "check_upload", "parse_document", "read_file"]

_MAX_TITLE_CHARS = 300


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    title: str
    body: str  # cleaned main text, paragraphs separated by blank lines
    published: dt.date
    date_origin: DateOrigin
    source_url: str | None
    outlet: str | None
    tags: tuple[str, ...] = ()


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f}".removesuffix(".0")


def _too_large(filename: str, size: int, max_bytes: int) -> FileTooLargeError:
    return FileTooLargeError(
        f"'{filename}' is {_mib(size)} MiB; the limit is {_mib(max_bytes)} MiB."
    )


def check_upload(filename: str, size: int, *, max_bytes: int) -> None:
    """Refuse a file by its name and announced size, before anything is downloaded or read."""
    format_for_filename(filename)
    if size > max_bytes:
        raise _too_large(filename, size, max_bytes)
    if size == 0:
        raise EmptyBriefError(f"'{filename}' is empty.")


def read_file(path: Path, *, max_bytes: int) -> bytes:
    """The bytes of a local file, its size checked (stat) before a single byte is read."""
    try:
        info = path.stat()
    except OSError as exc:
        raise UnreadableFileError(f"I couldn't open '{path.name}' ({exc.strerror}).") from exc
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFileError(f"'{path.name}' is not a regular file.")
    check_upload(path.name, info.st_size, max_bytes=max_bytes)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise UnreadableFileError(f"I couldn't read '{path.name}' ({exc.strerror}).") from exc
    if len(data) > max_bytes:
        raise _too_large(path.name, len(data), max_bytes)
    return data


def _extract(fmt: Format, filename: str, data: bytes, now: dt.datetime) -> Extracted:
    if fmt is Format.PDF:
        return extract_pdf(data, filename)
    text = decode_text(data, filename)
    if fmt is Format.HTML:
        return extract_html(text, filename, now=now)
    front, rest = split_front_matter(text)
    title: str | None = None
    if fmt is Format.MARKDOWN:
        title, rest = markdown_to_text(rest)
    if front is None:
        return Extracted(text=rest, title=title)
    return Extracted(
        text=rest,
        title=front.title or title,
        front_matter_date=front.published,
        front_matter_date_inferred=front.date_inferred,
        source_url=front.source_url,
        outlet=front.outlet,
        tags=front.tags,
    )


def parse_document(
    filename: str, data: bytes, *, max_bytes: int, now: dt.datetime
) -> ParsedDocument:
    """Parse an uploaded brief (.txt, .md/.markdown, .html/.htm, .pdf) into clean text.

    Raises a `briefs.errors.UserError` subclass, with a message for the user, for any file
    that is of the wrong type, too large, unreadable or empty once page furniture is removed.
    """
    check_upload(filename, len(data), max_bytes=max_bytes)
    if not data.strip():
        raise EmptyBriefError(f"'{filename}' contains only whitespace.")
    extracted = _extract(detect_format(filename, data), filename, data, now)
    cleaned = clean_text(extracted.text, title=extracted.title)
    if not cleaned.body:
        if extracted.text.strip():
            raise EmptyBriefError(
                f"'{filename}' has no article text once menus, share buttons and other "
                "page furniture are removed."
            )
        raise EmptyBriefError(f"'{filename}' contains no text.")
    title = cleaned.title or shorten_title(cleaned.body.split("\n\n", 1)[0])
    source_url = extracted.source_url or cleaned.source_url
    dated = choose_published(
        front_matter=extracted.front_matter_date,
        metadata=parse_metadata_date(extracted.metadata_date, today=now.date()),
        text=f"{cleaned.body}\n{source_url or ''}",
        now=now,
    )
    origin = dated.origin
    if origin is DateOrigin.FRONT_MATTER and extracted.front_matter_date_inferred:
        origin = DateOrigin.TEXT  # the author worked the date out from the content
    return ParsedDocument(
        title=" ".join(title.split())[:_MAX_TITLE_CHARS],
        body=cleaned.body,
        published=dated.published,
        date_origin=origin,
        source_url=source_url,
        outlet=extracted.outlet or cleaned.outlet,
        tags=extracted.tags,
    )
