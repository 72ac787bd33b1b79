"""`briefs show|delete|restore`, `corpus load`, `db upgrade` and `eval qa` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.cli import STARTER_COUNT, invoke, invoke_json, isolate

HAMADAN = "Why did Iran let Russia use the Hamadan air base?"
PARTNERSHIP = "01-partnership-of-convenience.md"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def test_show_delete_restore(db_url: str) -> None:
    briefs = invoke_json("briefs", "list", "--db", db_url)  # the first start loads the corpus
    brief = next(b for b in briefs if b["original_filename"] == PARTNERSHIP)
    brief_id = str(brief["id"])

    shown = invoke_json("briefs", "show", brief_id, "--db", db_url)
    assert shown["id"] == brief["id"]
    assert shown["title"] == brief["title"]
    assert "Hamadan" in shown["body"]
    assert shown["passages"] > 0
    assert shown["dyad_sentences"] > 0
    assert set(shown["labels"]) <= {"cooperation", "tension", "neutral"}
    text = invoke("briefs", "show", brief_id, "--db", db_url)
    assert text.exit_code == 0
    assert f"#{brief_id} {brief['title']}" in text.stdout
    assert f"file {PARTNERSHIP}" in text.stdout

    deleted = invoke("briefs", "delete", brief_id, "--db", db_url)
    assert deleted.exit_code == 0
    assert f"Brief #{brief_id} deleted" in deleted.stdout
    visible = invoke_json("briefs", "list", "--db", db_url)
    assert brief["id"] not in {b["id"] for b in visible}
    assert len(visible) == STARTER_COUNT - 1
    everything = invoke_json("briefs", "list", "--all", "--db", db_url)
    assert next(b for b in everything if b["id"] == brief["id"])["deleted"] is True
    assert invoke_json("briefs", "show", brief_id, "--db", db_url)["deleted"] is True
    answer = invoke_json("ask", HAMADAN, "--db", db_url)
    assert PARTNERSHIP not in {s["original_filename"] for s in answer["sources"]}

    restored = invoke_json("briefs", "restore", brief_id, "--db", db_url)
    assert restored["deleted"] is False
    assert len(invoke_json("briefs", "list", "--db", db_url)) == STARTER_COUNT
    answer = invoke_json("ask", HAMADAN, "--db", db_url)
    assert answer["sources"][0]["original_filename"] == PARTNERSHIP

    # corpus load on a database that has the corpus adds nothing
    assert invoke_json("corpus", "load", "--db", db_url) == {"added": 0}
    loaded = invoke("corpus", "load", "--db", db_url)
    assert loaded.exit_code == 0
    assert "Starter corpus: 0 brief(s) added." in loaded.stdout
    assert len(invoke_json("briefs", "list", "--all", "--db", db_url)) == STARTER_COUNT

    upgraded = invoke("db", "upgrade", "--db", db_url)
    assert upgraded.exit_code == 0
    assert f"Database is at the newest schema ({STARTER_COUNT} briefs)." in upgraded.stdout


def test_unknown_brief(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOAD_STARTER_CORPUS", "false")

    for command in ("show", "delete", "restore"):
        for extra in ([], ["--json"]):
            result = invoke("briefs", command, "999", "--db", db_url, *extra)

            assert result.exit_code == 1, command
            assert result.stderr.strip() == "Error: There is no brief #999."
            assert result.stdout == ""


def test_db_upgrade_and_corpus_load_on_a_new_database(db_url: str) -> None:
    upgraded = invoke("db", "upgrade", "--db", db_url)
    assert upgraded.exit_code == 0
    assert "Database is at the newest schema (0 briefs)." in upgraded.stdout  # no corpus loaded

    assert invoke_json("corpus", "load", "--db", db_url) == {"added": STARTER_COUNT}
    assert invoke_json("corpus", "load", "--db", db_url) == {"added": 0}


QA_CASES = [
    {
        "id": "a1",
        "question": "which iranian air base did russia use for its syria strikes in 2016",
        "gold_docs": [PARTNERSHIP],
        "answer_keywords": ["Hamadan"],
        "answerable": True,
    },
    {
        "id": "a2",
        "question": "What does Mohsen Milani say is behind Iran's mistrust of Russia?",
        "gold_docs": [PARTNERSHIP],
        "answer_keywords": ["Red Army"],
        "answerable": True,
    },
    {
        "id": "u1",
        "question": "What is the best recipe for banana bread?",
        "gold_docs": [],
        "answer_keywords": [],
        "answerable": False,
    },
]


def _cases(tmp_path: Path) -> Path:
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in QA_CASES) + "\n", encoding="utf-8")
    return path


def test_eval_qa(db_url: str, tmp_path: Path) -> None:
    report = invoke_json("eval", "qa", str(_cases(tmp_path)), "--db", db_url)

    assert report["n"] == 3
    assert report["answerable"] == 2
    assert report["unanswerable"] == 1
    assert report["k"] == 3
    assert len(report["methods"]) >= 2  # the full pipeline and the BM25-only baseline
    for method in report["methods"]:
        for field in (
            "recall_at_1",
            "recall_at_k",
            "keyword_hit_rate",
            "abstain_precision",
            "abstain_recall",
            "answered_rate",
            "latency_p50_ms",
        ):
            assert 0 <= method[field] <= (1 if "latency" not in field else 60_000)
    assert report["methods"][0]["recall_at_k"] == 1.0
    assert report["methods"][0]["abstain_recall"] == 1.0
    # It used the given database, which now holds the starter corpus.
    assert len(invoke_json("briefs", "list", "--db", db_url)) == STARTER_COUNT


def test_eval_qa_default_database_and_table(tmp_path: Path) -> None:
    result = invoke("eval", "qa", str(_cases(tmp_path)))

    assert result.exit_code == 0, result.output
    assert "recall@1" in result.stdout
    assert "unanswerable refused" in result.stdout
    assert "3 questions: 2 answerable, 1 unanswerable" in result.stdout
    # The temporary evaluation database is gone; the user's default one was never created.
    assert not (tmp_path / "xdg" / "briefbot" / "briefbot.db").exists()


def test_eval_qa_malformed_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": \n', encoding="utf-8")

    result = invoke("eval", "qa", str(path))

    assert result.exit_code == 1
    assert "not a QA case" in result.stderr
    assert "bad.jsonl:1" in result.stderr


def test_eval_train_abstention_fits_on_the_dev_set(tmp_path: Path) -> None:
    dev = Path(__file__).resolve().parents[3] / "eval" / "dev" / "qa.jsonl"
    out = tmp_path / "abstention.json"

    report = invoke_json("eval", "train-abstention", str(dev), "--out", str(out), "--json")

    thresholds = [point["threshold"] for point in report["cv"]]
    assert thresholds == sorted(thresholds)
    assert len(thresholds) >= 5
    assert all(0 <= p["answered"] <= 1 and 0 <= p["refused"] <= 1 for p in report["cv"])
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == report["model"]
    assert set(written["coefficients"]) == set(written["features"])


def test_eval_train_abstention_needs_both_kinds_of_question(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text(json.dumps(QA_CASES[0]) + "\n", encoding="utf-8")

    result = invoke("eval", "train-abstention", str(path))

    assert result.exit_code == 1
    assert "unanswerable" in result.stderr
