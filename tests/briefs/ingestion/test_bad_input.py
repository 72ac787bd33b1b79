"""Every kind of bad upload ends in one typed UserError with a clear message."""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from briefs.errors import (
    EmptyBriefError,
    FileTooLargeError,
    UnreadableFileError,
    UnsupportedTypeError,
)
from briefs.ingestion import check_upload, parse_document, read_file
from briefs.ingestion import pdf as pdf_module
from tests.briefs.ingestion.pdfs import make_pdf

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
MAX = 2 * 2**20
SENTENCE = "Russia and Iran signed a comprehensive strategic partnership treaty in Moscow."


def parse(filename: str, data: bytes, max_bytes: int = MAX) -> object:
    return parse_document(filename, data, max_bytes=max_bytes, now=NOW)


@pytest.mark.parametrize("filename", ["brief.docx", "brief.rtf", "README", "photo.JPG"])
def test_unsupported_types_name_the_accepted_ones(filename: str) -> None:
    with pytest.raises(UnsupportedTypeError) as caught:
        check_upload(filename, 10, max_bytes=MAX)
    assert ".txt, .md, .markdown, .html, .htm or .pdf" in caught.value.message
    with pytest.raises(UnsupportedTypeError):
        parse(filename, SENTENCE.encode())


def test_extensions_are_case_insensitive() -> None:
    check_upload("BRIEF.PDF", 10, max_bytes=MAX)
    check_upload("notes.Markdown", 10, max_bytes=MAX)


def test_too_large_is_refused_from_metadata_with_the_limit_in_mib() -> None:
    with pytest.raises(FileTooLargeError) as caught:
        check_upload("big.pdf", 15 * 2**20, max_bytes=10 * 2**20)
    assert caught.value.message == "'big.pdf' is 15 MiB; the limit is 10 MiB."
    with pytest.raises(FileTooLargeError, match=r"limit is 0\.5 MiB"):
        parse("big.txt", b"a" * (2**19 + 1), max_bytes=2**19)


def test_read_file_checks_size_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 2**20)  # sparse: large by stat, cheap on disk

    def no_reading(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(FileTooLargeError, match="limit is 2 MiB"):
        read_file(path, max_bytes=MAX)


def test_read_file_missing_or_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match=r"couldn't open 'nope\.txt'"):
        read_file(tmp_path / "nope.txt", max_bytes=MAX)
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(UnreadableFileError, match="not a regular file"):
        read_file(folder, max_bytes=MAX)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_or_whitespace_only(data: bytes) -> None:
    with pytest.raises(EmptyBriefError):
        parse("empty.txt", data)


def test_empty_upload_refused_from_metadata() -> None:
    with pytest.raises(EmptyBriefError, match=r"'empty\.md' is empty"):
        check_upload("empty.md", 0, max_bytes=MAX)


def test_only_boilerplate_after_cleaning() -> None:
    page = "\n".join(
        [
            "Home | World | Politics | Sport",
            "[Latest News][6]",
            "grid http://i63.tinypic.com/23ws4et.jpg",
            "Subscribe to our newsletter",
            "We use cookies to give you the best experience.",
            "Share on Facebook",
            "Start typing and press Enter to search",
            "© 2024 Example. All rights reserved.",
        ]
    )
    with pytest.raises(EmptyBriefError, match="no article text once menus"):
        parse("page.txt", page.encode())


def test_empty_html_page() -> None:
    with pytest.raises(EmptyBriefError):
        parse("page.html", b"<html><head><title>Nothing</title></head><body></body></html>")


def test_binary_junk_renamed_txt() -> None:
    junk = random.Random(0).randbytes(4096)
    with pytest.raises(UnreadableFileError, match="binary data"):
        parse("notes.txt", junk)


def test_control_characters_without_nul_bytes() -> None:
    junk = bytes(range(1, 32)) * 100 + SENTENCE.encode()
    with pytest.raises(UnreadableFileError, match="binary data"):
        parse("notes.md", junk)


def test_known_binary_formats_are_named() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    with pytest.raises(UnreadableFileError, match="PNG image"):
        parse("picture.txt", png)
    with pytest.raises(UnreadableFileError, match="Word"):
        parse("brief.md", b"PK\x03\x04" + b"word/document.xml" * 10)


def test_broken_pdf() -> None:
    data = make_pdf([[SENTENCE]])
    with pytest.raises(UnreadableFileError, match="damaged or not a readable PDF"):
        parse("broken.pdf", data[: len(data) // 3])
    with pytest.raises(UnreadableFileError, match="not a PDF"):
        parse("fake.pdf", SENTENCE.encode())


def test_encrypted_pdf() -> None:
    data = make_pdf([[SENTENCE]], user_password="secret")
    assert PdfReader(io.BytesIO(data)).is_encrypted
    with pytest.raises(UnreadableFileError, match="password-protected"):
        parse("locked.pdf", data)


def test_pdf_encrypted_with_an_empty_password_is_read() -> None:
    data = make_pdf([[SENTENCE]], user_password="")
    doc = parse_document("open.pdf", data, max_bytes=MAX, now=NOW)
    assert SENTENCE in doc.body


def test_pdf_with_too_many_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "MAX_PDF_PAGES", 3)
    writer = PdfWriter()
    for _ in range(4):
        writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(FileTooLargeError, match="has 4 pages; the limit is 3"):
        parse("long.pdf", buffer.getvalue())


def test_pdf_text_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "MAX_PDF_TEXT_CHARS", 1000)
    data = make_pdf([[SENTENCE] * 20 for _ in range(3)])
    with pytest.raises(FileTooLargeError, match="text"):
        parse("bomb.pdf", data)


def test_pdf_without_text() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(EmptyBriefError, match="contains no text"):
        parse("scan.pdf", buffer.getvalue())


def test_one_megabyte_single_line_is_split_quickly() -> None:
    line = (SENTENCE + " ") * (2**20 // (len(SENTENCE) + 1))
    started = time.perf_counter()
    doc = parse_document("long.txt", line.encode(), max_bytes=MAX, now=NOW)
    assert time.perf_counter() - started < 2
    paragraphs = doc.body.split("\n\n")
    assert len(paragraphs) > 500
    assert max(len(p) for p in paragraphs) <= 5000


def test_one_megabyte_without_spaces_is_not_a_brief() -> None:
    started = time.perf_counter()
    with pytest.raises(EmptyBriefError):
        parse("blob.txt", b"A" * 2**20)
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("value", ["2016-13-45", "yesterday"])
def test_front_matter_with_malformed_date(value: str) -> None:
    text = f"---\ntitle: Treaty\ndate: {value}\n---\n{SENTENCE}\n"
    with pytest.raises(UnreadableFileError) as caught:
        parse("brief.md", text.encode())
    assert caught.value.message == f"front matter date '{value}' is not a date (use YYYY-MM-DD)"


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("title: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "'key: value' lines"),
    ],
)
def test_front_matter_that_is_not_a_mapping(front: str, message: str) -> None:
    with pytest.raises(UnreadableFileError, match=message):
        parse("brief.md", f"---\n{front}---\n{SENTENCE}\n".encode())
