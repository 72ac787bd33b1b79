from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from briefs.indicators import LABELS, MODES, TRACKS, IndicatorModel
from briefs.indicators._resources import DATA_FILES, load_json

_EVAL = Path(__file__).resolve().parents[3] / "eval" / "dev"


def test_every_packaged_data_file_parses() -> None:
    for name in DATA_FILES:
        assert isinstance(load_json(name), dict), name


def test_model_json_loads_and_is_consistent() -> None:
    spec = load_json("model.json")
    n = len(spec["features"])
    assert len(spec["idf"]) == n
    assert spec["label"]["classes"] == list(LABELS)
    assert len(spec["label"]["coef"]) == n
    assert set(spec["track"]["classes"]) <= set(TRACKS)
    model = IndicatorModel.load()
    assert model.version == spec["version"]


def test_event_dictionary_fields() -> None:
    events = load_json("events.json")["events"]
    plover = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
              "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
              "COERCE", "ASSAULT", "STATEMENT"}  # fmt: skip
    for event in events:
        assert event["plover"] in plover
        assert -10.0 <= event["goldstein"] <= 10.0
        assert event["patterns"]


def test_labelled_sentences() -> None:
    rows = [
        json.loads(line)
        for line in (_EVAL / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(rows) >= 450
    for row in rows:
        assert row["label"] in LABELS
        assert row["category"] in TRACKS
        assert row["mode"] in MODES
        assert row["split"] in ("train", "test")
        assert row["doc"]
    splits = Counter(r["split"] for r in rows)
    # The 153 test rows are frozen; the train split grows with written sentences.
    assert splits["test"] >= 150
    assert 0.1 < splits["test"] / len(rows) < 0.35
    texts = [r["text"] for r in rows]
    assert len(set(texts)) == len(texts)


def test_balance_judgements() -> None:
    rows = [
        json.loads(line)
        for line in (_EVAL / "balance.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(rows) == 5
    for row in rows:
        assert -1.0 <= row["balance"] <= 1.0
