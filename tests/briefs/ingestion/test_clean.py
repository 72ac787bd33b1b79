from __future__ import annotations

import time

import pytest

from briefs.ingestion import clean_text, remove_repeated_lines
from briefs.ingestion.boilerplate import is_boilerplate_line
from briefs.ingestion.clean import paragraphs
from briefs.ingestion.titles import source_reference, split_site_suffix

SENTENCE = "Russia and Iran signed a comprehensive strategic partnership treaty in Moscow."


@pytest.mark.parametrize(
    "line",
    [
        "Home",
        "Featured Posts",
        "[Latest News][6]",
        "[6]: http://example.com/latest",
        "grid http://i63.tinypic.com/23ws4et.jpg",
        "http://example.com/a http://example.com/b",
        "Start typing and press Enter to search",
        "We use cookies to improve your experience. Accept all cookies",
        "Subscribe to our newsletter for the latest updates",
        "Share on Facebook",
        "Facebook Twitter WhatsApp Email",
        "Home | World | Politics | Business | Sport",
        "© 2024 Example Media. All rights reserved.",
        "Powered by WordPress | Designed by: Premium WordPress Themes",
        "You can leave a response, or trackback from your own site.",
        "Iran has been shaken for three months by serial poisoning attacks against all-girls…",
        "features the latest political, financial and sports news to inspire ideas.",
        "Tags: Iran, Russia, Syria",
        ".",
    ],
)
def test_boilerplate_lines_are_recognised(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        SENTENCE,
        "Talks failed.",
        "Their new found love is a concern to reformers",
        "eBay and other firms left Russia in 2022, the report said.",
        "Moscow warned that the cookies policy of Western sanctions would backfire badly.",
    ],
)
def test_content_lines_are_kept(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_site_suffix_becomes_outlet() -> None:
    assert split_site_suffix("Treaty signed in Moscow - Tehran Times") == (
        "Treaty signed in Moscow",
        "Tehran Times",
    )
    assert split_site_suffix("Treaty signed | apnews.com") == ("Treaty signed", "apnews.com")
    # A lower-case tail is part of the title, not a site name.
    title = "Union of Russia and Iran - marriage of convenience"
    assert split_site_suffix(title) == (title, None)


def test_source_lines() -> None:
    ref = source_reference("Source Article from https://www.example.org/2020/01/02/x/")
    assert ref is not None
    assert (ref.url, ref.outlet) == ("https://www.example.org/2020/01/02/x/", "example.org")
    named = source_reference("Original Source: apnews.com")
    assert named is not None
    assert (named.url, named.outlet) == (None, "apnews.com")
    assert source_reference("By Jubin Katiraie") is None
    assert source_reference(SENTENCE) is None


def test_clean_text_reads_title_and_drops_page_furniture() -> None:
    text = "\n".join(
        [
            "Skip to content",
            "Treaty signed in Moscow | Tehran Times",
            "Home | World | Politics",
            "",
            SENTENCE,
            "The two presidents met for three hours, officials said.",
            "Share on Facebook",
            "Treaty signed in Moscow",
        ]
    )
    cleaned = clean_text(text)
    assert cleaned.title == "Treaty signed in Moscow"
    assert cleaned.outlet == "Tehran Times"
    assert cleaned.body == (
        f"{SENTENCE}\n\nThe two presidents met for three hours, officials said."
    )


def test_tail_marker_ends_the_article_only_after_content() -> None:
    article = " ".join([SENTENCE] * 6)
    teaser = "Iran and Russia hold naval drills in the Caspian Sea"
    text = f"Latest News\n{article}\nRelated posts\n{teaser}"
    cleaned = clean_text(text, title="Treaty")
    assert cleaned.body == article


def test_hard_wrapped_text_is_joined_into_paragraphs() -> None:
    words = (SENTENCE + " ") * 12
    lines: list[str] = []
    line = ""
    for word in words.split():
        if len(line) + len(word) > 70:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    paras = paragraphs("\n".join(lines))
    assert paras == [words.strip()]


def test_hyphenated_line_breaks_are_mended() -> None:
    text = (
        "The agreement covers energy, transport and defence co-\noperation between the two states."
    )
    assert paragraphs(text) == [
        "The agreement covers energy, transport and defence cooperation between the two states."
    ]


def test_a_one_megabyte_line_is_split_fast() -> None:
    line = (SENTENCE + " ") * (1_000_000 // len(SENTENCE))
    started = time.perf_counter()
    cleaned = clean_text(line)
    assert time.perf_counter() - started < 2
    chunks = cleaned.body.split("\n\n")
    assert len(chunks) > 100
    assert all(len(chunk) < 5000 for chunk in chunks)


def test_remove_repeated_lines_across_a_batch() -> None:
    tagline = "Alldamoney features the latest political news."
    docs = [f"Article {n} says Russia and Iran talked.\n{tagline}\n\nEnd {n}." for n in range(4)]
    cleaned = remove_repeated_lines(docs, min_docs=3)
    assert all(tagline not in doc for doc in cleaned)
    assert cleaned[2] == "Article 2 says Russia and Iran talked.\n\nEnd 2."


def test_remove_repeated_lines_keeps_lines_below_the_threshold() -> None:
    docs = ["shared line\nA", "shared line\nB", "C"]
    assert remove_repeated_lines(docs, min_docs=3) == docs
