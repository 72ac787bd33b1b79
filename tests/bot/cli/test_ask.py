"""`ask` and `report gaps` through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.bot.cli import STARTER_COUNT, invoke, invoke_json, isolate

ABSTAIN = "The corpus does not cover this."
HAMADAN = "Why did Iran let Russia use the Hamadan air base?"
BANANA = ("What is the best recipe for banana bread?", "Best banana bread recipe?")
WORLD_CUP = "Who won the 1998 football World Cup?"
MARKUP = "what about [/red] and [bold]banana bread[/bold]?"
OPERATORS = (
    '"AND OR NEAR( *',
    "'; DROP TABLE briefs; --",
    'Hamadan" OR 1=1 -- NOT ^ {col}: "Russia',
)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def test_first_ask_loads_the_starter_corpus_and_cites(db_url: str) -> None:
    doc = invoke_json("ask", HAMADAN, "--db", db_url)

    assert set(doc) >= {"answer", "abstained", "sources", "question_id"}
    assert doc["abstained"] is False
    assert doc["sources"]
    for source in doc["sources"]:
        assert set(source) >= {"id", "original_filename", "title", "date"}
    assert doc["sources"][0]["original_filename"] == "01-partnership-of-convenience.md"
    assert "Hamadan" in doc["answer"]
    assert "[1]" in doc["answer"]

    briefs = invoke_json("briefs", "list", "--db", db_url)
    assert len(briefs) == STARTER_COUNT
    assert "01-partnership-of-convenience.md" in {b["original_filename"] for b in briefs}

    # Later steps share the loaded database (loading it is the slow part).
    _sources_are_in_citation_order(db_url)
    _text_answer_and_off_topic_abstention(db_url)
    _query_syntax_in_a_question_is_just_text(db_url)
    _question_with_rich_markup_is_shown_verbatim(db_url)
    _report_gaps_groups_unanswered_questions(db_url)


def _sources_are_in_citation_order(db_url: str) -> None:
    doc = invoke_json(
        "ask",
        "Why did Iran let Russia use the Hamadan air base, and how do Iranians see Russia?",
        "--db",
        db_url,
    )

    numbers = [s["n"] for s in doc["sources"]]
    assert numbers == list(range(1, len(numbers) + 1))
    first_use: list[int] = []
    for n in re.findall(r"\[(\d+)\]", doc["answer"]):
        if int(n) not in first_use:
            first_use.append(int(n))
    assert first_use == numbers
    assert len({s["id"] for s in doc["sources"]}) == len(numbers)


def _text_answer_and_off_topic_abstention(db_url: str) -> None:
    answered = invoke("ask", HAMADAN, "--db", db_url)
    assert answered.exit_code == 0
    assert "Hamadan" in answered.stdout
    assert "partnership of convenience" in answered.stdout.lower()

    off_topic = invoke("ask", BANANA[0], "--db", db_url)
    assert off_topic.exit_code == 0
    assert ABSTAIN in off_topic.stdout
    assert off_topic.stderr == ""

    doc = invoke_json("ask", WORLD_CUP, "--db", db_url)
    assert doc["abstained"] is True
    assert doc["answer"].startswith(ABSTAIN)
    assert doc["sources"] == []


def _query_syntax_in_a_question_is_just_text(db_url: str) -> None:
    for question in OPERATORS:
        result = invoke("ask", question, "--db", db_url)
        assert result.exit_code == 0, result.output
        assert result.stdout.strip()
        assert result.stderr == ""

        doc = invoke_json("ask", question, "--db", db_url)
        assert isinstance(doc["abstained"], bool)
    # The tables are still there and intact.
    assert len(invoke_json("briefs", "list", "--db", db_url)) == STARTER_COUNT


def _question_with_rich_markup_is_shown_verbatim(db_url: str) -> None:
    assert invoke("ask", MARKUP, "--db", db_url).exit_code == 0

    result = invoke("report", "gaps", "--db", db_url)

    assert result.exit_code == 0, result.output
    assert "[/red]" in result.stdout


def _report_gaps_groups_unanswered_questions(db_url: str) -> None:
    assert invoke("ask", BANANA[1], "--db", db_url).exit_code == 0

    groups = invoke_json("report", "gaps", "--db", db_url)

    assert isinstance(groups, list)
    for group in groups:
        assert set(group) == {"topic", "count", "questions"}
        assert group["count"] == len(group["questions"])
    asked = [q for g in groups for q in g["questions"]]
    assert HAMADAN not in asked  # answered questions are not gaps
    for question in (*BANANA, WORLD_CUP, MARKUP):
        assert question in asked
    banana = [g for g in groups if BANANA[0] in g["questions"]]
    assert len(banana) == 1
    assert BANANA[1] in banana[0]["questions"]
    assert banana[0]["count"] >= 2
    assert not any(WORLD_CUP in g["questions"] for g in banana)

    table = invoke("report", "gaps", "--db", db_url)
    assert table.exit_code == 0
    assert "banana" in table.stdout


def test_new_database_has_no_gaps_and_refuses_a_long_question(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOAD_STARTER_CORPUS", "false")
    result = invoke("report", "gaps", "--db", db_url)
    assert result.exit_code == 0
    assert "No unanswered questions logged yet." in result.stdout
    assert invoke_json("report", "gaps", "--db", db_url) == []

    result = invoke("ask", "why " * 1250, "--db", db_url)

    assert result.exit_code == 1
    assert "characters long" in result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
