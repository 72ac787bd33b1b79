"""The benchmark harness runs end to end on a 1k-brief corpus (no timing assertions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import main, parse_size
from bench.corpus import generate_brief, passages_of, questions_for

pytestmark = pytest.mark.slow


def test_corpus_is_reproducible_and_not_degenerate() -> None:
    a, b = generate_brief(7, 3), generate_brief(7, 3)
    assert a == b
    assert 2000 < len(a.body) < 4500
    assert passages_of(a)[0][1] == a.body[passages_of(a)[0][2] : passages_of(a)[0][3]]
    questions = questions_for(7, 1000, 20)
    assert len({q.gold_index for q in questions}) == 20
    for q in questions:
        gold = generate_brief(7, q.gold_index)
        assert all(term in gold.text for term in q.rare_terms)


def test_parse_size() -> None:
    assert parse_size("1k") == 1000
    assert parse_size("100K") == 100_000
    assert parse_size("250") == 250


def test_harness_runs_end_to_end_on_1k(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = main(
        [
            "--sizes",
            "1k",
            "--db",
            "sqlite",
            "--questions",
            "8",
            "--ingest-sample",
            "3",
            "--concurrency",
            "4",
            "--digest-briefs",
            "100",
            "--json",
            "--cache-dir",
            str(tmp_path),
        ]
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["ask"][0]["size"] == 1000
    methods = {row["method"]: row for row in results["ask"][0]["methods"]}
    assert {"ours", "naive FTS5 OR"} <= set(methods)
    for name in ("rank_bm25", "bm25s"):  # measured, or reported as not installed
        assert "recall_at_10" in methods[name] or methods[name]["note"] == "not installed"
    for row in methods.values():
        if "recall_at_10" in row:
            assert 0.0 <= row["recall_at_10"] <= 1.0
            assert row["p95_ms"] >= row["p50_ms"] > 0
    assert results["ingest"]["briefs"] == 3
    assert results["digest"]["total_s"] > 0
    assert results["concurrency"]["concurrent"] == 4
    assert {r["process"] for r in results["rss"]} >= {"ours"}
    assert results["targets"]
    assert Path(results["chart"]).is_file()
    assert (tmp_path / "results.json").is_file()
