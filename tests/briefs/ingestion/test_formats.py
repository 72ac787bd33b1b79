"""Each accepted format end to end through parse_document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefs.ingestion import ParsedDocument, parse_document, read_file
from briefs.models import DateOrigin
from tests.briefs.ingestion.pdfs import make_pdf

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
MAX = 2 * 2**20
SENTENCE = "Russia and Iran signed a comprehensive strategic partnership treaty in Moscow."
SECOND = "The agreement contains no mutual defence clause, officials in Tehran said."


def parse(filename: str, data: bytes) -> ParsedDocument:
    return parse_document(filename, data, max_bytes=MAX, now=NOW)


def test_plain_text_utf8() -> None:
    doc = parse("brief.txt", f"Treaty signed\n\n{SENTENCE}\n{SECOND}\n".encode())
    assert doc.title == "Treaty signed"
    assert doc.body == f"{SENTENCE}\n\n{SECOND}"
    assert (doc.published, doc.date_origin) == (NOW.date(), DateOrigin.UPLOAD)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1251", "latin-1"])
def test_plain_text_encodings(encoding: str) -> None:
    extra = "Москва и Тегеран подписали договор." if encoding == "cp1251" else "Café déjà vu."
    text = f"Treaty signed\n\n{SENTENCE}\n{SECOND}\n{extra}\n"
    doc = parse("brief.txt", text.encode(encoding))
    assert doc.title == "Treaty signed"
    assert extra in doc.body


def test_markdown_with_front_matter() -> None:
    text = f"""---
title: "Treaty signed in Moscow"
date: 2025-01-17
source: https://www.apnews.com/article/russia-iran-treaty
tags: [treaty, Military, treaty]
---

# A different heading

{SENTENCE} It was **signed** by [both presidents](https://example.com).

## Background

- {SECOND}
"""
    doc = parse("brief.md", text.encode())
    assert doc.title == "Treaty signed in Moscow"
    assert (doc.published, doc.date_origin) == (dt.date(2025, 1, 17), DateOrigin.FRONT_MATTER)
    assert doc.source_url == "https://www.apnews.com/article/russia-iran-treaty"
    assert doc.outlet == "apnews.com"
    assert doc.tags == ("treaty", "Military")
    assert f"{SENTENCE} It was signed by both presidents." in doc.body
    assert SECOND in doc.body
    assert "**" not in doc.body
    assert "](" not in doc.body


def test_markdown_front_matter_outlet_and_url_fields() -> None:
    text = f"---\nsource: Tehran Times\nurl: https://tehrantimes.com/x\n---\n{SENTENCE}\n"
    doc = parse("brief.markdown", text.encode())
    assert (doc.outlet, doc.source_url) == ("Tehran Times", "https://tehrantimes.com/x")
    assert doc.title == SENTENCE.removesuffix(".")


def test_markdown_heading_is_the_title_without_front_matter() -> None:
    doc = parse(
        "brief.md", f"# Treaty signed\n\n{SENTENCE}\n\nPublished 17 January 2025.\n".encode()
    )
    assert doc.title == "Treaty signed"
    assert (doc.published, doc.date_origin) == (dt.date(2025, 1, 17), DateOrigin.TEXT)


def test_front_matter_date_marked_inferred_counts_as_inferred() -> None:
    text = f"---\ntitle: Treaty\ndate: 2024-02-03\ndate_inferred: true\n---\n{SENTENCE}\n"
    doc = parse("brief.md", text.encode())
    assert (doc.published, doc.date_origin) == (dt.date(2024, 2, 3), DateOrigin.TEXT)
    assert doc.date_origin.inferred


def test_front_matter_in_a_txt_file_is_read() -> None:
    doc = parse("brief.txt", f"---\ntitle: Treaty\ndate: 2024-02-03\n---\n{SENTENCE}\n".encode())
    assert (doc.title, doc.published) == ("Treaty", dt.date(2024, 2, 3))


HTML = f"""<!doctype html>
<html><head><title>Russia and Iran sign treaty - Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2025-01-17T10:00:00Z">
<link rel="canonical" href="https://example.com/world/treaty">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Russia and Iran sign treaty</h1>
<p>{SENTENCE} Deepening cooperation in defence and energy was the stated aim.</p>
<p>{SECOND} Analysts noted lingering mistrust between the two governments.</p>
</article>
<footer>© 2025 Example News. All rights reserved. We use cookies.</footer>
</body></html>"""


def test_html_main_text_and_metadata() -> None:
    doc = parse("page.html", HTML.encode())
    assert doc.title == "Russia and Iran sign treaty"
    assert doc.outlet == "Example News"
    assert doc.source_url == "https://example.com/world/treaty"
    assert (doc.published, doc.date_origin) == (dt.date(2025, 1, 17), DateOrigin.PAGE_METADATA)
    assert SENTENCE in doc.body
    assert SECOND in doc.body
    assert "cookies" not in doc.body
    assert "Home" not in doc.body


def test_html_saved_as_txt_is_sniffed() -> None:
    doc = parse("page.txt", HTML.encode("cp1252"))
    assert doc.outlet == "Example News"
    assert "<p>" not in doc.body


def test_html_date_in_the_future_falls_back_to_text() -> None:
    html = HTML.replace("2025-01-17T10:00:00Z", "2031-01-01T00:00:00Z").replace(
        "Deepening", "On 3 March 2024, deepening"
    )
    doc = parse("page.htm", html.encode())
    assert (doc.published, doc.date_origin) == (dt.date(2024, 3, 3), DateOrigin.TEXT)


def test_pdf_text_title_and_creation_date() -> None:
    data = make_pdf(
        [[SENTENCE, SECOND], ["Moscow and Tehran will meet again in the autumn, diplomats said."]],
        title="Treaty brief",
        created="D:20250117120000Z",
    )
    doc = parse("brief.pdf", data)
    assert doc.title == "Treaty brief"
    assert (doc.published, doc.date_origin) == (dt.date(2025, 1, 17), DateOrigin.PAGE_METADATA)
    assert SENTENCE in doc.body
    assert "meet again in the autumn" in doc.body


def test_pdf_running_headers_are_removed() -> None:
    pages = [
        [
            "Iran Monitor Weekly Bulletin No 7",
            f"{SENTENCE} Page {n} adds detail.",
            "Confidential draft for staff",
        ]
        for n in range(4)
    ]
    doc = parse("bulletin.pdf", make_pdf(pages))
    assert "Iran Monitor Weekly" not in doc.body
    assert "Confidential draft" not in doc.body
    assert doc.body.count(SENTENCE) == 4


def test_pdf_without_title_uses_its_first_line() -> None:
    doc = parse("brief.pdf", make_pdf([["Treaty signed in Moscow", SENTENCE, SECOND]]))
    assert doc.title == "Treaty signed in Moscow"


def test_pdf_renamed_txt_is_sniffed() -> None:
    doc = parse("brief.txt", make_pdf([[SENTENCE, SECOND]]))
    assert SENTENCE in doc.body


def test_read_file(tmp_path: Path) -> None:
    path = tmp_path / "brief.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    assert read_file(path, max_bytes=MAX) == SENTENCE.encode()
