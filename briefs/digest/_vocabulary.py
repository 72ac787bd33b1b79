"""The words and numbers digests are told in: track order and titles, the `Direction` of a
balance, and balance/text formatting. Shared by the digest dataclasses (``briefs.digest.model``,
which re-exports every name here) and the renderers.
"""

from __future__ import annotations

from enum import StrEnum

from briefs.indicators.tracks import TRACKS
from briefs.provenance.model import SourceType

__all__ = [
    "TRACK_ORDER",
    "Direction",
    "fmt_balance",
    "shorten",
    "source_type_phrase",
    "track_title",
]

#: Canonical display order (INDICATORS.md); unknown tracks follow alphabetically.
TRACK_ORDER: tuple[str, ...] = TRACKS

_TITLES = {
    "energy_economy": "Energy & economy",
    "history_mistrust": "History & mistrust",
    "domestic_opinion": "Domestic opinion",
}


def track_title(track: str) -> str:
    """Human title of a track id (``energy_economy`` → ``Energy & economy``)."""
    return _TITLES.get(track, track.replace("_", " ").capitalize())


class Direction(StrEnum):
    """Movement of the balance versus the previous window."""

    UP = "up"  # toward cooperation
    DOWN = "down"  # toward tension
    FLAT = "flat"  # |Δ| below the threshold
    NO_BASELINE = "no_baseline"  # enough evidence now, too little before
    INSUFFICIENT = "insufficient"  # too few sentences in this window

    @property
    def arrow(self) -> str:
        return {
            Direction.UP: "▲",
            Direction.DOWN: "▼",
            Direction.FLAT: "▬",
            Direction.NO_BASELINE: "▬",
            Direction.INSUFFICIENT: "·",
        }[self]

    @property
    def moved(self) -> bool:
        return self in (Direction.UP, Direction.DOWN)

    @property
    def phrase(self) -> str:
        return {
            Direction.UP: "toward cooperation",
            Direction.DOWN: "toward tension",
            Direction.FLAT: "unchanged",
            Direction.NO_BASELINE: "no comparable earlier period",
            Direction.INSUFFICIENT: "insufficient evidence",
        }[self]


def source_type_phrase(name: str) -> str:
    try:
        return SourceType(name).phrase
    except ValueError:
        return name


def fmt_balance(value: float | None) -> str:
    if value is None:
        return "n/a"
    if abs(value) < 0.005:
        return "0.00"
    return f"{value:+.2f}"


def shorten(text: str, max_chars: int) -> str:
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    if max_chars <= 1:
        return "…"[:max_chars]
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if space > max_chars // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"
