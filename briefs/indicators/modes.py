"""Statement modes: asserted, negated, hypothetical, historical.

Rules, in order:

1. **historical** — a strong historical cue (centuries, a year before 1990, WWII, the Red
   Army, Bolsheviks, tsars, "historically", ...) or two weak ones ("history", "former",
   "legacy", ...), unless the sentence anchors itself in the present ("persists", "since
   1979", "post-1991", "today", a year after 2000). "The Red Army refused to leave Iran" is
   therefore historical (tension), not a negated cooperation.
2. **hypothetical** — a modal or conditional cue ("could", "may sign", "would", "if",
   "plans to", a question) that comes before the sentence's main event (or there is no event).
3. **negated** — the main event sits inside a negation's scope ("did not deliver",
   "refused to sell", "has yet to ratify").
4. otherwise **asserted**.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefs.indicators.lexicon import EventHit, Lexicon

__all__ = ["MODES", "detect_mode", "main_event"]

MODES = ("asserted", "negated", "hypothetical", "historical")

_WEAK_HISTORY = re.compile(
    r"\b(?:history|historical|former(?:ly)?|once|in the past|legacy|dates? back)\b", re.I
)
_MONTH_MAY = re.compile(r"\b(?:in|on|since|of|early|late|mid-?)\s+may\b|\bmay\s+\d", re.I)


def main_event(hits: Sequence[EventHit]) -> EventHit | None:
    """The strongest non-statement event (ties → the earliest)."""
    best: EventHit | None = None
    for hit in hits:
        if hit.goldstein == 0:
            continue
        if best is None or abs(hit.goldstein) > abs(best.goldstein):
            best = hit
    return best


def _is_historical(lexicon: Lexicon, text: str) -> bool:
    strong = [
        m for m in lexicon.historical.finditer(text) if not _WEAK_HISTORY.fullmatch(m.group(0))
    ]
    weak = _WEAK_HISTORY.findall(text)
    if not strong and len(weak) < 2:
        return False
    return lexicon.current_anchor.search(text) is None


def detect_mode(lexicon: Lexicon, text: str, hits: Sequence[EventHit]) -> str:
    """One of MODES for `text` given its event hits."""
    if _is_historical(lexicon, text):
        return "historical"
    event = main_event(hits)
    months = [m.span() for m in _MONTH_MAY.finditer(text)]
    hypothetical = [
        m
        for m in lexicon.hypothetical.finditer(text)
        if not any(a <= m.start() < b for a, b in months)
    ]
    if text.rstrip().endswith("?"):
        return "hypothetical"
    if hypothetical and (event is None or hypothetical[0].start() <= event.start):
        return "hypothetical"
    if event is not None and event.negated:
        return "negated"
    if any(h.negated and h.goldstein != 0 for h in hits[:3]):
        return "negated"
    return "asserted"
