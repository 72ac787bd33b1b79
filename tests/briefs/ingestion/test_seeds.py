"""The five real scraped pages: boilerplate gone, content kept, title/outlet/date read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefs.ingestion import ParsedDocument, parse_document
from briefs.models import DateOrigin

SEEDS = Path(__file__).parent / "seeds"
NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def parse_seed(name: str) -> ParsedDocument:
    path = SEEDS / name
    return parse_document(path.name, path.read_bytes(), max_bytes=10 * 2**20, now=NOW)


def lines_of(doc: ParsedDocument) -> list[str]:
    return doc.body.split("\n\n")


def assert_gone(doc: ParsedDocument, *fragments: str) -> None:
    for fragment in fragments:
        assert fragment not in doc.body, fragment


def assert_kept(doc: ParsedDocument, *sentences: str) -> None:
    for sentence in sentences:
        assert sentence in doc.body, sentence


def test_seed_000_alldamoney() -> None:
    doc = parse_seed("000_7400319e1c6de8eb.txt")

    assert doc.title == (
        "The Iran, Russian Coalition “A partnership of convenience or Durable Alliance”"
    )
    assert doc.outlet == "Alldamoney"
    assert_gone(
        doc,
        "[Latest News][6]",
        "Featured Posts",
        "Latest News",
        "grid http://i63.tinypic.com/23ws4et.jpg",
        "Alldamoney '",
        "features the latest political, financial,business and sports news",
        "Start typing and press Enter to search",
        "- Alldamoney",
    )
    assert_kept(
        doc,
        "Notably Russia and Iran were not natural allies.",
        "Iran also depends on Russia for spare parts and training.",
        "They foresee an Iran, Russia relationship as a counterforce to the United States.",
        "Reformers think Putin is using Iran as he seeks to reassert his country "
        "on the world stage.",
    )
    # "in August" has no year: no date in the text, so the upload time stands.
    assert (doc.published, doc.date_origin) == (NOW.date(), DateOrigin.UPLOAD)
    assert doc.source_url is None


def test_seed_001_union_of_russia_and_iran() -> None:
    doc = parse_seed("001_90a57f43a861103d.txt")

    assert doc.title == "Union of Russia and Iran"
    assert doc.outlet == "The Telegraph UK"
    assert "News" not in lines_of(doc)
    assert "." not in lines_of(doc)
    assert_gone(doc, "Blog and articles", "upstairs", "Based on the materials of")
    assert_kept(
        doc,
        "Since the entry of the Russian armed forces into the territory of Syria, "
        "Moscow has maintained a difficult alliance with Iran.",
        "Then Russia did not believe the Iranians about the scale of their nuclear program.",
        "The most acceptable way for Russia to maintain its military bases in Syria is to "
        "persuade Iran to cease its aggression against Israel.",
    )
    assert lines_of(doc)[0] == "England: Union of Russia and Iran - marriage of convenience"
    # "Wednesday May 9th" names no year.
    assert doc.date_origin is DateOrigin.UPLOAD


def test_seed_002_not_natural_allies() -> None:
    doc = parse_seed("002_06d0ec6ae6a1f917.txt")

    # The breadcrumb glued to the first line ("Iran General NewsRussia…") is dropped.
    assert doc.title == "Russia and Iran Not Natural Allies"
    assert doc.outlet is None  # the page names no outlet
    assert_gone(
        doc,
        "Iran General News",
        "By Jubin Katiraie",
        "Latest news",
        "What Gas Poisonings In Iran Tell Us About The Ruling Regime",
        "Iran’s Regime Inches Toward Nuclear Weapons",
        "Ahmadinejad slams Saudi role in Yemen conflict",
        "Iran: Lessons learned",
        "Must read",
        "You might also like",
        "Recommended to you",
    )
    assert_kept(
        doc,
        "Russia and Iran are also fighting for influence in Syria, where they only band "
        "together against a common threat.",
        "This may surprise those who know that Russia’s foreign policy since 1979 has been "
        "focused on improving ties with Tehran",
        "history shows that Moscow is not afraid of siding with the West in opposition to Tehran.",
    )
    # "since 1979" is not a publication date; the sidebar's "February 23" has no year.
    assert doc.date_origin is DateOrigin.UPLOAD


def test_seed_003_ties_after_syrian_crisis() -> None:
    doc = parse_seed("003_28b3fdcfba5a4d4b.txt")

    assert doc.title == "What happens to Russia, Iran ties after Syrian crisis?"
    assert doc.outlet == "Alwaght"  # the one-word byline "By Alwaght"
    assert doc.source_url == (
        "http://theiranproject.com/blog/2016/04/13/happens-russia-iran-ties-syrian-crisis/"
    )
    assert_gone(
        doc,
        "By Alwaght",
        "Source Article from",
        "You can leave a response, or trackback from your own site.",
        "Leave a Reply",
        "Powered by WordPress",
    )
    assert_kept(
        doc,
        "This partnership has, without doubt, been unprecedented in the history of relations "
        "of two the countries.",
        "Beside massive cooperation, Iran and Russia hold their own essential differences.",
    )
    # The source URL's /2016/04/13/ path is the latest full date the page offers.
    assert (doc.published, doc.date_origin) == (dt.date(2016, 4, 13), DateOrigin.TEXT)


def test_seed_004_apnews_summary() -> None:
    doc = parse_seed("004_1d514893b6f6bc18.txt")

    # No heading: the opening sentence becomes the title and stays in the body.
    assert doc.title == (
        "Russia and Iran, historically adversaries, have forged a strategic alliance post-1991, "
        "mainly due to mutual interests amid geopolitical pressures"
    )
    assert doc.outlet == "apnews.com"
    assert_gone(doc, "Original Source: apnews.com")
    assert_kept(
        doc,
        "Russia and Iran, historically adversaries, have forged a strategic alliance post-1991",
        "In 2022, allegations arose of a $1.7 billion drone deal between the countries amid "
        "growing military sanctions against Russia.",
        "Going forward, both nations must balance their cooperation while addressing inherent "
        "distrust and external pressures.",
    )
    assert len(lines_of(doc)) == 7
    # Bare years (2015, 2022) are not publication dates.
    assert doc.date_origin is DateOrigin.UPLOAD


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_seed_keeps_most_of_its_text(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    doc = parse_seed(path.name)
    assert 0.5 * len(raw) < len(doc.body) < len(raw)
    assert "\n\n\n" not in doc.body
    assert all(paragraph.strip() == paragraph for paragraph in lines_of(doc))
