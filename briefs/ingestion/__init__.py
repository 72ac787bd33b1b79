"""Turning uploaded files into clean briefs: parsing, boilerplate removal, dating, dedupe."""

from __future__ import annotations

from briefs.ingestion.clean import CleanedText, clean_text, remove_repeated_lines
from briefs.ingestion.dates import choose_published, dates_in_text
from briefs.ingestion.dedupe import (
    BANDS,
    NEAR_DUPLICATE_JACCARD,
    NUM_PERM,
    ROWS_PER_BAND,
    bands,
    content_hash,
    estimate_jaccard,
    minhash_signature,
    normalize_for_hash,
)
from briefs.ingestion.detect import ACCEPTED_EXTENSIONS
from briefs.ingestion.document import ParsedDocument, check_upload, parse_document, read_file

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "BANDS",
    "NEAR_DUPLICATE_JACCARD",
    "NUM_PERM",
    "ROWS_PER_BAND",
    "CleanedText",
    "ParsedDocument",
    "bands",
    "check_upload",
    "choose_published",
    "clean_text",
    "content_hash",
    "dates_in_text",
    "estimate_jaccard",
    "minhash_signature",
    "normalize_for_hash",
    "parse_document",
    "read_file",
    "remove_repeated_lines",
]
