"""Text and metadata of a PDF (pypdf), with caps on pages and extracted text."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from briefs.errors import FileTooLargeError, UnreadableFileError
from briefs.ingestion._extracted import Extracted
from briefs.ingestion.clean import remove_repeated_lines

__all__ = ["MAX_PDF_PAGES", "MAX_PDF_TEXT_CHARS", "extract_pdf"]

MAX_PDF_PAGES = 500
# A small PDF can inflate to a huge amount of text (compressed streams); stop well before.
MAX_PDF_TEXT_CHARS = 5_000_000
# Titles tools write when the author wrote none.
_PLACEHOLDER_TITLES = ("untitled", "microsoft word", "document", "doc", "pdf")


def _title(reader: PdfReader) -> str | None:
    metadata = reader.metadata
    raw = metadata.title if metadata is not None else None
    title = " ".join(str(raw).split()) if raw else ""
    lowered = title.lower()
    if not title or lowered.startswith(_PLACEHOLDER_TITLES) or lowered.endswith((".doc", ".docx")):
        return None
    return title[:300]


def _creation_date(reader: PdfReader) -> dt.datetime | None:
    metadata = reader.metadata
    if metadata is None:
        return None
    try:
        return metadata.creation_date
    except Exception:  # malformed date strings raise from inside pypdf
        return None


def _opens_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # e.g. AES without the optional crypto dependency
        return False


def _page_texts(reader: PdfReader, filename: str) -> list[str]:
    if len(reader.pages) > MAX_PDF_PAGES:
        raise FileTooLargeError(
            f"'{filename}' has {len(reader.pages)} pages; the limit is {MAX_PDF_PAGES}."
        )
    texts: list[str] = []
    total = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        total += len(text)
        if total > MAX_PDF_TEXT_CHARS:
            raise FileTooLargeError(
                f"'{filename}' holds more than {MAX_PDF_TEXT_CHARS // 1_000_000} MB of text; "
                "split it into smaller documents."
            )
        texts.append(text)
    return texts


def extract_pdf(data: bytes, filename: str) -> Extracted:
    """All pages' text (running headers and footers removed) plus title and creation date."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise UnreadableFileError(
                f"'{filename}' is password-protected; remove the password and upload it again."
            )
        pages = _page_texts(reader, filename)
        title = _title(reader)
        created = _creation_date(reader)
    except (UnreadableFileError, FileTooLargeError):
        raise
    except Exception as exc:  # pypdf raises many exception types on broken files
        raise UnreadableFileError(
            f"'{filename}' is damaged or not a readable PDF ({type(exc).__name__})."
        ) from exc
    # Lines on most pages (running heads, footers) are furniture, not content.
    if len(pages) >= 3:
        pages = remove_repeated_lines(pages, min_docs=max(3, len(pages) // 2))
    return Extracted(text="\n".join(pages), title=title, metadata_date=created)
