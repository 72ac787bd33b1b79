"""Optional LLM rewriting: the model sees only retrieved passages and must cite each sentence.

Sentences whose citation does not support them (too little word overlap with the cited
passages) are dropped; on timeout, error or nothing verifiable, the extractive answer stands.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Protocol

from briefs.answering.model import Answer, Citation
from briefs.models import Brief
from briefs.provenance.notes import answer_notes, is_provenance_note
from briefs.retrieval.matching import stem_tokens
from briefs.retrieval.query import QueryPlan, stopwords
from briefs.retrieval.rank import RankedPassage
from briefs.text import split_sentences

__all__ = ["SYSTEM_PROMPT", "Completion", "rewrite_with_llm", "supported"]

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You answer questions about Russia–Iran relations using ONLY the numbered sources given. "
    "Write 1–4 short sentences. End every sentence with the number of the source that supports "
    "it, like [1]. If the sources do not answer the question, reply exactly: NOT COVERED."
)
MIN_SUPPORT = 0.6
_CITE = re.compile(r"\[(\d+)\]\s*[.!?]?\s*$")


class Completion(Protocol):
    async def complete(self, system: str, user: str) -> str: ...


def supported(sentence: str, evidence: str) -> bool:
    """Share of the sentence's content stems found in the evidence ≥ MIN_SUPPORT."""
    stop = stopwords()
    content = {s for s in stem_tokens(sentence) if s not in stop and not s.isdigit()}
    if not content:
        return False
    have = set(stem_tokens(evidence))
    return len(content & have) / len(content) >= MIN_SUPPORT


def _sources(ranked: Sequence[RankedPassage], limit: int) -> list[tuple[Brief, str]]:
    by_brief: dict[int, tuple[Brief, list[str]]] = {}
    for passage in ranked[:limit]:
        entry = by_brief.setdefault(passage.hit.brief.id, (passage.hit.brief, []))
        entry[1].append(passage.hit.passage.text)
    return [(brief, "\n".join(texts)) for brief, texts in by_brief.values()]


async def rewrite_with_llm(
    plan: QueryPlan,
    extractive: Answer,
    ranked: Sequence[RankedPassage],
    client: Completion,
    *,
    timeout_s: float,
    passages: int = 6,
) -> Answer:
    if extractive.abstained:
        return extractive
    sources = _sources(ranked, passages)
    prompt = "\n\n".join(
        f"[{i}] {brief.title} ({brief.published.isoformat()})\n{text}"
        for i, (brief, text) in enumerate(sources, 1)
    )
    try:
        reply = await asyncio.wait_for(
            client.complete(SYSTEM_PROMPT, f"Sources:\n{prompt}\n\nQuestion: {plan.question}"),
            timeout_s,
        )
    except Exception as exc:  # any endpoint failure falls back to the extractive answer
        log.warning("LLM unavailable, using the extractive answer: %s", type(exc).__name__)
        return extractive
    kept: list[tuple[str, int]] = []
    for span in split_sentences(reply.strip()):
        match = _CITE.search(span.text)
        if not match or not 1 <= int(match.group(1)) <= len(sources):
            continue
        number = int(match.group(1))
        claim = span.text[: match.start()].strip()
        if claim and claim[-1] not in ".!?":
            claim += "."
        if supported(claim, sources[number - 1][1]):
            kept.append((claim, number))
    if not kept:
        return extractive
    renumber: dict[int, int] = {}
    citations: list[Citation] = []
    parts = []
    for claim, number in kept[:4]:
        if number not in renumber:
            renumber[number] = len(renumber) + 1
            citations.append(Citation.of(renumber[number], sources[number - 1][0]))
        parts.append(f"{claim} [{renumber[number]}]")
    briefs = {sources[n - 1][0].id: sources[n - 1][0] for n in renumber}
    provenance = answer_notes(
        [(c.number, c.provenance, briefs[c.brief_id].balance.balance) for c in citations]
    )
    other_notes = tuple(n for n in extractive.notes if not is_provenance_note(n))
    return replace(
        extractive,
        text=" ".join(parts),
        sources=tuple(citations),
        notes=provenance + other_notes,
        as_of=max(c.published for c in citations),
        generated_by="llm",
    )
