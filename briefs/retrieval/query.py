"""Turn a chat question into a safe, expanded full-text query plus time preferences."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from briefs.errors import InvalidQuestionError
from briefs.models import SearchQuery
from briefs.retrieval.related_words import irregular_forms
from briefs.text import stem_word, words

__all__ = [
    "MAX_QUESTION_CHARS",
    "QueryPlan",
    "TermGroup",
    "clean_question",
    "plan_query",
    "stopwords",
]

MAX_QUESTION_CHARS = 1000
_INVISIBLE = {"Cf", "Cc", "Co", "Cs"}  # format (zero-width, bidi), control, private, surrogate
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_RECENCY = re.compile(
    r"\b(latest|newest|now|currently|current|today|recent(ly)?|these days)\b", re.I
)
_SINCE = re.compile(r"\b(since|after)\s+(the\s+)?(19[5-9]\d|20[0-4]\d)\b", re.I)
_OPERATORS = re.compile(r"\b(AND|OR|NOT|NEAR)\b")  # typed in capitals they are search syntax
# "In what year…", "on which day…": the noun names the answer's type, not a topic to search.
# "These days" only asks for recency (see _RECENCY).
_ANSWER_TYPE = re.compile(r"\b(?<=what |hich )(year|date|month|day)s?\b|\bthese days\b", re.I)
# "How much is it worth / did it cost?": the verb names the answer's type too.
_HOW_MUCH = re.compile(r"\bhow much\b", re.I)
_PRICE_WORDS = re.compile(r"\b(worth|cost)\b", re.I)
_UKRAINE_WAR = re.compile(r"\b(since|after)\s+the\s+(ukraine|ukrainian)\s+war\b", re.I)


@dataclass(frozen=True, slots=True)
class TermGroup:
    """One concept of the question: the words it was asked with and their alternatives."""

    name: str
    terms: tuple[str, ...]
    generic: bool = False
    # Named or numbered things (aliases, capitalised names, years): when the corpus lacks
    # them the question is probably about something else. Plain words weigh less.
    salient: bool = True

    @property
    def year(self) -> int | None:
        return int(self.name) if _YEAR.fullmatch(self.name) else None


@dataclass(frozen=True, slots=True)
class QueryPlan:
    question: str
    groups: tuple[TermGroup, ...]
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    prefer_recent: bool = False
    respelled: tuple[tuple[str, str], ...] = ()  # (asked, read as): see retrieval.spelling

    @property
    def key_groups(self) -> tuple[TermGroup, ...]:
        return tuple(g for g in self.groups if not g.generic)

    def search_query(
        self, limit: int, *, with_dates: bool = True, strict: bool = False
    ) -> SearchQuery:
        """Every concept OR-ed; when `strict`, passages holding every key concept."""
        groups = self.key_groups if strict and self.key_groups else self.groups
        return SearchQuery(
            groups=tuple(g.terms for g in groups),
            require_all=strict and bool(self.key_groups),
            published_from=self.published_from if with_dates else None,
            published_to=self.published_to if with_dates else None,
            limit=limit,
        )


@dataclass(frozen=True, slots=True)
class _Alias:
    name: str
    generic: bool
    terms: tuple[str, ...]


@lru_cache(maxsize=1)
def _alias_data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        resources.files("briefs.retrieval").joinpath("aliases.json").read_text()
    )
    return loaded


@lru_cache(maxsize=1)
def _aliases() -> tuple[dict[str, _Alias], dict[tuple[str, ...], _Alias]]:
    raw = _alias_data()
    single: dict[str, _Alias] = {}
    phrases: dict[tuple[str, ...], _Alias] = {}
    for entry in raw["groups"]:
        alias = _Alias(entry["name"], bool(entry.get("generic", False)), tuple(entry["terms"]))
        for term in alias.terms:
            toks = tuple(words(term))
            if len(toks) == 1:
                single.setdefault(toks[0], alias)
            elif toks:
                phrases.setdefault(toks, alias)
    return single, phrases


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """Chat shorthand ("govt", "nov") → the word the briefs use, from aliases.json."""
    raw = _alias_data().get("abbreviations", {})
    return {k: v for k, v in raw.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files("briefs.retrieval").joinpath("stopwords.txt").read_text()
    return frozenset(
        w for line in text.splitlines() if not line.startswith("#") for w in line.split()
    )


def clean_question(question: str) -> str:
    """Strip invisible/control characters, fold Unicode, collapse space; validate length."""
    folded = unicodedata.normalize("NFKC", question)
    visible = "".join(
        " " if ch in "\n\r\t" else ch
        for ch in folded
        if ch in "\n\r\t" or unicodedata.category(ch) not in _INVISIBLE
    )
    text = " ".join(visible.split())
    if not text:
        raise InvalidQuestionError(
            "Ask a question in words, e.g. “Why did Iran protest Russia’s use of Hamadan?”"
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidQuestionError(
            f"That question is {len(text):,} characters long; please keep it under "
            f"{MAX_QUESTION_CHARS:,}."
        )
    return text


@lru_cache(maxsize=1)
def _weak_stems() -> frozenset[str]:
    text = resources.files("briefs.retrieval").joinpath("weakwords.txt").read_text()
    listed = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(stem_word(w) for w in listed)


def _salient(token: str, capitalised: set[str]) -> bool:
    if token.isdigit():
        return len(token) >= 3  # years and figures, not "1=1" or "5"
    if token in capitalised:
        return True
    return not token.endswith("ly") and stem_word(token) not in _weak_stems()


def _capitalised_words(text: str) -> set[str]:
    """Words written with a capital inside a sentence (names), lower-cased."""
    found = set()
    for sentence in re.split(r"[.?!;:]\s+", text):
        for token in sentence.split()[1:]:
            clean = token.strip("\"'“”‘’(),")
            if clean[:1].isupper():
                found.update(words(clean))
    return found


def _time_preferences(text: str, today: dt.date) -> tuple[dt.date | None, dt.date | None, bool]:
    if _UKRAINE_WAR.search(text):
        return dt.date(2022, 2, 24), None, False
    since = _SINCE.search(text)
    if since:
        return dt.date(int(since.group(3)), 1, 1), None, False
    recent = bool(_RECENCY.search(text))
    return None, None, recent


def plan_query(question: str, *, today: dt.date | None = None) -> QueryPlan:
    text = clean_question(question)
    today = today or dt.date.today()
    single, phrases = _aliases()
    stop = stopwords()
    # "US" in capitals is the country, not the pronoun.
    asked = _ANSWER_TYPE.sub(" ", re.sub(r"\bUS\b", "USA", _OPERATORS.sub(" ", text)))
    if _HOW_MUCH.search(asked):
        asked = _PRICE_WORDS.sub(" ", asked)
    shorthand = _abbreviations()
    tokens = [w for t in words(asked) for w in words(shorthand.get(t, t))]
    capitalised = _capitalised_words(text)
    groups: dict[str, TermGroup] = {}
    i = 0
    while i < len(tokens):
        matched = False
        for size in (5, 4, 3, 2):
            alias = phrases.get(tuple(tokens[i : i + size]))
            if alias:
                groups.setdefault(alias.name, TermGroup(alias.name, alias.terms, alias.generic))
                i += size
                matched = True
                break
        if matched:
            continue
        token = tokens[i]
        i += 1
        if token in stop or (len(token) < 2 and not token.isdigit()):
            continue
        alias = single.get(token)
        if alias:
            groups.setdefault(alias.name, TermGroup(alias.name, alias.terms, alias.generic))
        elif token not in groups:
            terms = (token, *irregular_forms(token))  # "lose" also finds "lost"
            groups[token] = TermGroup(token, terms, salient=_salient(token, capitalised))
    published_from, published_to, recent = _time_preferences(text, today)
    return QueryPlan(
        question=text,
        groups=tuple(groups.values())[:12],
        published_from=published_from,
        published_to=published_to,
        prefer_recent=recent,
    )
