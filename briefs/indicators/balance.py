"""A brief's overall cooperation/tension balance from its analysed sentences."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from briefs.models import DocumentBalance, SentenceAnalysis

__all__ = ["document_balance"]

_COUNTED_MODES = ("asserted", "negated")


def document_balance(sentences: Sequence[SentenceAnalysis]) -> DocumentBalance:
    """``(coop − tension) / (coop + tension)`` over current-period dyad evidence.

    Each dyad sentence in asserted or negated mode (a negated event already carries its
    halved, sign-flipped score) weighs ``|score| · confidence``. Historical and hypothetical
    statements are excluded. ``balance`` is None when no sentence carries weight.
    ``top_cooperation``/``top_tension`` list up to three tracks by summed weight.
    """
    totals = {"cooperation": 0.0, "tension": 0.0}
    by_track: dict[str, dict[str, float]] = {
        "cooperation": defaultdict(float),
        "tension": defaultdict(float),
    }
    for s in sentences:
        if not s.dyad or s.mode not in _COUNTED_MODES or s.label not in totals:
            continue
        weight = abs(s.score) * s.confidence
        if weight <= 0:
            continue
        totals[s.label] += weight
        by_track[s.label][s.track] += weight
    total = totals["cooperation"] + totals["tension"]
    if total <= 0:
        return DocumentBalance(None)
    balance = (totals["cooperation"] - totals["tension"]) / total

    def top(label: str) -> tuple[str, ...]:
        ranked = sorted(by_track[label].items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(track for track, _ in ranked[:3])

    return DocumentBalance(round(balance, 4), top("cooperation"), top("tension"))
