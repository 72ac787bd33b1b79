"""Turning `SearchQuery.groups` into safe full-text match expressions.

User text never reaches MATCH or tsquery syntax as is. Each term is cut into word tokens
(Unicode letters, digits and private-use characters, like SQLite's `unicode61` tokenizer;
everything else - quotes, operators, control and zero-width characters - separates
tokens), then:

* SQLite FTS5: every term becomes one double-quoted phrase (it holds only letters, digits
  and spaces; any `"` would be doubled anyway). Groups are `("a" OR "b c")`, joined with
  AND or OR.
* PostgreSQL: every term is a bound parameter of `phraseto_tsquery('english', :p)`; terms
  are combined with `||` and groups with `&&` / `||`. A term PostgreSQL reduces to nothing
  (stop words) yields an empty tsquery, which those operators drop.

Terms with no tokens are dropped, groups with no terms are dropped, and a query with no
groups left matches nothing.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import bindparam, func, literal_column

__all__ = [
    "MAX_TERMS",
    "MAX_TERM_CHARS",
    "fts5_expression",
    "term_groups",
    "tsquery_expression",
    "tsquery_sql",
]

MAX_TERMS = 64  # across all groups; extra terms are ignored
MAX_TERM_CHARS = 200  # a longer term is cut at a token boundary


def _is_token_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def normalise_term(term: str) -> str:
    """The term as space-separated word tokens ("" when it has none)."""
    text = unicodedata.normalize("NFKC", term)
    cleaned = "".join(c if _is_token_char(c) else " " for c in text)
    tokens = cleaned.split()
    kept: list[str] = []
    size = 0
    for token in tokens:
        size += len(token) + 1
        if size > MAX_TERM_CHARS + 1:
            break
        kept.append(token)
    if not kept and tokens:  # one giant token
        kept.append(tokens[0][:MAX_TERM_CHARS])
    return " ".join(kept)


def term_groups(groups: tuple[tuple[str, ...], ...]) -> list[list[str]]:
    """Usable groups of normalised, de-duplicated terms."""
    usable: list[list[str]] = []
    budget = MAX_TERMS
    for group in groups:
        terms: list[str] = []
        for raw in group:
            term = normalise_term(raw)
            if term and term.casefold() not in {t.casefold() for t in terms} and budget > 0:
                terms.append(term)
                budget -= 1
        if terms:
            usable.append(terms)
    return usable


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts5_expression(groups: list[list[str]], require_all: bool) -> str:
    """An FTS5 MATCH expression; only quoted phrases and the operators AND/OR."""
    parts = ["(" + " OR ".join(_quote(t) for t in group) + ")" for group in groups]
    return (" AND " if require_all else " OR ").join(parts)


def tsquery_expression(groups: list[list[str]], require_all: bool) -> Any:
    """A tsquery SQL expression built only from bound parameters."""
    english: Any = literal_column("'english'::regconfig")
    combined: Any = None
    for g, group in enumerate(groups):
        group_query: Any = None
        for t, term in enumerate(group):
            term_query = func.phraseto_tsquery(english, bindparam(f"term_{g}_{t}", term))
            group_query = term_query if group_query is None else group_query.op("||")(term_query)
        if combined is None:
            combined = group_query
        else:
            combined = combined.op("&&" if require_all else "||")(group_query)
    return combined


def tsquery_sql(terms: list[str], prefix: str) -> tuple[str, dict[str, str]]:
    """Textual SQL for "any of `terms`" as a tsquery, with the terms as bound parameters."""
    names = [f"{prefix}{i}" for i in range(len(terms))]
    sql = " || ".join(f"phraseto_tsquery('english'::regconfig, :{n})" for n in names)
    return sql, dict(zip(names, terms, strict=True))
