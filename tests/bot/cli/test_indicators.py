"""`indicators classify|rebuild` and `eval indicators|balance` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.cli import SEEDS, STARTER_COUNT, invoke, invoke_json, isolate

TREATY = "Russia and Iran signed a comprehensive strategic partnership treaty in Moscow."
PROTEST = "Iran summoned the Russian ambassador to protest the leak."
WEATHER = "The weather in Paris was mild."
SEED = "000_7400319e1c6de8eb.txt"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def _jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_classify_reads_stdin_line_by_line() -> None:
    result = invoke("indicators", "classify", "--json", stdin=f"{TREATY}\n\n{PROTEST}\n{WEATHER}\n")

    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3  # the blank line is skipped
    treaty, protest, weather = rows
    assert treaty["dyad"] is True
    assert treaty["label"] == "cooperation"
    assert treaty["score"] > 0
    assert protest["label"] == "tension"
    assert protest["score"] < 0
    assert weather["dyad"] is False
    assert weather["label"] == "neutral"
    for row in rows:
        assert 0.0 <= row["confidence"] <= 1.0
        assert {"track", "mode"} <= set(row)

    table = invoke("indicators", "classify", stdin=f"{TREATY}\n")
    assert table.exit_code == 0
    assert table.stdout.startswith("dyad cooperation")


def test_classify_with_nothing_on_stdin_prints_nothing() -> None:
    result = invoke("indicators", "classify", stdin="")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_eval_indicators_reports_on_any_labelled_file(tmp_path: Path) -> None:
    rows = [
        {"text": TREATY, "label": "cooperation", "category": "diplomatic", "split": "test"},
        {"text": PROTEST, "label": "tension", "category": "diplomatic", "split": "test"},
        {"text": WEATHER, "label": "neutral", "category": "other", "split": "train"},
    ]
    path = _jsonl(tmp_path / "sentences.jsonl", rows)

    report = invoke_json("eval", "indicators", str(path), "--split", "test")
    assert report["n"] == 2
    assert report["accuracy"] == 1.0
    assert len(report["confusion"]) == 3

    table = invoke("eval", "indicators", str(path))
    assert table.exit_code == 0, table.output
    assert "3 sentences · accuracy 1.000 · macro-F1 1.000" in table.stdout
    assert "precision" in table.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": \n', "not JSON lines"),
        ('{"text": "no label"}\n', "need rows with 'text' and 'label'"),
        ('["a", "list"]\n', "need rows with 'text' and 'label'"),
        ("", "need rows with 'text' and 'label'"),
    ],
)
def test_eval_indicators_refuses_a_malformed_file(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")

    result = invoke("eval", "indicators", str(path))

    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""


def test_eval_balance_lists_each_brief_and_the_correlations(tmp_path: Path) -> None:
    rows = [
        {"doc": "05-rivals-to-treaty-partners.md", "balance": 0.6},
        {"doc": "02-marriage-of-convenience.md", "balance": -0.5},
        {"doc": SEED, "balance": 0.1},
        {"doc": "never-ingested.md", "balance": 0.0},
    ]
    path = _jsonl(tmp_path / "balance.jsonl", rows)

    report = invoke_json("eval", "balance", str(path), "--with", str(SEEDS / SEED))

    assert report["n"] == 3
    assert report["missing"] == ["never-ingested.md"]
    by_doc = {r["doc"]: r for r in report["rows"]}
    assert by_doc[SEED]["gold"] == 0.1
    assert -1.0 <= by_doc[SEED]["predicted"] <= 1.0
    assert by_doc["never-ingested.md"]["predicted"] is None
    # the treaty brief reads as more cooperative than the "marriage of convenience" one
    assert (
        by_doc["05-rivals-to-treaty-partners.md"]["predicted"]
        > (by_doc["02-marriage-of-convenience.md"]["predicted"])
    )

    table = invoke("eval", "balance", str(path))
    assert table.exit_code == 0, table.output
    assert "05-rivals-to-treaty-partners.md" in table.stdout
    assert "2 briefs · Spearman" in table.stdout  # the seed was not ingested this time
    assert "Not found in the database:" in table.stdout


def test_eval_balance_refuses_a_balance_that_is_not_a_number(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "balance.jsonl", [{"doc": SEED, "balance": "high"}])

    result = invoke("eval", "balance", str(path))

    assert result.exit_code == 1
    assert "balance.jsonl" in result.stderr


def test_rebuild_re_analyses_every_stored_brief(db_url: str) -> None:
    assert len(invoke_json("briefs", "list", "--db", db_url)) == STARTER_COUNT

    result = invoke("indicators", "rebuild", "--db", db_url)

    assert result.exit_code == 0, result.output
    assert f"Re-analysed {STARTER_COUNT} brief(s)." in result.stdout
    shown = invoke_json("briefs", "list", "--db", db_url)
    assert all(b["balance"] is not None for b in shown)
