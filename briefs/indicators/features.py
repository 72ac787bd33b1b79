"""Sentence features shared by training and inference.

* word unigrams and bigrams (``w:``/``b:``) and within-word character 3–5-grams (``c:``)
  of the sentence with actor names masked (``rusactor``/``iranactor``/``thirdactor``),
  weighted ``(1 + log tf) · idf`` and L2-normalised;
* dictionary features (``d:``): the event dictionary's hits (per event type, cooperative and
  conflictual maxima, negation), the mode, dyad flags and track keyword/rule hits. These
  are left unnormalised in [0, 1];
* polarity cue features (``d:cue:``): counts of soft tension cues ("mistrust", "rivalry",
  "frustrated", "delayed", "muted", "letdown", ...) and soft cooperation cues ("backed",
  "shared interests", "solidarity", "lifeline", ...) that the event dictionary does not
  cover, each flipped when a negation cue precedes it closely ("did not back" → tension
  cue), plus the dictionary's net event sign times its strength;
* target features (``d:tgt:``): for each event hit and soft cue, whether the first actor
  named just after it is a third party ("condemned the Israeli strikes", "backed
  Azerbaijan's plan") or one of the dyad ("protested to Moscow", "backed Tehran").

Speed: :meth:`Featurizer.parse` with ``full=False`` (used by :class:`IndicatorModel`) skips
the track and token work for a sentence outside the dyad, whose analysis is neutral anyway;
:class:`~briefs.indicators.lexicon.Lexicon` skips event types and keyword tracks none of
whose literals occurs in the sentence; character n-grams are cached per token. All of these
give exactly the plain computation's output (``tests/briefs/indicators/test_parse_equivalence.py``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from briefs.indicators.actors import ActorMatcher, Mentions
from briefs.indicators.lexicon import EventHit, Lexicon
from briefs.indicators.modes import detect_mode
from briefs.indicators.tracks import keyword_counts, rule_track
from briefs.text import words

__all__ = ["COOPERATION_CUES", "TENSION_CUES", "Featurizer", "Parsed", "cue_counts"]

# Soft polarity cues: word stems/phrases, matched case-insensitively at word starts.
TENSION_CUES: tuple[str, ...] = (
    r"mistrust\w*",
    r"distrust\w*",
    r"suspicio\w*",
    r"suspect\w*",
    r"wary",
    r"wariness",
    r"sceptic\w*",
    r"skeptic\w*",
    r"rival\w*",
    r"compet\w*",
    r"undercut\w*",
    r"frustrat\w*",
    r"disappoint\w*",
    r"dismay\w*",
    r"letdown",
    r"let (?:\w+ )?down",
    r"betray\w*",
    r"abandon\w*",
    r"sold (?:\w+ )?out",
    r"sell-out",
    r"delay\w*",
    r"postpon\w*",
    r"stall\w*",
    r"drag\w* (?:its|their) feet",
    r"withh[eo]ld\w*",
    r"refus\w*",
    r"reluctan\w*",
    r"resist\w*",
    r"protest\w*",
    r"complain\w*",
    r"complaint\w*",
    r"grumbl\w*",
    r"criticis\w*",
    r"criticiz\w*",
    r"rebuk\w*",
    r"resent\w*",
    r"irritat\w*",
    r"irk\w*",
    r"anger\w*",
    r"angr\w*",
    r"annoy\w*",
    r"rankl\w*",
    r"bristl\w*",
    r"grievanc\w*",
    r"undermin\w*",
    r"sabotag\w*",
    r"at odds",
    r"rift",
    r"friction\w*",
    r"row",
    r"dispute\w*",
    r"disagree\w*",
    r"diverg\w*",
    r"clash\w*",
    r"muted",
    r"lukewarm",
    r"silence",
    r"unreliab\w*",
    r"untrustworth\w*",
    r"broken promises",
    r"at (?:iran|russia)\w*['’]s expense",
    r"junior partner",
    r"bargaining chip",
    r"arm['’]s length",
    r"exploit\w*",
    r"humiliat\w*",
    r"hostil\w*",
    r"unfriendly",
    r"sore point",
    r"source of (?:friction|resentment|grievance)",
    r"sidelin\w*",
    r"in vain",
    r"worr\w*",
    r"unease",
    r"uneasy",
    r"alarm\w*",
    r"limits? of",
)
COOPERATION_CUES: tuple[str, ...] = (
    r"back(?:ed|s|ing)?",
    r"support\w*",
    r"solidarity",
    r"stand(?:s|ing)? (?:by|with)",
    r"stood (?:by|with|behind)",
    r"side(?:d)? with",
    r"shield\w*",
    r"defend\w*",
    r"diplomatic cover",
    r"lifeline",
    r"shared (?:interests?|hostility|gain)",
    r"common (?:positions?|front|interests?)",
    r"partner\w*",
    r"ally",
    r"allies",
    r"alliance",
    r"friend\w*",
    r"align\w*",
    r"convergen\w*",
    r"together",
    r"joint\w*",
    r"praise\w*",
    r"thank\w*",
    r"welcom\w*",
    r"hail\w*",
    r"deepen\w*",
    r"expand\w*",
    r"boost\w*",
    r"strengthen\w*",
    r"integrat\w*",
    r"pledg\w*",
    r"agreed",
    r"agreement",
    r"treaty",
    r"helped",
    r"help(?:s|ing)?",
    r"assist\w*",
    r"overc[oa]me",
    r"moved beyond",
    r"better than ever",
    r"golden era",
    r"condemn\w*",
)


def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(cues) + r")(?!\w)", re.IGNORECASE)


_TENSION_RE = _cue_pattern(TENSION_CUES)
_COOPERATION_RE = _cue_pattern(COOPERATION_CUES)
_NEGATION_RE = re.compile(
    r"(?<!\w)(?:not|never|no|without|n['’]t|no longer|has yet to|have yet to|failed to"
    r"|declin(?:ed|es|ing) to|refus(?:ed|es|ing) to|denied|rejected)(?!\w)",
    re.IGNORECASE,
)
_CUE_NEGATION_WINDOW = 30  # characters between a negation and the cue it flips


_TARGET_WINDOW = 50  # characters between an event/cue and the actor it is taken to target


def _cue_matches(text: str) -> list[tuple[int, int, int, bool]]:
    """(start, end, polarity, negated) of every soft cue in `text` (+1 cooperation)."""
    negs = [m.end() for m in _NEGATION_RE.finditer(text)]
    out: list[tuple[int, int, int, bool]] = []
    for pattern, polarity in ((_TENSION_RE, -1), (_COOPERATION_RE, 1)):
        for m in pattern.finditer(text):
            negated = any(0 <= m.start() - end <= _CUE_NEGATION_WINDOW for end in negs)
            out.append((m.start(), m.end(), polarity, negated))
    return out


def _counts(matches: list[tuple[int, int, int, bool]]) -> tuple[int, int, int, int]:
    tens = sum(1 for _, _, pol, neg in matches if pol < 0 and not neg)
    coop = sum(1 for _, _, pol, neg in matches if pol > 0 and not neg)
    tens_neg = sum(1 for _, _, pol, neg in matches if pol < 0 and neg)
    coop_neg = sum(1 for _, _, pol, neg in matches if pol > 0 and neg)
    return tens, coop, tens_neg, coop_neg


def cue_counts(text: str) -> tuple[int, int, int, int]:
    """(tension, cooperation, negated tension, negated cooperation) cue counts in `text`.

    A cue preceded within a short window by a negation ("did not back", "denied any
    rivalry") is counted as negated rather than plain.
    """
    return _counts(_cue_matches(text))


def _target(spans: tuple[tuple[int, str], ...], end: int) -> str | None:
    """``third`` or ``dyad``: the first actor named within a short window after `end`."""
    for start, role in spans:
        if end <= start <= end + _TARGET_WINDOW:
            return "third" if role == "t" else "dyad"
        if start > end + _TARGET_WINDOW:
            break
    return None


@lru_cache(maxsize=50_000)
def _token_grams(tok: str) -> tuple[str, ...]:
    """``w:`` unigram and ``c:`` character 3–5-grams of one token (padded with spaces)."""
    padded = f" {tok} "
    grams = ["c:" + padded[j : j + n] for n in (3, 4, 5) for j in range(len(padded) - n + 1)]
    return ("w:" + tok, *grams)


@dataclass(frozen=True, slots=True)
class Parsed:
    """Everything the rules know about one sentence."""

    text: str
    mentions: Mentions
    actor_spans: tuple[tuple[int, str], ...]  # (start, "r"/"i"/"t") of actor names, sorted
    dyad: bool
    hits: tuple[EventHit, ...]
    mode: str
    rule_track: str | None
    keywords: dict[str, int]
    tokens: tuple[str, ...]


class Featurizer:
    def __init__(self, lexicon: Lexicon, actors: ActorMatcher) -> None:
        self.lexicon = lexicon
        self.actors = actors

    def parse(
        self,
        text: str,
        previous: Mentions | None = None,
        previous_dyad: bool = False,
        *,
        full: bool = True,
    ) -> Parsed:
        """Everything about `text`; with ``full=False`` a sentence outside the dyad gets
        only what its (neutral) analysis reports, the mode, and no track or tokens."""
        spans = self.actors.spans(text)
        mentions = self.actors.mentions_from(text, spans)
        dyad = ActorMatcher.resolve(mentions, previous, previous_dyad)
        hits = tuple(self.lexicon.match(text))
        detail = full or dyad
        return Parsed(
            text=text,
            mentions=mentions,
            actor_spans=spans,
            dyad=dyad,
            hits=hits,
            mode=detect_mode(self.lexicon, text, hits),
            rule_track=rule_track(self.lexicon, text) if detail else None,
            keywords=keyword_counts(self.lexicon, text) if detail else {},
            tokens=tuple(words(self.actors.mask(text))) if detail else (),
        )

    @staticmethod
    def ngram_counts(parsed: Parsed) -> Counter[str]:
        toks = parsed.tokens
        counts: Counter[str] = Counter()
        for tok in toks:
            counts.update(_token_grams(tok))
        counts.update(["b:" + a + " " + b for a, b in pairwise(toks)])
        return counts

    @staticmethod
    def dictionary_features(parsed: Parsed) -> dict[str, float]:
        feats: dict[str, float] = {}
        coop = [h for h in parsed.hits if h.polarity > 0]
        tens = [h for h in parsed.hits if h.polarity < 0]
        feats["d:coop_max"] = max((h.weight for h in coop), default=0.0) / 10.0
        feats["d:tens_max"] = max((h.weight for h in tens), default=0.0) / 10.0
        feats["d:coop_n"] = min(len(coop), 4) / 4.0
        feats["d:tens_n"] = min(len(tens), 4) / 4.0
        net = sum(h.polarity * h.weight for h in parsed.hits)
        feats["d:net"] = max(-1.0, min(1.0, net / 10.0))
        for hit in parsed.hits:
            key = "d:ev:" + hit.event + (":neg" if hit.negated else "")
            feats[key] = 1.0
        if any(h.negated for h in parsed.hits):
            feats["d:negated"] = 1.0
        cues = _cue_matches(parsed.text)
        cue_tens, cue_coop, cue_tens_neg, cue_coop_neg = _counts(cues)
        feats["d:cue:tens"] = min(cue_tens, 3) / 3.0
        feats["d:cue:coop"] = min(cue_coop, 3) / 3.0
        feats["d:cue:tens:neg"] = min(cue_tens_neg, 2) / 2.0
        feats["d:cue:coop:neg"] = min(cue_coop_neg, 2) / 2.0
        polarity = (cue_tens + cue_coop_neg) - (cue_coop + cue_tens_neg)
        feats["d:cue:net"] = max(-1.0, min(1.0, -polarity / 3.0))
        feats["d:net_sign"] = float((net > 0) - (net < 0)) if abs(net) > 0.5 else 0.0
        # Whom an act is aimed at: "condemned the Israeli strikes" / "backed Azerbaijan"
        # (a third party) reads differently from "condemned Iran" / "backed Tehran".
        spans = parsed.actor_spans
        for hit in parsed.hits:
            if hit.goldstein != 0:
                role = _target(spans, hit.end)
                if role is not None:
                    feats[f"d:tgt:{'coop' if hit.polarity > 0 else 'tens'}:{role}"] = 1.0
        for _, end, polarity, negated in cues:
            role = _target(spans, end)
            if role is not None:
                kind = "coop" if (polarity > 0) != negated else "tens"
                feats[f"d:tgt:cue{kind}:{role}"] = 1.0
        feats["d:mode:" + parsed.mode] = 1.0
        feats[f"d:{parsed.mode}:coop"] = feats["d:coop_max"]
        feats[f"d:{parsed.mode}:tens"] = feats["d:tens_max"]
        m = parsed.mentions
        feats["d:dyad"] = 1.0 if parsed.dyad else 0.0
        feats["d:both"] = 1.0 if m.both else 0.0
        if m.third_party:
            feats["d:third"] = 1.0
        if m.joint:
            feats["d:joint"] = 1.0
        if not (m.russia or m.iran):
            feats["d:no_actor"] = 1.0
        for track, n in parsed.keywords.items():
            feats["d:kw:" + track] = min(n, 3) / 3.0
        if parsed.rule_track is not None:
            feats["d:rule:" + parsed.rule_track] = 1.0
        return {k: v for k, v in feats.items() if v}

    @staticmethod
    def tf(count: int) -> float:
        return 1.0 + math.log(count)
