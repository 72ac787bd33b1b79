"""The dedupe key's text (``norm``) and the count-only path of the aggregation
rules (``count_windows``): per track ``(cooperation, tension)`` for several windows in one pass
over the rows, without per-sentence objects. ``briefs.digest.aggregate`` re-exports these.

Kept lean on purpose: the balance history walks every sentence of 8 windows, so this path
allocates no per-row tuples or objects (each survivor also feeds the cyclic GC, whose full
collections then walk every live row), and looks at a brief's fields once per run of its
sentences.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterable, Sequence

from briefs.models import Brief, StoredSentence

__all__ = ["count_windows", "norm", "superseded_ids"]

Row = tuple[StoredSentence, Brief]
Counts = dict[str, tuple[int, int]]

_PUNCT = str.maketrans(dict.fromkeys(string.punctuation + "“”‘’«»–—…", " "))
_ASCII_PUNCT = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))


def norm(text: str) -> str:
    """Case-folded, punctuation as spaces, whitespace collapsed: the dedupe key's text."""
    if text.isascii():  # the common case: bytes.translate is several times faster
        return " ".join(text.lower().encode().translate(_ASCII_PUNCT).decode().split())
    return " ".join(text.casefold().translate(_PUNCT).split())


def superseded_ids(rows: Iterable[Row]) -> set[int]:
    """Briefs of these rows that a newer version replaces (either side says so)."""
    out: set[int] = set()
    last: Brief | None = None
    for _, brief in rows:
        if brief is last:  # a brief's sentences usually come together
            continue
        last = brief
        if brief.supersedes_id is not None:
            out.add(brief.supersedes_id)
        if brief.superseded_by_id is not None:
            out.add(brief.id)
    return out


def count_windows(
    rows: Iterable[Row],
    bounds: Sequence[tuple[dt.date, dt.date]] | None,
    tracks: Iterable[str] | None = None,
) -> list[Counts]:
    """``{track: (cooperation, tension)}`` for each window ``[start, end)`` of ``bounds``
    (non-overlapping; ``None``: all rows as one window), by publication date, with exactly
    the rules of ``tally`` applied to each window's rows on their own: superseded versions
    dropped (as seen within the window), repeated sentences once, historical, neutral,
    non-dyad sentences and deleted briefs excluded."""
    wanted = set(tracks) if tracks is not None else None
    n = 1 if bounds is None else len(bounds)
    slot: dict[dt.date, int] = {}

    def window_of(day: dt.date) -> int:
        if bounds is None:
            return 0
        w = slot.get(day)
        if w is None:
            w = slot[day] = next((i for i, (s, e) in enumerate(bounds) if s <= day < e), -1)
        return w

    rows = rows if isinstance(rows, Sequence) else list(rows)
    dropped: list[set[int]] = [set() for _ in range(n)]
    last: Brief | None = None
    for _, brief in rows:  # pass 1: which briefs each window drops
        if brief is last:
            continue
        last = brief
        if brief.supersedes_id is None and brief.superseded_by_id is None:
            continue
        w = window_of(brief.published)
        if w >= 0:
            if brief.supersedes_id is not None:
                dropped[w].add(brief.supersedes_id)
            if brief.superseded_by_id is not None:
                dropped[w].add(brief.id)
    # pass 2: texts of the candidate sentences, per window, label and track
    coop: list[dict[str, list[str]]] = [{} for _ in range(n)]
    tens: list[dict[str, list[str]]] = [{} for _ in range(n)]
    last = None
    keep = False
    w = -1
    for sentence, brief in rows:
        if brief is not last:
            last = brief
            w = window_of(brief.published)
            keep = w >= 0 and not brief.deleted and brief.id not in dropped[w]
        if not keep:
            continue
        a = sentence.analysis
        label = a.label
        if label == "cooperation":
            groups = coop[w]
        elif label == "tension":
            groups = tens[w]
        else:
            continue
        if a.dyad and a.mode != "historical" and (wanted is None or a.track in wanted):
            texts = groups.get(a.track)
            if texts is None:
                texts = groups[a.track] = []
            texts.append(a.text)
    return [_count(c, t) for c, t in zip(coop, tens, strict=True)]


def _distinct(texts: list[str]) -> int:
    """How many different dedupe keys ``texts`` hold."""
    return len(set(map(norm, texts)))


def _count(coop: dict[str, list[str]], tens: dict[str, list[str]]) -> Counts:
    c = {track: _distinct(texts) for track, texts in coop.items()}
    t = {track: _distinct(texts) for track, texts in tens.items()}
    return {name: (c.get(name, 0), t.get(name, 0)) for name in set(c) | set(t)}
