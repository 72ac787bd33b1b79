"""Everyday English words and the words WordNet relates to them (synonyms, similar adjectives,
derivations): "cozy" → close, snug, intimate…; "uneasy" → anxious, nervous…

Used by abstention, not by ranking. A question word the corpus never uses is weak evidence
that the corpus lacks the topic when a related word *is* in the corpus (the user paraphrased:
"how cozy has Tehran gotten with the Kremlin?"), and strong evidence when none is
("Turkmenchay", "BRICS"). The table ships as data (`related_words.txt.gz`, built from
WordNet 3.0 by `build_related_words.py`); inflected forms are reduced to WordNet base forms
with WordNet's own rules ("morphy": irregular forms from the data, then suffix rules).
No library fits: NLTK needs a WordNet download at run time, `wn` ships 30 MB of data.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

__all__ = ["base_forms", "irregular_forms", "related_words"]

DATA = "related_words.txt.gz"

# WordNet's morphy detachment rules (noun, verb and adjective suffixes).
_SUFFIXES = (
    ("s", ""),
    ("ses", "s"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
    ("er", ""),
    ("est", ""),
    ("er", "e"),
    ("est", "e"),
)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(word → related words, irregular form → base forms), parsed once."""
    raw = resources.files("briefs.retrieval").joinpath(DATA).read_bytes()
    related: dict[str, tuple[str, ...]] = {}
    irregular: dict[str, tuple[str, ...]] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        head, *rest = line.split()
        if head.startswith("@"):
            irregular[head[1:]] = tuple(rest)
        else:
            related[head] = tuple(rest)
    return related, irregular


def base_forms(word: str) -> tuple[str, ...]:
    """The table's headwords `word` may be an inflection of (itself included)."""
    related, irregular = _table()
    word = word.lower()
    candidates = [word, *irregular.get(word, ())]
    candidates += [word[: -len(end)] + new for end, new in _SUFFIXES if word.endswith(end)]
    return tuple(dict.fromkeys(c for c in candidates if c in related))


def related_words(word: str) -> tuple[str, ...]:
    """Words WordNet relates to `word` or its base forms; () for names and rare words."""
    related, _ = _table()
    found: dict[str, None] = {}
    for base in base_forms(word):
        found.update(dict.fromkeys(related[base]))
    found.pop(word.lower(), None)
    return tuple(found)


@lru_cache(maxsize=1)
def _inflections() -> dict[str, tuple[str, ...]]:
    """Base form → its irregular forms ("lose" → "lost"), from WordNet's exception lists."""
    _, irregular = _table()
    out: dict[str, set[str]] = {}
    for form, bases in irregular.items():
        for base in bases:
            out.setdefault(base, set()).add(form)
    return {base: tuple(sorted(forms)) for base, forms in out.items()}


def irregular_forms(word: str) -> tuple[str, ...]:
    """The other irregular forms of `word`'s base form, which no stemmer joins: "lose" →
    "lost", "built" → "build", "taught" → "teach"; () for regular words."""
    _, irregular = _table()
    word = word.lower()
    bases = (word, *irregular.get(word, ()))
    forms = dict.fromkeys(f for b in bases for f in (b, *_inflections().get(b, ())))
    forms.pop(word, None)
    return tuple(forms)
