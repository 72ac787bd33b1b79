"""Builders of domain objects for tests: sensible defaults, override what matters."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

from briefs.models import DateOrigin, NewBrief, NewPassage, SentenceAnalysis

__all__ = ["make_new_brief", "make_passages", "make_sentence"]

_counter = itertools.count(1)


def make_passages(*texts: str) -> tuple[NewPassage, ...]:
    """Consecutive passages with offsets as if the texts were joined by blank lines."""
    passages = []
    start = 0
    for ordinal, text in enumerate(texts):
        passages.append(NewPassage(ordinal=ordinal, text=text, start=start, end=start + len(text)))
        start += len(text) + 2
    return tuple(passages)


def make_sentence(
    ordinal: int = 0, text: str = "Moscow and Tehran signed a deal.", **overrides: Any
) -> SentenceAnalysis:
    """A `SentenceAnalysis` (a cooperative dyad sentence unless overridden)."""
    values: dict[str, Any] = {
        "ordinal": ordinal,
        "start": 0,
        "end": len(text),
        "text": text,
        "dyad": True,
        "label": "cooperation",
        "track": "energy",
        "mode": "asserted",
        "score": 4.0,
        "confidence": 0.9,
        "model_version": "test-1",
    }
    values.update(overrides)
    return SentenceAnalysis(**values)


def make_new_brief(**overrides: Any) -> NewBrief:
    """A valid `NewBrief` with a unique content hash unless `content_hash` is given.

    `passages` may be plain strings (offsets are computed, and the body becomes the texts
    joined by blank lines unless `body` is given). Without `passages` the body is one
    passage.
    """
    n = next(_counter)
    passages = overrides.pop("passages", None)
    body = overrides.pop("body", None)
    if passages is None:
        body = body if body is not None else f"Brief number {n}. Russia and Iran discussed trade."
        passages = make_passages(body)
    elif passages and isinstance(passages[0], str):
        passages = make_passages(*passages)
    if body is None:
        body = "\n\n".join(p.text for p in passages)
    values: dict[str, Any] = {
        "title": f"Brief {n}",
        "body": body,
        "original_filename": f"brief-{n}.md",
        "source_url": f"https://example.org/briefs/{n}",
        "outlet": "Example Outlet",
        "published": dt.date(2024, 1, 1) + dt.timedelta(days=n % 300),
        "date_origin": DateOrigin.FRONT_MATTER,
        "uploaded_by": "tester",
        "content_hash": uuid.uuid4().hex,
        "minhash": tuple(range(n, n + 8)),
        "bands": (f"band-{n}-0", f"band-{n}-1"),
        "passages": tuple(passages),
    }
    values.update(overrides)
    return NewBrief(**values)
