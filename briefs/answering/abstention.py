"""Should the bot abstain? A small logistic model over evidence signals, shipped as JSON.

One coverage threshold could not tell a paraphrased question ("who is uneasy about how cozy
Tehran has gotten with the Kremlin?") from a near miss ("how many bombers were based at
Hamadan?"): both leave a few of their words uncovered. Several signals together do better:
how much of the question the best brief covers, how many of the question's words the corpus
never uses at all, whether the corpus has the missing concepts elsewhere (then the best
brief is about something else), and whether a "how many"/"when" question's evidence holds
a number or a date. The coefficients are fitted on the dev sets by
`python -m bot eval train-abstention` (scikit-learn, the `train` extra) and read here with
plain arithmetic.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from briefs.retrieval.matching import StemmedText
from briefs.retrieval.query import QueryPlan
from briefs.retrieval.rank import RankedPassage

__all__ = ["FEATURES", "AbstentionModel", "IndexStats", "abstention_features", "default_model"]

FEATURES = (
    "brief_coverage",
    "passage_coverage",
    "unknown_share",
    "missing_known_share",
    "missing_known_weight",
    "concepts",
    "asks_number_or_date",
    "answer_type_missing",
    "sentence_coverage",
    "unknown_named_share",
    "unknown_paraphrased_share",
    "unknown_unrelated_share",
)

# "What percentage…", "what was the total cost…": an amount, as "how many/much" asks.
_AMOUNT = (
    r"\bwhat (percentage|share|number|amount)\b"
    r"|^\W*what\b.*\b(cost|price|value|worth|budget|toll)\b"
)
_NUMBER_QUESTION = re.compile(rf"\bhow (many|much|long|often)\b|{_AMOUNT}", re.I)
# "When did…", "in what year…"; not "who was Putin hosting when it came out?", nor "since
# when?", which an event answers as well as a date ("since the Soviet collapse").
_DATE_QUESTION = re.compile(
    r"^\W*(and |so |but )?when\b"
    r"|(?<!since )\bwhen (did|do|does|was|were|is|are|will|would|has|have|had|can|could)\b"
    r"|\b(what|which) (year|date|month|day)\b",
    re.I,
)
_NUMBER = re.compile(
    r"(?<![\w-])\d+(?:[.,]\d+)*(?![\w-])|\b(two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|"
    r"millions?|billions?|several|few)\b",
    re.I,
)
_DATE = re.compile(
    r"\b(1[89]|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|"
    r"october|november|december|spring|summer|autumn|fall|winter)\b"
    # an era answers "when" too: "during the Cold War", "in the previous decade"
    r"|\b(\d+(st|nd|rd|th)|previous|last|past) (decade|century)\b|\bcold war\b|\byears? ago\b",
    re.I,
)


_YEAR = re.compile(r"(1[89]|20)\d\d")
_COUNT_QUESTION = re.compile(rf"\bhow (many|much)\b|{_AMOUNT}", re.I)


def _new_match(
    pattern: re.Pattern[str], answer_text: str, question: str, *, years: bool = True
) -> bool:
    """Does the answer hold a number/date the question did not already give? ("How many died
    in the May 9 strikes?" is not answered by a sentence whose only number is "May 9".)
    Without `years`, a year is no answer ("how many bombers…" is not answered by "in 2016")."""
    asked = {m.group(0).lower() for m in pattern.finditer(question)}
    return any(
        m.group(0).lower() not in asked and (years or not _YEAR.fullmatch(m.group(0)))
        for m in pattern.finditer(answer_text)
    )


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What the whole index says about a question's concepts (the abstention model compares
    the question with the corpus, not only with the candidates)."""

    weights: Mapping[str, float]  # each key concept's IDF weight
    frequency: Mapping[str, int]  # each concept's document frequency (capped)
    passages: int  # the index's size, which the weights come from
    paraphrased: Collection[str] = ()  # unknown concepts with a related word the corpus uses


def abstention_features(
    plan: QueryPlan,
    ranked: Sequence[RankedPassage],
    stats: IndexStats,
    evidence: Sequence[str],
) -> dict[str, float]:
    """The signals for one question, its ranked candidates and its draft answer's
    sentences."""
    weights, frequency, paraphrased = stats.weights, stats.frequency, stats.paraphrased
    key = plan.key_groups or plan.groups
    top = ranked[0] if ranked else None
    # what the best passage itself covers (the shipped coefficients were fitted on this)
    covered = top.covered if top else frozenset()
    # a concept no passage uses may still be in a candidate's title ("the AP summary")
    in_titles = frozenset().union(*(p.covered for p in ranked))
    unknown = [g for g in key if frequency.get(g.name, 0) == 0 and g.name not in in_titles]
    known = [g for g in key if g not in unknown]
    missing_known = [g for g in known if g.salient and g.name not in covered]
    n = max(1, len(key))
    total = sum(weights.get(g.name, 0.0) for g in key) or 1.0
    stems = [StemmedText(sentence) for sentence in evidence]
    shares = [sum(weights.get(g.name, 0.0) for g in key if s.covers(g)) / total for s in stems]
    sentence_coverage = max(shares, default=0.0)
    # the number or date must come from a sentence about the question, not from a neighbour
    # the answer quotes for context ("…Dehghan visited often" does not say when he left)
    answer_text = " ".join(
        text for text, share in zip(evidence, shares, strict=True) if share >= sentence_coverage / 2
    )
    asks_number = bool(_NUMBER_QUESTION.search(plan.question))
    asks_date = bool(_DATE_QUESTION.search(plan.question))
    counts = bool(_COUNT_QUESTION.search(plan.question))
    type_missing = (
        asks_number and not _new_match(_NUMBER, answer_text, plan.question, years=not counts)
    ) or (asks_date and not _new_match(_DATE, answer_text, plan.question))
    return {
        "brief_coverage": top.brief_coverage if top else 0.0,
        "passage_coverage": top.coverage if top else 0.0,
        "unknown_share": len(unknown) / n,
        "missing_known_share": len(missing_known) / n,
        # relative to the highest weight this index can give (a concept in no passage), so
        # the signal means the same on the starter corpus and on 100k briefs
        "missing_known_weight": max((weights.get(g.name, 0.0) for g in missing_known), default=0)
        / math.log(1.0 + (stats.passages + 0.5) / 0.5),
        "concepts": len(key) / 10.0,
        "asks_number_or_date": float(asks_number or asks_date),
        "answer_type_missing": float(type_missing),
        "sentence_coverage": sentence_coverage,
        "unknown_named_share": sum(1 for g in unknown if g.salient) / n,
        "unknown_paraphrased_share": sum(1 for g in unknown if g.name in paraphrased) / n,
        "unknown_unrelated_share": sum(1 for g in unknown if g.name not in paraphrased) / n,
    }


@dataclass(frozen=True, slots=True)
class AbstentionModel:
    """p(unanswerable) = sigmoid(intercept + Σ coef·feature); abstain at `threshold` or above."""

    coefficients: Mapping[str, float]
    intercept: float
    threshold: float
    version: str = "untrained"

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.intercept + sum(c * features.get(n, 0.0) for n, c in self.coefficients.items())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> AbstentionModel:
        coefficients = data["coefficients"]
        if not isinstance(coefficients, dict) or set(coefficients) - set(FEATURES):
            raise ValueError("abstention model: unknown or missing coefficients")
        return cls(
            coefficients={str(k): float(v) for k, v in coefficients.items()},
            intercept=float(str(data["intercept"])),
            threshold=float(str(data["threshold"])),
            version=str(data.get("version", "untrained")),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "features": list(FEATURES),
            "coefficients": dict(self.coefficients),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }


@lru_cache(maxsize=1)
def default_model() -> AbstentionModel:
    raw = resources.files("briefs.answering").joinpath("abstention.json").read_text()
    return AbstentionModel.from_json(json.loads(raw))
