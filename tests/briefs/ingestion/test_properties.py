"""Whatever bytes arrive, parse_document answers with a brief or a UserError, nothing else."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.errors import UserError
from briefs.ingestion import ParsedDocument, clean_text, parse_document
from briefs.ingestion.dates import dates_in_text
from briefs.models import DateOrigin
from tests.briefs.ingestion.pdfs import make_pdf

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
MAX = 2**20
EXTENSIONS = st.sampled_from([".txt", ".md", ".markdown", ".html", ".htm", ".pdf"])
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that steer random documents into the parsers' interesting corners.
FRAGMENTS = st.sampled_from(
    [
        "---",
        "title: Treaty",
        "date: 2016-13-45",
        "date: 2016-08-22",
        "tags: [a, b]",
        "source: https://example.com/2016/04/13/x/",
        "# Heading",
        "Title | Site Name",
        "<html><body><p>",
        "</p></body></html>",
        "%PDF-1.4",
        "[Latest News][6]",
        "grid http://example.com/a.jpg",
        "Start typing and press Enter to search",
        "Russia and Iran signed a treaty on 17 January 2025.",
        "Iran and Russia held talks in August 2016",
        "By Reuters",
        "Original Source: apnews.com",
        "**bold** [link](http://x.y) `code`",
        "```",
        "...",
        "",
    ]
)
DOCUMENT_TEXT = st.lists(st.one_of(FRAGMENTS, st.text(max_size=80)), max_size=30).map("\n".join)


def check(filename: str, data: bytes) -> None:
    try:
        doc = parse_document(filename, data, max_bytes=MAX, now=NOW)
    except UserError as error:
        message: str | None = error.message
    else:
        message = None
    if message is not None:
        assert message.strip()
        return
    assert isinstance(doc, ParsedDocument)
    assert doc.body.strip()
    assert doc.title.strip()
    assert doc.published <= NOW.date() or doc.date_origin is DateOrigin.FRONT_MATTER


@PROPERTY
@given(data=st.binary(max_size=4096), extension=EXTENSIONS)
def test_random_bytes_only_raise_user_errors(data: bytes, extension: str) -> None:
    check(f"upload{extension}", data)


@PROPERTY
@given(text=DOCUMENT_TEXT, extension=EXTENSIONS, encoding=st.sampled_from(["utf-8", "utf-16"]))
def test_random_documents_only_raise_user_errors(text: str, extension: str, encoding: str) -> None:
    check(f"upload{extension}", text.encode(encoding, errors="surrogatepass"))


@PROPERTY
@given(data=st.binary(min_size=1, max_size=2048), cut=st.integers(min_value=0))
def test_damaged_pdfs_only_raise_user_errors(data: bytes, cut: int) -> None:
    pdf = make_pdf([["Russia and Iran signed a treaty in Moscow."]], title="Treaty")
    position = cut % len(pdf)
    check("brief.pdf", pdf[:position] + data + pdf[position + len(data) :])


@PROPERTY
@given(text=st.text(max_size=2000))
def test_cleaning_never_invents_text(text: str) -> None:
    cleaned = clean_text(text)
    source_words = set(text.split())
    for word in cleaned.body.split():
        assert word in source_words or any(word in w or w in word for w in source_words)


@PROPERTY
@given(text=st.text(max_size=500))
def test_dates_in_text_are_never_in_the_future(text: str) -> None:
    assert all(date <= NOW.date() for date in dates_in_text(text, today=NOW.date()))
