"""Per-track cooperation/tension tallies for one window, and the arrow versus the last one.

Rules (INDICATORS.md, "Aggregates"):

* only dyad sentences labelled ``cooperation`` or ``tension`` count; ``neutral`` never does;
* ``historical``-mode sentences are kept aside as context and never enter the balance;
* near-duplicate versions count once: a brief superseded by a newer version (the newer one
  ``supersedes_id`` it, or it carries ``superseded_by_id``) is dropped in favour of the new
  one, and the same sentence (same normalised text, label and track) appearing in several
  briefs of the window — syndicated copies — is counted once, from the newest brief;
* ``balance = (coop − tension) / (coop + tension)`` over the counts, and an
  ``intensity_balance`` where each sentence weighs ``max(|score|, 0.5) × confidence``;
* arrows: ``INSUFFICIENT`` below ``min_sentences`` in this window, ``NO_BASELINE`` when the
  previous window had too few, else ▲/▼ when ``|Δbalance| ≥ threshold`` and ▬ otherwise.
"""

from __future__ import annotations

import heapq
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from briefs.digest.model import TRACK_ORDER, Direction
from briefs.models import Brief, StoredSentence

__all__ = [
    "AggregateSettings",
    "Counted",
    "TrackTally",
    "WindowTally",
    "count_pairs",
    "direction",
    "order_tracks",
    "tally",
]

Row = tuple[StoredSentence, Brief]
_PUNCT = str.maketrans(dict.fromkeys(string.punctuation + "“”‘’«»–—…", " "))


@dataclass(frozen=True, slots=True)
class AggregateSettings:
    threshold: float = 0.2  # |Δbalance| needed for ▲/▼
    min_sentences: int = 3  # below this: "insufficient evidence"
    evidence_per_track: int = 2

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 2:
            raise ValueError("threshold must be in (0, 2]")
        if self.min_sentences < 1:
            raise ValueError("min_sentences must be at least 1")


@dataclass(frozen=True, slots=True)
class Counted:
    """A sentence that entered the numbers, with its brief."""

    sentence: StoredSentence
    brief: Brief

    @property
    def sign(self) -> int:
        return 1 if self.sentence.analysis.label == "cooperation" else -1

    @property
    def weight(self) -> float:
        a = self.sentence.analysis
        return max(abs(a.score), 0.5) * max(a.confidence, 0.1)

    @property
    def source_key(self) -> str | int:
        outlet = self.brief.outlet
        if outlet:
            return outlet.strip().lower() or self.brief.id
        return self.brief.id


@dataclass(slots=True)
class TrackTally:
    track: str
    cooperation: list[Counted] = field(default_factory=list)
    tension: list[Counted] = field(default_factory=list)
    historical: list[StoredSentence] = field(default_factory=list)
    duplicates: list[StoredSentence] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.cooperation) + len(self.tension)

    @property
    def balance(self) -> float | None:
        total = self.total
        if total == 0:
            return None
        return (len(self.cooperation) - len(self.tension)) / total

    @property
    def intensity_balance(self) -> float | None:
        pos = sum(c.weight for c in self.cooperation)
        neg = sum(c.weight for c in self.tension)
        if pos + neg == 0:
            return None
        return (pos - neg) / (pos + neg)

    @property
    def counted(self) -> list[Counted]:
        return [*self.cooperation, *self.tension]

    @property
    def sources(self) -> int:
        return len({c.source_key for c in self.counted})

    @property
    def briefs(self) -> int:
        return len({c.brief.id for c in self.counted})

    def evidence(self, limit: int) -> list[Counted]:
        """Strongest sentence of the dominant side first, then the other side's strongest."""
        if limit <= 0 or self.total == 0:
            return []
        coop = heapq.nsmallest(limit, self.cooperation, key=_strength_key)
        tens = heapq.nsmallest(limit, self.tension, key=_strength_key)
        first, second = (coop, tens) if len(coop) >= len(tens) else (tens, coop)
        picked: list[Counted] = []
        if first:
            picked.append(first[0])
        if second:
            picked.append(second[0])
        rest = first[1:] + second[1:]
        rest.sort(key=_strength_key)
        picked.extend(rest)
        return picked[:limit]

    def merge(self, other: TrackTally) -> None:
        self.cooperation.extend(other.cooperation)
        self.tension.extend(other.tension)
        self.historical.extend(other.historical)
        self.duplicates.extend(other.duplicates)


def _strength_key(c: Counted) -> tuple[float, int, int]:
    a = c.sentence.analysis
    return (-abs(a.score) * max(a.confidence, 0.1), -c.brief.published.toordinal(), c.sentence.id)


@dataclass(slots=True)
class WindowTally:
    tracks: dict[str, TrackTally]

    def overall(self, tracks: Iterable[str] | None = None) -> TrackTally:
        wanted = set(tracks) if tracks is not None else None
        out = TrackTally("overall")
        for name, t in self.tracks.items():
            if wanted is None or name in wanted:
                out.merge(t)
        return out

    def get(self, track: str) -> TrackTally:
        return self.tracks.get(track) or TrackTally(track)


_ASCII_PUNCT = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))


def _norm(text: str) -> str:
    """Case-folded, punctuation as spaces, whitespace collapsed: the dedupe key's text."""
    if text.isascii():  # the common case: bytes.translate is several times faster
        return " ".join(text.lower().encode().translate(_ASCII_PUNCT).decode().split())
    return " ".join(text.casefold().translate(_PUNCT).split())


def _superseded_ids(rows: Sequence[Row]) -> set[int]:
    out: set[int] = set()
    for _, brief in rows:
        if brief.supersedes_id is not None:
            out.add(brief.supersedes_id)
        if brief.superseded_by_id is not None:
            out.add(brief.id)
    return out


def tally(rows: Sequence[Row], tracks: Iterable[str] | None = None) -> WindowTally:
    """Count one window's sentences per track (see module doc for the rules)."""
    wanted = set(tracks) if tracks is not None else None
    dropped_briefs = _superseded_ids(rows)
    result: dict[str, TrackTally] = {}
    # newest brief first so the kept copy of a repeated sentence is the most recent one
    rank = {
        b.id: i
        for i, b in enumerate(
            sorted(
                {b.id: b for _, b in rows}.values(),
                key=lambda b: (b.published, b.version, b.id),
                reverse=True,
            )
        )
    }
    # rows that can never count (outside the dyad, neutral, unwanted track) are left out
    # before sorting: they touch no tally, so the outcome is the same
    relevant = [
        r
        for r in rows
        if r[0].analysis.dyad
        and r[0].analysis.label in ("cooperation", "tension")
        and (wanted is None or r[0].analysis.track in wanted)
    ]
    relevant.sort(key=lambda r: (rank[r[1].id], r[0].id))
    seen: set[tuple[str, str, str, bool]] = set()
    for sentence, brief in relevant:
        a = sentence.analysis
        t = result.get(a.track)
        if t is None:
            t = result[a.track] = TrackTally(a.track)
        if brief.id in dropped_briefs or brief.deleted:
            t.duplicates.append(sentence)
            continue
        historical = a.mode == "historical"
        key = (a.track, a.label, _norm(a.text), historical)
        if key in seen:
            t.duplicates.append(sentence)
            continue
        seen.add(key)
        if historical:
            t.historical.append(sentence)
        elif a.label == "cooperation":
            t.cooperation.append(Counted(sentence, brief))
        else:
            t.tension.append(Counted(sentence, brief))
    return WindowTally(result)


def direction(current: TrackTally, previous: TrackTally, settings: AggregateSettings) -> Direction:
    if current.total < settings.min_sentences:
        return Direction.INSUFFICIENT
    if previous.total < settings.min_sentences:
        return Direction.NO_BASELINE
    cur, prev = current.balance, previous.balance
    if cur is None or prev is None:  # unreachable: both totals are >= 1 here
        return Direction.FLAT
    delta = cur - prev
    # a small epsilon so 0.2 − 0.0 computed in floating point still counts as 0.2
    if delta >= settings.threshold - 1e-9:
        return Direction.UP
    if delta <= -settings.threshold + 1e-9:
        return Direction.DOWN
    return Direction.FLAT


def order_tracks(names: Iterable[str]) -> list[str]:
    known = {name: i for i, name in enumerate(TRACK_ORDER)}
    return sorted(set(names), key=lambda n: (known.get(n, len(known)), n))


def count_pairs(
    rows: Sequence[Row], tracks: Iterable[str] | None = None
) -> dict[str, tuple[int, int]]:
    """``{track: (cooperation, tension)}`` with exactly the rules of ``tally`` (superseded
    versions dropped, repeated sentences once, historical and neutral excluded), without
    building per-sentence objects — the fast path for the balance history chart."""
    wanted = set(tracks) if tracks is not None else None
    dropped = _superseded_ids(rows)
    norm = _norm
    seen: set[tuple[str, str, str]] = set()
    add = seen.add  # a repeated sentence adds the same key again: counted once below
    for sentence, brief in rows:
        a = sentence.analysis
        label = a.label
        if (
            (label == "cooperation" or label == "tension")
            and a.dyad
            and a.mode != "historical"
            and not brief.deleted
            and brief.id not in dropped
            and (wanted is None or a.track in wanted)
        ):
            add((a.track, label, norm(a.text)))
    coop: dict[str, int] = {}
    tens: dict[str, int] = {}
    for track, label, _ in seen:
        bucket = coop if label == "cooperation" else tens
        bucket[track] = bucket.get(track, 0) + 1
    return {t: (coop.get(t, 0), tens.get(t, 0)) for t in set(coop) | set(tens)}
