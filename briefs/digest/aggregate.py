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
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from briefs.digest._counting import _PUNCT as _PUNCT
from briefs.digest._counting import count_windows, norm, superseded_ids
from briefs.digest.model import TRACK_ORDER, Direction
from briefs.models import Brief, StoredSentence

__all__ = [
    "AggregateSettings",
    "Balanced",
    "Counted",
    "Pair",
    "TrackTally",
    "WindowTally",
    "count_pairs",
    "count_windows",
    "direction",
    "order_tracks",
    "source_key",
    "tally",
]

Row = tuple[StoredSentence, Brief]
_norm = norm  # the tests' name for it


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
        return source_key(self.brief)


def source_key(brief: Brief) -> str | int:
    """What counts as one source: the outlet (trimmed, case-folded), else the brief itself."""
    outlet = brief.outlet
    if outlet:
        return outlet.strip().lower() or brief.id
    return brief.id


def _weight_sum(counted: list[Counted]) -> float:
    """``sum(c.weight for c in counted)``, same terms in the same order, without a call each."""
    return sum(
        [
            max(abs(a.score), 0.5) * max(a.confidence, 0.1)
            for a in [c.sentence.analysis for c in counted]
        ]
    )


class Balanced(Protocol):
    """What ``direction`` compares: a window's counted total and its balance."""

    @property
    def total(self) -> int: ...

    @property
    def balance(self) -> float | None: ...


@dataclass(frozen=True, slots=True)
class Pair:
    """A track's counts only (``count_windows``): enough for a previous window's numbers."""

    cooperation: int = 0
    tension: int = 0

    @property
    def total(self) -> int:
        return self.cooperation + self.tension

    @property
    def balance(self) -> float | None:
        total = self.total
        if total == 0:
            return None
        return (self.cooperation - self.tension) / total


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
        pos = _weight_sum(self.cooperation)
        neg = _weight_sum(self.tension)
        if pos + neg == 0:
            return None
        return (pos - neg) / (pos + neg)

    @property
    def counted(self) -> list[Counted]:
        return [*self.cooperation, *self.tension]

    @property
    def sources(self) -> int:
        return len({source_key(b) for b, _ in self.per_brief().values()})

    @property
    def briefs(self) -> int:
        return len(self.per_brief())

    def per_brief(self) -> dict[int, tuple[Brief, int]]:
        """Each brief of the counted sentences (first appearance first) and how many it has:
        per-brief figures (sources, provenance) are then worked out once per brief."""
        n: dict[int, int] = {}
        first: dict[int, Brief] = {}
        for c in itertools.chain(self.cooperation, self.tension):
            b = c.brief
            bid = b.id
            if bid in n:
                n[bid] += 1
            else:
                n[bid] = 1
                first[bid] = b
        return {bid: (first[bid], k) for bid, k in n.items()}

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


def tally(rows: Sequence[Row], tracks: Iterable[str] | None = None) -> WindowTally:
    """Count one window's sentences per track (see module doc for the rules)."""
    wanted = set(tracks) if tracks is not None else None
    dropped_briefs = superseded_ids(rows)
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
    if relevant:
        # order by (brief rank, sentence id) through one int per row: rank * span + id
        ids = [r[0].id for r in relevant]
        span = max(ids) - min(ids) + 1
        relevant.sort(key=lambda r: rank[r[1].id] * span + r[0].id)
    texts = [norm(r[0].analysis.text) for r in relevant]
    # the dedupe key (track, label, text, historical) as one string per track: two marker
    # characters (label, mode) then the normalised text
    seen: dict[str, set[str]] = {}
    for (sentence, brief), text in zip(relevant, texts, strict=True):
        a = sentence.analysis
        t = result.get(a.track)
        if t is None:
            t = result[a.track] = TrackTally(a.track)
            seen[a.track] = set()
        if brief.id in dropped_briefs or brief.deleted:
            t.duplicates.append(sentence)
            continue
        historical = a.mode == "historical"
        key = ("c" if a.label == "cooperation" else "t") + ("h" if historical else "a") + text
        track_seen = seen[a.track]
        if key in track_seen:
            t.duplicates.append(sentence)
            continue
        track_seen.add(key)
        if historical:
            t.historical.append(sentence)
        elif a.label == "cooperation":
            t.cooperation.append(Counted(sentence, brief))
        else:
            t.tension.append(Counted(sentence, brief))
    return WindowTally(result)


def direction(current: Balanced, previous: Balanced, settings: AggregateSettings) -> Direction:
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
    return count_windows(rows, None, tracks)[0]
