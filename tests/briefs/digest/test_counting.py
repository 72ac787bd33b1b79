"""The count-only path (``count_windows``, used by the balance history and for the previous
window of a digest) agrees with ``tally`` and with the rules written out plainly."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from briefs.digest.aggregate import _norm, count_pairs, count_windows, tally
from briefs.models import Brief, StoredSentence
from tests.briefs.digest.digest_fakes import brief, sentence

Row = tuple[StoredSentence, Brief]
START = dt.date(2025, 1, 1)
TEXTS = [
    "Russia and Iran signed a deal.",
    "RUSSIA and IRAN signed a deal!",
    "«Russia  and Iran» signed a deal…",
    "Россия and Iran signed a deal.",
    "Tehran and Moscow held talks.",
    "tehran, and moscow: held talks",
    "x\x1cy",
    "x y",
    "",
    " ... ",
]


def _corpus(seed: int, n_briefs: int = 120) -> list[Row]:
    rnd = random.Random(seed)
    briefs = []
    for i in range(1, n_briefs + 1):
        kind = rnd.random()
        briefs.append(
            brief(
                i,
                START + dt.timedelta(days=rnd.randrange(28)),
                outlet=rnd.choice(["A", "b ", None, ""]),
                supersedes_id=rnd.randrange(1, i + 1) if kind < 0.1 else None,
                superseded_by_id=rnd.randrange(1, n_briefs + 1) if 0.1 <= kind < 0.2 else None,
                deleted=0.2 <= kind < 0.25,
                version=rnd.choice([1, 1, 2]),
            )
        )
    rows: list[Row] = []
    sid = 0
    for b in briefs:
        for _ in range(rnd.randrange(6)):
            sid += 1
            text = rnd.choice(TEXTS) if rnd.random() < 0.6 else f"Sentence {rnd.randrange(50)}."
            s = sentence(
                b.id,
                text,
                rnd.choice(["cooperation", "tension", "neutral"]),
                rnd.choice(["military", "nuclear", "energy_economy"]),
                mode=rnd.choice(["asserted", "asserted", "historical", "negated"]),
                dyad=rnd.random() < 0.9,
                sentence_id=sid,
            )
            rows.append((s, b))
    rnd.shuffle(rows)  # a brief's sentences need not come together
    return rows


def _plain(rows: list[Row], tracks: set[str] | None) -> dict[str, tuple[int, int]]:
    dropped = {b.supersedes_id for _, b in rows if b.supersedes_id is not None}
    dropped |= {b.id for _, b in rows if b.superseded_by_id is not None}
    keys = {
        (s.analysis.track, s.analysis.label, _norm(s.analysis.text))
        for s, b in rows
        if s.analysis.dyad
        and s.analysis.label in ("cooperation", "tension")
        and s.analysis.mode != "historical"
        and not b.deleted
        and b.id not in dropped
        and (tracks is None or s.analysis.track in tracks)
    }
    out: dict[str, list[int]] = {}
    for track, label, _ in keys:
        out.setdefault(track, [0, 0])[label == "tension"] += 1
    return {t: (c[0], c[1]) for t, c in out.items()}


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("tracks", [None, {"military", "energy_economy"}])
def test_count_windows_matches_tally_and_the_plain_rules(
    seed: int, tracks: set[str] | None
) -> None:
    rows = _corpus(seed)
    bounds = [(START + dt.timedelta(days=d), START + dt.timedelta(days=d + 7)) for d in (0, 7, 14)]
    counts = count_windows(rows, bounds, tracks)
    assert len(counts) == len(bounds)
    for (start, end), got in zip(bounds, counts, strict=True):
        window = [r for r in rows if start <= r[1].published < end]
        assert got == _plain(window, tracks)
        assert got == count_pairs(window, tracks)
        t = tally(window, tracks)
        from_tally = {
            name: (len(tt.cooperation), len(tt.tension))
            for name, tt in t.tracks.items()
            if tt.total
        }
        assert got == from_tally


def test_rows_outside_every_window_are_ignored() -> None:
    b_in, b_out = brief(1, START), brief(2, START - dt.timedelta(days=1))
    rows = [
        (sentence(1, "Deal signed.", sentence_id=1), b_in),
        (sentence(2, "Deal signed elsewhere.", sentence_id=2), b_out),
    ]
    assert count_windows(rows, [(START, START + dt.timedelta(days=1))]) == [{"military": (1, 0)}]
    assert count_windows(rows, None) == [{"military": (2, 0)}]
