"""The event dictionary: verb/phrase patterns → CAMEO root, PLOVER type, Goldstein weight.

Loaded from ``events.json``. Weights follow the Goldstein scale for the CAMEO root (or the
named sub-code, e.g. 057 "sign formal agreement" +8.0, 163 "impose embargo/sanctions" −8.0),
so "signed a strategic partnership treaty" (+8) outweighs "held talks" (+1) and
"summoned the ambassador" (−4.5) outweighs "expressed concern" (−2).
"""

from __future__ import annotations

import re
import re._parser as sre_parse
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
    # Lower-case literals one of which every match must contain (None: no such set known),
    # and a search for them: lets :meth:`Lexicon.match` skip most event types per sentence.
    prefixes: tuple[str, ...] | None = None
    screen: re.Pattern[str] | None = None


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


_MIN_PREFIX = 3


def _leading_literals(items: Any) -> set[str] | None:
    """Literals (lower-cased) one of which must open any match of parsed regex `items`.

    Word boundaries are skipped; a leading group or alternation contributes the union of its
    branches' literals. None when some branch has no literal of at least ``_MIN_PREFIX``
    characters or uses a non-ASCII letter (whose case folding `str.lower` may not mirror).
    """
    prefix = ""
    for op, av in items:
        name = str(op)
        if name == "AT" and not prefix:
            continue
        if name == "LITERAL":
            ch = chr(av)
            if not ch.isascii() and ch.lower() != ch.upper():
                return None
            prefix += ch.lower()
            continue
        if not prefix and name == "SUBPATTERN":
            return _leading_literals(av[3])
        if not prefix and name == "BRANCH":
            out: set[str] = set()
            for branch in av[1]:
                sub = _leading_literals(branch)
                if sub is None:
                    return None
                out |= sub
            return out
        break
    return {prefix} if len(prefix) >= _MIN_PREFIX else None


def _prefixes(patterns: Sequence[str]) -> tuple[str, ...] | None:
    out: set[str] = set()
    for pattern in patterns:
        try:
            found = _leading_literals(sre_parse.parse(pattern, re.IGNORECASE))
        except Exception:  # an unparseable pattern only disables the shortcut
            return None
        if found is None:
            return None
        out |= found
    return tuple(sorted(out))


def _plain_casing(text: str) -> bool:
    """True when `text` has no non-ASCII cased letter, so that `text.lower()` containing a
    lower-case ASCII literal is exactly what a case-insensitive regex would find."""
    return text.isascii() or all(ch.isascii() or ch.lower() == ch.upper() for ch in set(text))


def _screen(literals: tuple[str, ...] | None) -> re.Pattern[str] | None:
    """A case-sensitive search for any of `literals` (run on lower-cased text)."""
    if literals is None:
        return None
    return re.compile("|".join(re.escape(k) for k in sorted(literals, key=len, reverse=True)))


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
                prefixes=_prefixes(e["patterns"]),
                screen=_screen(_prefixes(e["patterns"])),
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
        # The same keywords lower-cased, to skip a track's regex when none occurs at all.
        self.track_keyword_screens: dict[str, re.Pattern[str] | None] = {
            track: _screen(
                None
                if any(not k.isascii() and k.lower() != k.upper() for k in kws)
                else tuple(k.lower() for k in kws)
            )
            for track, kws in tracks["keywords"].items()
        }

    @classmethod
    def load(cls) -> Lexicon:
        return cls(load_json("events.json"))

    @staticmethod
    def lowered(text: str) -> str | None:
        """`text.lower()` when literal screening is exact for it (see ``_plain_casing``)."""
        return text.lower() if _plain_casing(text) else None

    def match(self, text: str) -> list[EventHit]:
        """All event hits in `text`, in order of position, each marked negated or not."""
        cues = [
            m.end()
            for m in self.negation.finditer(text)
            if not text[m.start() : m.end() + 6].lower().startswith(("not only", "without doubt"))
        ]
        hits: list[EventHit] = []
        lowered = self.lowered(text)
        for event in self.events:
            if (
                lowered is not None
                and event.screen is not None
                and not event.screen.search(lowered)
            ):
                continue  # no match possible: none of the literals a match opens with is here
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
