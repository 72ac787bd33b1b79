from __future__ import annotations

import datetime as dt

import pytest

from briefs.digest.aggregate import AggregateSettings, direction, tally
from briefs.digest.model import Direction
from briefs.digest.windows import (
    InvalidWindowError,
    WindowKind,
    explicit_window,
    local_today,
    make_window,
    previous_window,
    trailing_windows,
)
from tests.briefs.digest.digest_fakes import brief, sentence

D = dt.date


def test_day_week_month_windows() -> None:
    assert make_window("day", D(2025, 3, 1)).start == D(2025, 2, 28)
    week = make_window(WindowKind.WEEK, D(2025, 1, 20))
    assert (week.start, week.end, week.days) == (D(2025, 1, 13), D(2025, 1, 20), 7)
    month = make_window("month", D(2025, 3, 1))
    assert (month.start, month.end) == (D(2025, 2, 1), D(2025, 3, 1))
    assert month.label == "February 2025"
    assert previous_window(month).start == D(2025, 1, 1)
    assert previous_window(week).end == week.start
    ex = explicit_window(D(2025, 1, 1), D(2025, 1, 11))
    assert previous_window(ex).start == D(2024, 12, 22)
    assert [w.start for w in trailing_windows(week, 3)] == [
        D(2024, 12, 30),
        D(2025, 1, 6),
        D(2025, 1, 13),
    ]


def test_window_timezone_midnights_respect_dst() -> None:
    w = make_window("day", D(2025, 3, 31), "Europe/Berlin")  # 30 March: 23-hour day
    assert w.start_utc == dt.datetime(2025, 3, 29, 23, tzinfo=dt.UTC)
    assert w.end_utc == dt.datetime(2025, 3, 30, 22, tzinfo=dt.UTC)
    assert local_today(dt.datetime(2025, 3, 30, 22, 30, tzinfo=dt.UTC), "Europe/Berlin") == D(
        2025, 3, 31
    )


def test_bad_windows() -> None:
    with pytest.raises(InvalidWindowError):
        make_window("fortnight", D(2025, 1, 1))
    with pytest.raises(InvalidWindowError):
        make_window("week", D(2025, 1, 1), "Mars/Olympus")
    with pytest.raises(InvalidWindowError):
        explicit_window(D(2025, 1, 2), D(2025, 1, 2))


def _rows(labels: list[str], track: str = "military") -> list:  # type: ignore[type-arg]
    b = brief(1, D(2025, 1, 1))
    return [(sentence(1, f"s{i}", lab, track), b) for i, lab in enumerate(labels)]


@pytest.mark.parametrize(
    ("cur", "prev", "expected"),
    [
        (["cooperation"] * 3, ["tension"] * 3, Direction.UP),
        (["tension"] * 3, ["cooperation"] * 3, Direction.DOWN),
        (["cooperation"] * 4 + ["tension"], ["cooperation"] * 4 + ["tension"], Direction.FLAT),
        # +0.2 exactly: the threshold counts
        (
            ["cooperation"] * 3 + ["tension"] * 2,
            ["cooperation"] * 2 + ["tension"] * 2,
            Direction.UP,
        ),
        # +0.15: noise, no arrow
        (
            ["cooperation"] * 23 + ["tension"] * 17,
            ["cooperation"] * 10 + ["tension"] * 10,
            Direction.FLAT,
        ),
        (["cooperation"] * 2, ["tension"] * 5, Direction.INSUFFICIENT),
        (["cooperation"] * 3, ["tension"] * 2, Direction.NO_BASELINE),
    ],
)
def test_direction_threshold(cur: list[str], prev: list[str], expected: Direction) -> None:
    s = AggregateSettings(threshold=0.2, min_sentences=3)
    a = tally(_rows(cur)).get("military")
    b = tally(_rows(prev)).get("military")
    # ensure prev windows with 2 sentences are "no baseline"
    assert direction(a, b, s) is expected


def test_intensity_balance_and_exclusions() -> None:
    b1 = brief(1, D(2025, 1, 1), outlet="A")
    b2 = brief(2, D(2025, 1, 2), outlet="a ")  # same outlet, different case/space
    rows = [
        (sentence(1, "strong coop", score=8.0, confidence=1.0), b1),
        (sentence(2, "weak tension", "tension", score=-2.0, confidence=1.0), b2),
        (sentence(2, "not dyad", dyad=False), b2),
        (sentence(2, "neutral", "neutral"), b2),
        (sentence(2, "historical", "tension", mode="historical"), b2),
    ]
    t = tally(rows).get("military")
    assert t.total == 2
    assert t.balance == 0.0
    assert t.intensity_balance == pytest.approx((8 - 2) / 10)
    assert t.sources == 1
    assert len(t.historical) == 1


def test_norm_ascii_fast_path_matches_casefold_path() -> None:
    import string

    from briefs.digest.aggregate import _PUNCT, _norm

    def slow(text: str) -> str:
        return " ".join(text.casefold().translate(_PUNCT).split())

    samples = [
        "Russia and Iran signed a deal.",
        "  RUSSIA, and   IRAN!! signed\ta (deal)  ",
        "x\x1cy\x1fz",  # str.split treats these as whitespace too
        string.punctuation + "abc" + string.punctuation,
        "Moscow — Tehran “talks” …",
        "Straße İstanbul",
        "",
    ]
    for text in samples:
        assert _norm(text) == slow(text)
