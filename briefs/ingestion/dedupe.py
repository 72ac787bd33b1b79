"""Exact and near-duplicate fingerprints: a content hash, MinHash signatures and LSH bands."""

from __future__ import annotations

import hashlib
import unicodedata

from briefs.text import words

__all__ = [
    "BANDS",
    "NEAR_DUPLICATE_JACCARD",
    "NUM_PERM",
    "ROWS_PER_BAND",
    "SHINGLE_WORDS",
    "bands",
    "content_hash",
    "estimate_jaccard",
    "minhash_signature",
    "normalize_for_hash",
    "shingles",
]

NUM_PERM = 128
BANDS = 16
ROWS_PER_BAND = 8  # 16 x 8: candidates collide from a Jaccard of about (1/16) ** (1/8) = 0.71
SHINGLE_WORDS = 3
NEAR_DUPLICATE_JACCARD = 0.8
# Signatures are stored, so the permutations must never change: fixed seed and scheme.
_SEED = 1
_SCHEME = "affine32"


def normalize_for_hash(text: str) -> str:
    """Case, width, whitespace and punctuation folded away: the words, single-spaced."""
    return " ".join(words(unicodedata.normalize("NFKC", text).casefold()))


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text: equal for texts differing only in form."""
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    """Overlapping runs of SHINGLE_WORDS words (the whole text when it is shorter)."""
    tokens = normalize_for_hash(text).split()
    if len(tokens) <= SHINGLE_WORDS:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + SHINGLE_WORDS]) for i in range(len(tokens) - SHINGLE_WORDS + 1)}


def minhash_signature(text: str) -> tuple[int, ...]:
    """NUM_PERM MinHash values over the text's word 3-shingles."""
    from datasketch import MinHash  # imports scipy (~0.3 s): only when a brief is ingested

    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return tuple(int(value) for value in minhash.hashvalues)


def bands(signature: tuple[int, ...]) -> tuple[str, ...]:
    """LSH band keys "band:digest"; briefs sharing any key are near-duplicate candidates."""
    if len(signature) != BANDS * ROWS_PER_BAND:
        raise ValueError(f"expected a signature of {BANDS * ROWS_PER_BAND} values")
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(
            b"".join(value.to_bytes(8, "big") for value in rows), digest_size=8
        ).hexdigest()
        keys.append(f"{band}:{digest}")
    return tuple(keys)


def estimate_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Share of equal positions in two signatures: an estimate of their texts' Jaccard."""
    if len(a) != len(b) or not a:
        raise ValueError("signatures must be non-empty and of the same length")
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)
