"""The query sanitiser, without a database."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql

from storage._match import (
    MAX_TERMS,
    fts5_expression,
    normalise_term,
    term_groups,
    tsquery_expression,
)


def test_normalise_keeps_only_word_tokens() -> None:
    assert normalise_term('  "Gas"  deal! ') == "Gas deal"
    assert normalise_term("AND OR NEAR( *") == "AND OR NEAR"
    assert normalise_term("'; DROP TABLE briefs; --") == "DROP TABLE briefs"
    assert normalise_term("zero\u200bwidth") == "zero width"
    assert normalise_term("ctrl\x00\x1fchars") == "ctrl chars"
    assert normalise_term("!!! ^ - :") == ""
    assert normalise_term("Тегеран") == "Тегеран"
    assert normalise_term("e\u0301") == "é"


def test_groups_drop_empty_terms_and_duplicates() -> None:
    assert term_groups((("gas", "GAS", "!!"), ("",), ("oil field",))) == [
        ["gas"],
        ["oil field"],
    ]
    assert term_groups(()) == []


def test_term_budget() -> None:
    many = tuple(f"t{i}" for i in range(MAX_TERMS + 10))
    assert sum(len(g) for g in term_groups((many,))) == MAX_TERMS


def test_fts5_expression_quotes_every_term() -> None:
    groups = term_groups((("gas", "oil field"), ("NEAR(x",)))
    assert fts5_expression(groups, require_all=True) == '("gas" OR "oil field") AND ("NEAR x")'
    assert fts5_expression(groups, require_all=False) == '("gas" OR "oil field") OR ("NEAR x")'


def test_tsquery_uses_only_bound_parameters() -> None:
    groups = term_groups((("gas", "oil'); DROP"), ("nuclear",)))
    compiled = tsquery_expression(groups, require_all=True).compile(dialect=postgresql.dialect())
    sql = str(compiled)
    assert "DROP" not in sql
    assert "&&" in sql
    assert "||" in sql
    assert sorted(compiled.params.values()) == ["gas", "nuclear", "oil DROP"]
