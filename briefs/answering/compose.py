"""Extractive answers: a few cited sentences from the best passages, or an honest abstention."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from briefs.answering.abstention import (
    AbstentionModel,
    IndexStats,
    abstention_features,
    default_model,
)
from briefs.answering.model import NOT_COVERED, Answer, Citation
from briefs.models import Brief
from briefs.provenance.notes import answer_notes
from briefs.retrieval.matching import StemmedText, stem_tokens
from briefs.retrieval.query import QueryPlan, TermGroup
from briefs.retrieval.rank import RankedPassage, group_weights
from briefs.retrieval.related_words import related_words
from briefs.text import split_sentences, stem_word

__all__ = [
    "AnswerPolicy",
    "Evidence",
    "abstain",
    "answer_signals",
    "compose_answer",
    "select_evidence",
]


@dataclass(frozen=True, slots=True)
class AnswerPolicy:
    """How answers are cut, and when the bot abstains instead.

    The abstention model is fitted by `python -m bot eval train-abstention`;
    `abstain_threshold` overrides its threshold (`eval qa --abstain-threshold` shows the
    trade-off).
    """

    abstention: AbstentionModel = field(default_factory=default_model)
    abstain_threshold: float | None = None
    max_sentences: int = 4
    max_chars: int = 900
    passages_considered: int = 6
    closest_shown: int = 3


@dataclass(frozen=True, slots=True)
class Evidence:
    """One chosen sentence and where it came from."""

    text: str
    brief: Brief
    start: int  # offset in the brief body, for reading order
    score: float


def _similar(a: str, b: str) -> bool:
    sa, sb = set(stem_tokens(a)), set(stem_tokens(b))
    return bool(sa and sb) and len(sa & sb) / len(sa | sb) > 0.6


def _related_stems(group: TermGroup) -> frozenset[str]:
    """Stems of the words WordNet relates to the concept's name: the word asked, or an alias
    group's head ("protest"), not every alias term, whose other senses would match too much
    ("object" is also a purpose)."""
    return frozenset(stem_word(r) for r in related_words(group.name) if " " not in r)


def select_evidence(
    plan: QueryPlan, ranked: Sequence[RankedPassage], policy: AnswerPolicy
) -> list[Evidence]:
    top = list(ranked[: policy.passages_considered])
    if not top:
        return []
    key = plan.key_groups or plan.groups
    candidates: list[Evidence] = []
    seen: set[tuple[int, str]] = set()
    texts: list[tuple[RankedPassage, int, str, StemmedText]] = []
    for passage in top:
        for span in split_sentences(passage.hit.passage.text):
            ident = (passage.hit.brief.id, span.text)
            if ident in seen or len(span.text) < 25:
                continue
            seen.add(ident)
            texts.append((passage, span.start, span.text, StemmedText(span.text)))
    weights = group_weights(key, [t[3] for t in texts])
    total = sum(weights.values()) or 1.0
    best_passage = top[0].score or 1.0
    related = {g.name: _related_stems(g) for g in key}
    for passage, offset, text, stems in texts:
        exact = [g for g in key if stems.covers(g)]
        # a sentence in other words ("relies on" for "depend on") counts half
        loose = [g for g in key if g not in exact and stems.stems & related[g.name]]
        coverage = (
            sum(weights[g.name] for g in exact) + 0.5 * sum(weights[g.name] for g in loose)
        ) / total
        if coverage == 0 and key:
            continue
        score = coverage + 0.5 * passage.score / best_passage
        start = passage.hit.passage.start + offset
        candidates.append(Evidence(text, passage.hit.brief, start, score))
    candidates.sort(key=lambda e: -e.score)
    chosen: list[Evidence] = []
    used = 0
    for ev in candidates:
        if len(chosen) >= policy.max_sentences:
            break
        if chosen and ev.score < 0.6 * chosen[0].score:
            break
        text = ev.text if len(ev.text) <= 450 else ev.text[:447].rsplit(" ", 1)[0] + "…"
        if chosen and used + len(text) > policy.max_chars:
            continue
        if any(_similar(text, c.text) for c in chosen):
            continue
        chosen.append(Evidence(text, ev.brief, ev.start, ev.score))
        used += len(text) + 5
    return chosen


def _reading_order(evidence: list[Evidence]) -> list[Evidence]:
    """Group by brief (in order of best evidence), then by position inside the brief."""
    first_rank: dict[int, int] = {}
    for i, ev in enumerate(evidence):
        first_rank.setdefault(ev.brief.id, i)
    return sorted(evidence, key=lambda e: (first_rank[e.brief.id], e.start))


def _time_notes(briefs: Sequence[Brief]) -> tuple[str, ...]:
    notes = []
    years = sorted({b.published.year for b in briefs})
    if len(years) > 1:
        notes.append(
            f"Sources span {years[0]}–{years[-1]}; each sentence speaks for its source's date."
        )
    if any(b.superseded_by_id is not None for b in briefs):
        notes.append("A newer version of a cited brief exists (see `briefs show`).")
    return tuple(notes)


def spelling_note(plan: QueryPlan) -> tuple[str, ...]:
    """Say which misspelled words were read as what, so a wrong guess is visible."""
    if not plan.respelled:
        return ()
    return ("Read " + ", ".join(f"“{a}” as “{b}”" for a, b in plan.respelled) + ".",)


def _gap_note(plan: QueryPlan, evidence: Sequence[Evidence]) -> tuple[str, ...]:
    """Name the question's specific concepts that no cited sentence mentions, so a partial
    answer says which part of the question it leaves open."""
    stems = [StemmedText(f"{ev.brief.title} . {ev.text}") for ev in evidence]
    years = {ev.brief.published.year for ev in evidence}
    missing = [
        g.name
        for g in plan.key_groups
        if g.salient and g.year not in years and not any(s.covers(g) for s in stems)
    ]
    if not missing:
        return ()
    return ("The cited sources do not mention: " + ", ".join(f"“{m}”" for m in missing) + ".",)


def answer_signals(
    plan: QueryPlan, ranked: Sequence[RankedPassage], policy: AnswerPolicy, stats: IndexStats
) -> tuple[list[Evidence], dict[str, float] | None]:
    """The draft answer's sentences and the abstention model's signals for them (None when
    no sentence qualifies)."""
    evidence = select_evidence(plan, ranked, policy)
    if not evidence:
        return evidence, None
    return evidence, abstention_features(plan, ranked, stats, [ev.text for ev in evidence])


def compose_answer(
    plan: QueryPlan, ranked: Sequence[RankedPassage], policy: AnswerPolicy, stats: IndexStats
) -> Answer:
    if not ranked or (plan.key_groups and ranked[0].brief_coverage <= 0.0):
        return abstain(plan, ranked, policy)
    evidence, features = answer_signals(plan, ranked, policy, stats)
    if features is None:
        return abstain(plan, ranked, policy)
    threshold = policy.abstain_threshold
    if threshold is None:
        threshold = policy.abstention.threshold
    if plan.key_groups and policy.abstention.probability(features) >= threshold:
        return abstain(plan, ranked, policy)
    ordered = _reading_order(evidence)
    numbers: dict[int, int] = {}
    sources: list[Citation] = []
    parts: list[str] = []
    for ev in ordered:
        if ev.brief.id not in numbers:
            numbers[ev.brief.id] = len(numbers) + 1
            sources.append(Citation.of(numbers[ev.brief.id], ev.brief))
        sentence = ev.text.rstrip()
        parts.append(f"{sentence} [{numbers[ev.brief.id]}]")
    cited = [ev.brief for ev in ordered]
    unique = list({b.id: b for b in cited}.values())
    provenance = answer_notes([(numbers[b.id], b.provenance, b.balance.balance) for b in unique])
    return Answer(
        question=plan.question,
        text=" ".join(parts),
        abstained=False,
        sources=tuple(sources),
        as_of=max(b.published for b in cited),
        notes=spelling_note(plan) + provenance + _time_notes(unique) + _gap_note(plan, ordered),
        top_score=ranked[0].score,
    )


def abstain(plan: QueryPlan, ranked: Sequence[RankedPassage], policy: AnswerPolicy) -> Answer:
    closest: list[Citation] = []
    for passage in ranked:
        if all(c.brief_id != passage.hit.brief.id for c in closest):
            closest.append(Citation.of(len(closest) + 1, passage.hit.brief))
        if len(closest) >= policy.closest_shown:
            break
    evidence = None
    if ranked and ranked[0].coverage > 0:
        spans = split_sentences(ranked[0].hit.passage.text)
        evidence = max(
            (s.text for s in spans),
            key=lambda t: sum(StemmedText(t).covers(g) for g in plan.key_groups or plan.groups),
            default=None,
        )
    return Answer(
        question=plan.question,
        text=NOT_COVERED,
        abstained=True,
        sources=(),
        notes=spelling_note(plan),
        closest=tuple(closest),
        closest_evidence=evidence,
        top_score=ranked[0].score if ranked else None,
    )
