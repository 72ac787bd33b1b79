"""Misspelled question words, read as the near spelling the candidate passages use.

"What were crowds chanting at Rafsanajni's funeral?" finds its passage through its other
words, but the name itself matches nothing, so ranking and abstention would treat it as a
concept the corpus lacks. A question word that no passage in the index uses and that is not
an English word (WordNet's base forms, the related-words table) is read as the word one edit
away (Damerau–Levenshtein: a letter added, dropped, changed or two swapped) that the
candidate passages use. Only the candidates' words are compared, so the check costs nothing
on a large corpus and needs no vocabulary table; every typo in the dev sets is one edit.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extractOne

from briefs.models import SearchHit
from briefs.retrieval.query import QueryPlan, stopwords
from briefs.retrieval.related_words import base_forms
from briefs.text import words

__all__ = [
    "MIN_LENGTH",
    "NATIONAL_SPELLINGS",
    "QUESTION_WORDS",
    "SHORT_LENGTH",
    "as_written",
    "corrections",
    "in_case_of",
    "misspellings",
    "respelled",
]

#: Shorter words have too many one-edit neighbours ("forum" → "form") to guess from.
MIN_LENGTH = 6
#: Shorter than MIN_LENGTH, only swapped letters and misspelled function words are read.
SHORT_LENGTH = 4
QUESTION_WORDS = ("what", "which", "when", "where", "whose", "why", "how")


# British and American spellings of the same word ("organised"/"organized", "rumoured"/
# "rumored"): both are English, so they are compared only through these swaps.
NATIONAL_SPELLINGS = (
    ("ise", "ize"),
    ("isa", "iza"),
    ("yse", "yze"),
    ("our", "or"),
    ("ence", "ense"),
)


def _variants(word: str) -> list[str]:
    out = []
    for a, b in NATIONAL_SPELLINGS:
        for old, new in ((a, b), (b, a)):
            if old in word:
                out.append(word.replace(old, new))
    return out


def _short_fix(word: str, vocabulary: Counter[str]) -> str | None:
    """A short word that is not English: two neighbouring letters swapped ("biuld", "worht")
    in a word the texts use, or one edit from a question word ("wich")."""
    if base_forms(word) or word in stopwords():
        return None
    swapped = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]
    found = sorted(
        (w for w in swapped if w != word and w in vocabulary), key=lambda w: -vocabulary[w]
    )
    if found:
        return found[0]
    best = extractOne(word, QUESTION_WORDS, scorer=DamerauLevenshtein.distance, score_cutoff=1)
    return None if best is None else str(best[0])


_LINKS = frozenset({"of", "the", "for"})


def _acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Initials of the capitalised names in `texts` ("usf" → "university of south florida"),
    so an acronym the briefs spell out is read as the name."""
    found: dict[str, str] = {}
    for text in texts:
        run: list[str] = []
        for token in [*re.findall(r"[\w'-]+|[^\w\s]", text), "."]:
            if token[:1].isupper() or (run and token in _LINKS):
                run.append(token)
                continue
            while run and run[-1] in _LINKS:
                run.pop()
            while run and run[0].lower() in stopwords():  # "The", "In" opening a sentence
                run.pop(0)
            capitals = [t for t in run if t[:1].isupper()]
            if len(capitals) >= 2:
                found.setdefault("".join(t[0] for t in capitals).lower(), " ".join(run).lower())
            run = []
    return found


def corrections(unknown: Iterable[str], texts: Iterable[str]) -> Mapping[str, str]:
    """`{asked: read as}` for each unknown word the texts spell another way: run together
    ("airpower" for "air power"), in the other of British/American spelling, or, for words
    that are not English ("statment"), one edit away (the most frequent such word, ties
    broken alphabetically); short words only as `_short_fix` allows. Other English words
    ("status", "wheat") are asked as meant."""
    asked = [w for w in unknown if len(w) >= 3 and w.isalpha()]
    if not asked:
        return {}
    texts = list(texts)
    acronyms = _acronyms(texts)
    tokens = [words(text) for text in texts]
    vocabulary = Counter(w for ts in tokens for w in ts if len(w) >= SHORT_LENGTH)
    joined = {a + b: f"{a} {b}" for ts in tokens for a, b in itertools.pairwise(ts)}
    choices = sorted(vocabulary, key=lambda w: (-vocabulary[w], w))
    fixed = {}
    for word in asked:
        if word in acronyms and not base_forms(word):
            fixed[word] = acronyms[word]
            continue
        if len(word) < SHORT_LENGTH:
            continue
        if len(word) < MIN_LENGTH:
            short = _short_fix(word, vocabulary)
            if short is not None:
                fixed[word] = short
            continue
        variant = next((v for v in _variants(word) if v in vocabulary), None)
        if word in joined:
            fixed[word] = joined[word]
        elif variant is not None:
            fixed[word] = variant
        elif not base_forms(word):
            best = extractOne(word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=1)
            if best is not None and best[0] != word:
                fixed[word] = best[0]
    return fixed


def misspellings(
    plan: QueryPlan, frequency: Mapping[str, int], hits: Sequence[SearchHit]
) -> Mapping[str, str]:
    """The plan's one-word concepts that no passage in the index uses (`frequency` 0) and
    the candidates' spelling of each, where there is one."""
    unknown = [
        g.name for g in plan.groups if frequency.get(g.name, 0) == 0 and g.terms == (g.name,)
    ]
    if not unknown or not hits:
        return {}
    return corrections(unknown, (f"{h.brief.title} {h.passage.text}" for h in hits))


def in_case_of(written: str, spelling: str) -> str:
    """`spelling` capitalised as the user wrote the word: "Rafsanajni" → "Rafsanjani", "USF"
    → "University of South Florida" (a capitalised name stays a name to the planner)."""
    if not written[:1].isupper():
        return spelling
    return " ".join(w if w in _LINKS else w[:1].upper() + w[1:] for w in spelling.split())


def _typed(word: str) -> re.Pattern[str]:
    """`word` as a whole word, in any case."""
    return re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)


def respelled(question: str, fixed: Mapping[str, str]) -> str:
    """`question` with each misspelled word replaced (so it is planned again in full, aliases
    included: "Rafsanjani" is also "Akbar Hashemi Rafsanjani")."""
    for asked, spelling in fixed.items():

        def replace(match: re.Match[str], spelling: str = spelling) -> str:
            return in_case_of(match.group(0), spelling)

        question = _typed(asked).sub(replace, question)
    return question


def as_written(question: str, fixed: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """The corrections as (word as typed, word as read) for the answer's note."""
    pairs = []
    for asked, spelling in fixed.items():
        match = _typed(asked).search(question)
        written = match.group(0) if match else asked
        pairs.append((written, in_case_of(written, spelling)))
    return tuple(pairs)
