"""The WordNet-derived table of related everyday words (abstention's paraphrase signal)."""

from __future__ import annotations

import gzip
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from briefs.retrieval.build_related_words import build
from briefs.retrieval.related_words import base_forms, irregular_forms, related_words


def test_synonyms_and_similar_adjectives_are_related() -> None:
    assert {"close", "snug"} <= set(related_words("cozy"))
    assert {"anxious", "nervous"} <= set(related_words("uneasy"))
    assert "purchase" in related_words("buy")


def test_inflected_and_irregular_forms_reach_their_base_form() -> None:
    assert base_forms("slogans") == ("slogan",)
    assert "deploy" in base_forms("deployed")
    assert "get" in base_forms("gotten")  # irregular: from WordNet's exception lists
    assert "purchase" in related_words("buying")
    assert "motto" in related_words("Slogans")


def test_names_and_rare_words_have_no_related_words() -> None:
    assert related_words("turkmenchay") == ()
    assert related_words("hamadan") == ()
    assert related_words("") == ()


@given(st.text(max_size=30))
def test_any_token_is_safe_and_never_related_to_itself(word: str) -> None:
    found = related_words(word)
    assert word.lower() not in found
    assert all(w.isalpha() and w == w.lower() for w in found)


def test_builder_reads_a_wordnet_database(tmp_path: Path) -> None:
    # A two-synset WordNet in its own file format: "cozy" (tagged once) and "snug".
    head = "  1 licence header line  \n"
    adj = (
        head + "00000001 00 a 02 cozy 0 snug 0 001 & 00000002 a 0000 | comfortable\n"
        "00000002 00 s 01 intimate 0 000 | close\n"
    )
    (tmp_path / "data.adj").write_text(adj, encoding="latin-1")
    (tmp_path / "index.adj").write_text(
        head + "cozy a 1 1 & 1 1 00000001\nsnug a 1 0 0 0 00000001\n", encoding="latin-1"
    )
    for pos in ("noun", "verb", "adv"):
        (tmp_path / f"data.{pos}").write_text(head, encoding="latin-1")
        (tmp_path / f"index.{pos}").write_text(head, encoding="latin-1")
    for pos in ("noun", "verb", "adj", "adv"):
        (tmp_path / f"{pos}.exc").write_text("", encoding="latin-1")
    (tmp_path / "adj.exc").write_text("cozier cozy\n", encoding="latin-1")
    (tmp_path / "LICENSE").write_text("WordNet Release 3.0\n", encoding="latin-1")

    text = build(tmp_path)

    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines == ["cozy snug intimate", "@cozier cozy"]  # snug was never sense-tagged
    assert "# WordNet Release 3.0" in text


def test_shipped_table_carries_the_wordnet_licence() -> None:
    data = Path(__file__).resolve().parents[3] / "briefs" / "retrieval" / "related_words.txt.gz"
    header = gzip.decompress(data.read_bytes()).decode()[:2000]
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in header


def test_irregular_forms_join_what_no_stemmer_joins() -> None:
    assert irregular_forms("lose") == ("lost",)
    assert "lose" in irregular_forms("lost")
    assert irregular_forms("built") == ("build",)
    assert irregular_forms("treaty") == ()
