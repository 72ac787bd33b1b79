"""Track boundary rules (INDICATORS.md) and keyword counts used as model features.

Rules are tried in order and the first that fires decides the track, ahead of the learned
model: sanctions-evasion framing → ``sanctions``; Shahed/Geran drones, Fath-360, the drone
deal, Ukraine → ``ukraine``; JCPOA, Bushehr, snapback, enrichment → ``nuclear``; S-300,
Su-35, Hamadan and other bases → ``military``; Caspian → ``other``. Everything else (trade,
banking, gas and FTA → ``energy_economy``, Syria, Israel, diplomacy, ...) is learned.
"""

from __future__ import annotations

from briefs.indicators.lexicon import Lexicon

__all__ = ["TRACKS", "keyword_counts", "rule_track"]

TRACKS: tuple[str, ...] = (
    "military",
    "nuclear",
    "energy_economy",
    "sanctions",
    "syria",
    "ukraine",
    "israel",
    "diplomatic",
    "history_mistrust",
    "domestic_opinion",
    "other",
)


def rule_track(lexicon: Lexicon, text: str) -> str | None:
    """The track a boundary rule assigns, or None when no rule fires."""
    for track, pattern in lexicon.track_rules:
        if pattern.search(text):
            return track
    return None


def keyword_counts(lexicon: Lexicon, text: str) -> dict[str, int]:
    """Keyword hits per track (only tracks with at least one hit)."""
    counts: dict[str, int] = {}
    lowered = lexicon.lowered(text)
    for track, pattern in lexicon.track_keywords.items():
        screen = lexicon.track_keyword_screens.get(track)
        if lowered is not None and screen is not None and not screen.search(lowered):
            continue  # none of the track's keywords occurs, in any casing
        n = len(pattern.findall(text))
        if n:
            counts[track] = n
    return counts
