"""The event dictionary: verb/phrase patterns → CAMEO root, PLOVER type, Goldstein weight.

Loaded from ``events.json``. Weights follow the Goldstein scale for the CAMEO root (or the
named sub-code, e.g. 057 "sign formal agreement" +8.0, 163 "impose embargo/sanctions" −8.0),
so "signed a strategic partnership treaty" (+8) outweighs "held talks" (+1) and
"summoned the ambassador" (−4.5) outweighs "expressed concern" (−2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from briefs.indicators._resources import load_json

__all__ = ["EventHit", "EventType", "Lexicon"]

_NEGATION_WINDOW = 40  # characters between a negation cue and the event it scopes over


@dataclass(frozen=True, slots=True)
class EventType:
    id: str
    cameo: str
    plover: str
    goldstein: float
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class EventHit:
    event: str
    cameo: str
    plover: str
    goldstein: float
    start: int
    end: int
    negated: bool

    @property
    def polarity(self) -> int:
        """+1 cooperative, −1 conflictual, 0 neutral; flipped when the event is negated."""
        sign = (self.goldstein > 0) - (self.goldstein < 0)
        return -sign if self.negated else sign

    @property
    def weight(self) -> float:
        """|Goldstein|, halved for a negated event (the absence of an act is weaker)."""
        return abs(self.goldstein) * (0.5 if self.negated else 1.0)


def _compile(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


class Lexicon:
    """Compiled event, mode and track patterns from ``events.json``."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.version = str(data.get("version", "0"))
        self.events = tuple(
            EventType(
                id=str(e["id"]),
                cameo=str(e["cameo"]),
                plover=str(e["plover"]),
                goldstein=float(e["goldstein"]),
                pattern=_compile(e["patterns"]),
            )
            for e in data["events"]
        )
        modes = data["modes"]
        self.negation = _compile(modes["negation"])
        self.hypothetical = _compile(modes["hypothetical"])
        self.historical = _compile(modes["historical"])
        self.current_anchor = _compile(modes["current_anchor"])
        tracks = data["tracks"]
        self.track_rules = tuple(
            (str(rule["track"]), _compile(rule["patterns"])) for rule in tracks["rules"]
        )
        self.track_keywords = {
            track: re.compile(
                r"(?<!\w)(?:"
                + "|".join(re.escape(k) for k in sorted(kws, key=len, reverse=True))
                + r")(?!\w)",
                re.IGNORECASE,
            )
            for track, kws in tracks["keywords"].items()
        }

    @classmethod
    def load(cls) -> Lexicon:
        return cls(load_json("events.json"))

    def match(self, text: str) -> list[EventHit]:
        """All event hits in `text`, in order of position, each marked negated or not."""
        cues = [
            m.end()
            for m in self.negation.finditer(text)
            if not text[m.start() : m.end() + 6].lower().startswith(("not only", "without doubt"))
        ]
        hits: list[EventHit] = []
        for event in self.events:
            for m in event.pattern.finditer(text):
                negated = any(0 <= m.start() - cue <= _NEGATION_WINDOW for cue in cues)
                hits.append(
                    EventHit(
                        event=event.id,
                        cameo=event.cameo,
                        plover=event.plover,
                        goldstein=event.goldstein,
                        start=m.start(),
                        end=m.end(),
                        negated=negated,
                    )
                )
        # A hit inside a longer one is part of that phrase ("condemned the Israeli strikes"
        # is support, not an assault): keep the longest span.
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[EventHit] = []
        for hit in hits:
            if any(k.start <= hit.start and hit.end <= k.end and k != hit for k in kept):
                continue
            kept.append(hit)
        return kept
