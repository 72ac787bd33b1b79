from __future__ import annotations

import re

from briefs.ingestion import (
    BANDS,
    NEAR_DUPLICATE_JACCARD,
    NUM_PERM,
    bands,
    content_hash,
    estimate_jaccard,
    minhash_signature,
    normalize_for_hash,
)
from briefs.ingestion.dedupe import shingles

ARTICLE = (
    "Russia and Iran signed a comprehensive strategic partnership treaty in Moscow on Friday. "
    "The agreement covers defence, energy, transport and finance, but it contains no mutual "
    "defence clause. Analysts in Tehran said the deal formalises years of cooperation in Syria, "
    "while officials in Moscow stressed that it is not directed against any third country. "
    "Iranian reformers remain wary of Russian motives, recalling the Red Army's refusal to "
    "leave Iran after the Second World War and Moscow's votes for sanctions at the UN."
)


def test_normalize_for_hash_folds_case_width_whitespace_and_punctuation() -> None:
    assert normalize_for_hash("  Russia—and IRAN:\n\n“signed”  a ＴＲＥＡＴＹ!! ") == (
        "russia and iran signed a treaty"
    )


def test_content_hash_ignores_form_only() -> None:
    assert content_hash(ARTICLE) == content_hash(ARTICLE.upper().replace(" ", "\n  "))
    assert content_hash(ARTICLE) != content_hash(ARTICLE + " One more sentence.")
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash(ARTICLE))


def test_signature_is_stable_and_sized() -> None:
    signature = minhash_signature(ARTICLE)
    assert len(signature) == NUM_PERM
    assert signature == minhash_signature(ARTICLE)
    assert all(isinstance(value, int) for value in signature)


def test_near_duplicates_score_high_and_share_bands() -> None:
    edited = ARTICLE.replace("on Friday", "on Friday afternoon")
    a, b = minhash_signature(ARTICLE), minhash_signature(edited)
    assert estimate_jaccard(a, b) >= NEAR_DUPLICATE_JACCARD
    assert set(bands(a)) & set(bands(b))


def test_unrelated_texts_score_low_and_share_no_band() -> None:
    other = (
        "The central bank raised interest rates by half a point to curb inflation, and the "
        "finance ministry announced a new bond issue to fund road building in the provinces."
    )
    a, b = minhash_signature(ARTICLE), minhash_signature(other)
    assert estimate_jaccard(a, b) < 0.2
    assert not set(bands(a)) & set(bands(b))


def test_bands_format() -> None:
    keys = bands(minhash_signature(ARTICLE))
    assert len(keys) == BANDS
    assert [key.split(":")[0] for key in keys] == [str(n) for n in range(BANDS)]
    assert all(re.fullmatch(r"\d+:[0-9a-f]+", key) for key in keys)


def test_short_texts_still_get_shingles() -> None:
    assert shingles("Iran, Russia") == {"iran russia"}
    assert shingles("") == set()
    assert len(minhash_signature("")) == NUM_PERM
