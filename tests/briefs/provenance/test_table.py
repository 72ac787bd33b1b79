"""The provenance table: lookups by outlet name, domain and site name; unknown stays unknown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefs.provenance import (
    UNKNOWN_PROVENANCE,
    Provenance,
    ProvenanceTable,
    SourceType,
    classify_source,
)
from briefs.provenance.table import domain_key, name_key


@pytest.mark.parametrize(
    ("outlet", "type_", "country"),
    [
        ("Tasnim", SourceType.STATE_MEDIA, "IR"),
        ("TASNIM NEWS AGENCY", SourceType.STATE_MEDIA, "IR"),
        ("Press TV", SourceType.STATE_MEDIA, "IR"),
        ("PressTV", SourceType.STATE_MEDIA, "IR"),
        ("press-tv", SourceType.STATE_MEDIA, "IR"),
        ("IRNA", SourceType.STATE_MEDIA, "IR"),
        ("Fars News Agency", SourceType.STATE_MEDIA, "IR"),
        ("Mehr", SourceType.STATE_MEDIA, "IR"),
        ("TASS", SourceType.STATE_MEDIA, "RU"),
        ("RIA Novosti", SourceType.STATE_MEDIA, "RU"),
        ("RT", SourceType.STATE_MEDIA, "RU"),
        ("Sputnik", SourceType.STATE_MEDIA, "RU"),
        ("Reuters", SourceType.WIRE, "GB"),
        ("The Associated Press", SourceType.WIRE, "US"),
        ("AP (apnews.com)", SourceType.WIRE, "US"),
        ("Agence France-Presse", SourceType.WIRE, "FR"),
        ("The Telegraph", SourceType.INTERNATIONAL_PRESS, "GB"),
        ("telegraph", SourceType.INTERNATIONAL_PRESS, "GB"),
        ("Al-Monitor", SourceType.INTERNATIONAL_PRESS, "US"),
        ("Carnegie Endowment", SourceType.THINK_TANK, "US"),
        ("Valdai Discussion Club", SourceType.THINK_TANK, "RU"),
        ("Kremlin", SourceType.GOVERNMENT, "RU"),
        ("tasnimnews.com", SourceType.STATE_MEDIA, "IR"),  # front matter falls back to a domain
    ],
)
def test_outlet_names_match_ignoring_case_and_punctuation(
    outlet: str, type_: SourceType, country: str
) -> None:
    p = classify_source(outlet, None)
    assert (p.type, p.country, p.matched_by) == (type_, country, "outlet")


@pytest.mark.parametrize(
    ("url", "type_", "country"),
    [
        ("https://www.tasnimnews.com/en/news/2024/01/01/1", SourceType.STATE_MEDIA, "IR"),
        ("https://en.irna.ir/news/85000000/", SourceType.STATE_MEDIA, "IR"),
        ("http://WWW.PressTV.ir/Detail/2016/08/22/1", SourceType.STATE_MEDIA, "IR"),
        ("https://tass.com/politics/1", SourceType.STATE_MEDIA, "RU"),
        ("https://russian.rt.com/world/1", SourceType.STATE_MEDIA, "RU"),
        ("https://news.bbc.co.uk/2/hi/middle_east/1.stm", SourceType.INTERNATIONAL_PRESS, "GB"),
        ("https://www.reuters.com/world/x", SourceType.WIRE, "GB"),
        ("https://en.kremlin.ru/events/president/news/1", SourceType.GOVERNMENT, "RU"),
        ("https://www.mid.ru:443/en/foreign_policy/1", SourceType.GOVERNMENT, "RU"),
        ("https://english.president.ir/en/1", SourceType.GOVERNMENT, "IR"),
        ("https://www.mfa.gov.ir/portal/1", SourceType.GOVERNMENT, "IR"),
        ("https://someone.substack.com/p/russia-iran", SourceType.BLOG, None),
    ],
)
def test_url_domains_match_with_subdomains_and_www(
    url: str, type_: SourceType, country: str | None
) -> None:
    p = classify_source(None, url)
    assert (p.type, p.country, p.matched_by) == (type_, country, "domain")


def test_site_name_is_the_last_resort() -> None:
    p = classify_source(None, None, site_name="Tehran Times")
    assert (p.type, p.country, p.matched_by) == (SourceType.STATE_MEDIA, "IR", "site_name")
    p = classify_source("Someone's Blog", "https://example.com/x", site_name="TASS")
    assert (p.type, p.country, p.matched_by) == (SourceType.STATE_MEDIA, "RU", "site_name")


def test_outlet_wins_over_domain_and_domain_over_site_name() -> None:
    assert classify_source("Reuters", "https://tass.com/x", "IRNA").type is SourceType.WIRE
    p = classify_source("Unknown Weekly", "https://tass.com/x", "IRNA")
    assert (p.country, p.matched_by) == ("RU", "domain")


@pytest.mark.parametrize(
    ("outlet", "url", "site"),
    [
        (None, None, None),
        ("", "", ""),
        ("Alldamoney", None, None),
        ("Tasnimish", None, None),  # near a known name: not guessed
        ("Iranian news", None, None),
        (None, "https://example.org/tass.com/article", None),  # a domain in the path only
        (None, "https://nottass.com/x", None),  # a suffix of a word is not a subdomain
        (None, "https://tass.com.evil.example/x", None),
        (None, "not a url", "Some Site"),
        (None, "https://co.uk/x", None),
    ],
)
def test_unknown_stays_unknown(outlet: str | None, url: str | None, site: str | None) -> None:
    p = classify_source(outlet, url, site)
    assert p == UNKNOWN_PROVENANCE
    assert p.label == "unknown source"
    assert not p.known


def test_labels() -> None:
    assert classify_source("Tasnim", None).label == "Iranian state media"
    assert classify_source("TASS", None).label == "Russian state media"
    assert classify_source("Reuters", None).label == "wire service"
    assert classify_source("The Guardian", None).label == "British press"
    assert classify_source("Chatham House", None).label == "British think tank"
    assert classify_source("mfa.ir", None).label == "Iranian government"
    assert classify_source("Medium", None).label == "blog or aggregator"
    assert Provenance(SourceType.STATE_MEDIA, "KZ").label == "KZ state media"
    assert Provenance(SourceType.STATE_MEDIA).label == "state media"


def test_normalisation_helpers() -> None:
    assert name_key("The Tasnim News-Agency!") == "tasnimnewsagency"
    assert name_key("Al‑Monitor") == name_key("al monitor") == "almonitor"
    assert domain_key("https://www.en.IRNA.ir:8443/x?y") == "en.irna.ir"
    assert domain_key("irna.ir") == "irna.ir"
    assert domain_key("localhost") is None
    assert domain_key("") is None


def test_bundled_table_is_large_and_consistent() -> None:
    table = ProvenanceTable.bundled()
    assert len(table.entries) >= 60
    types = {e.type for e in table.entries}
    assert types == set(SourceType) - {SourceType.UNKNOWN}
    for entry in table.entries:
        for domain in entry.domains:
            assert table.by_domain(domain) is not None


def test_an_admin_file_extends_and_overrides_the_table(tmp_path: Path) -> None:
    extra = tmp_path / "sources.json"
    extra.write_text(
        json.dumps(
            {
                "sources": [
                    {"name": "Alldamoney", "type": "blog", "domains": ["alldamoney.example"]},
                    {"name": "Reuters", "type": "international-press", "country": "gb"},
                ]
            }
        ),
        encoding="utf-8",
    )
    table = ProvenanceTable.load(extra)
    assert table.classify("Alldamoney", None).type is SourceType.BLOG
    assert table.classify(None, "https://www.alldamoney.example/x").matched_by == "domain"
    assert table.classify("Reuters", None) == Provenance(
        SourceType.INTERNATIONAL_PRESS, "GB", "outlet"
    )
    assert table.classify("Tasnim", None).type is SourceType.STATE_MEDIA  # bundled kept


def test_a_bad_admin_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"sources": [{"name": "X", "type": "tabloid"}]}), "utf-8")
    with pytest.raises(ValueError, match="unknown source type"):
        ProvenanceTable.load(bad)
    with pytest.raises(ValueError, match="cannot read"):
        ProvenanceTable.load(tmp_path / "missing.json")


def test_source_type_names_with_dash_or_underscore() -> None:
    assert SourceType.parse("state-media") is SourceType.STATE_MEDIA
    assert SourceType.parse("State_Media") is SourceType.STATE_MEDIA
    assert SourceType.parse(" think tank ") is SourceType.THINK_TANK
    with pytest.raises(ValueError, match="state-media"):
        SourceType.parse("propaganda")
    with pytest.raises(ValueError, match="ISO-2"):
        Provenance.of("wire", "USA")
