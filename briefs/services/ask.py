"""Ask: plan the query, search, re-rank, compose a cited answer (or abstain), log it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from briefs.answering.abstention import IndexStats
from briefs.answering.compose import AnswerPolicy, answer_signals, compose_answer
from briefs.answering.llm import Completion, rewrite_with_llm
from briefs.answering.model import Answer
from briefs.errors import InvalidQuestionError
from briefs.models import QuestionRecord, SearchHit, SourceType, TermStats
from briefs.ports import Clock, Embedder, EmbeddingStore, QuestionLog, SearchIndex
from briefs.provenance.notes import exclusion_note
from briefs.retrieval.fusion import reciprocal_rank_fusion
from briefs.retrieval.query import QueryPlan, TermGroup, plan_query
from briefs.retrieval.rank import RankedPassage, corpus_weights, rerank
from briefs.retrieval.related_words import related_words
from briefs.retrieval.spelling import as_written, misspellings, respelled
from briefs.services.actor import Actor

__all__ = ["INDEPENDENT_EXCLUDES", "AskService", "parse_excludes"]

CANDIDATES = 40
PER_CONCEPT = 10
ENOUGH_STRICT_HITS = 10
#: The broad OR query takes concepts rarest first while their passages add up to at most
#: this many, so that it stays a bounded read on a large corpus; on a small corpus every
#: concept fits. Document frequencies are counted up to the same cap: a concept at the cap
#: is common, and the OR leaves it to the re-ranking unless nothing rarer is asked about.
OR_BUDGET = DF_CAP = 1_000
#: With the semantic extra: the passages nearest to the question's embedding that are fused
#: (reciprocal rank fusion) with the lexical candidates before the re-ranking.
SEMANTIC_CANDIDATES = 40

#: `sources:independent` — leave out state media and official government sources.
INDEPENDENT_EXCLUDES = frozenset({SourceType.STATE_MEDIA, SourceType.GOVERNMENT})


def parse_excludes(names: Iterable[str]) -> frozenset[SourceType]:
    """`["state-media", "government"]` → source types; raises InvalidQuestionError if unknown."""
    out: set[SourceType] = set()
    for name in names:
        try:
            out.add(SourceType.parse(name))
        except ValueError as exc:
            raise InvalidQuestionError(str(exc)) from None
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class _Evidence:
    plan: QueryPlan
    ranked: list[RankedPassage]
    stats: IndexStats


def _bounded(groups: tuple[TermGroup, ...], frequency: dict[str, int]) -> tuple[TermGroup, ...]:
    """The concepts that match something, rarest first, while their passages fit the budget
    (always at least the rarest one)."""
    present = sorted(
        (g for g in groups if 0 < frequency[g.name] < DF_CAP), key=lambda g: frequency[g.name]
    )
    kept: list[TermGroup] = []
    total = 0
    for group in present:
        total += frequency[group.name]
        if kept and total > OR_BUDGET:
            break
        kept.append(group)
    return tuple(kept) or groups


def _with_context(
    plan: QueryPlan, context: str | None, context_plan: QueryPlan | None
) -> QueryPlan:
    """A short follow-up ("and what about Bushehr?") borrows the thread's earlier concepts."""
    if not context or context_plan is None:
        return plan
    names = {g.name for g in plan.groups}
    extra = tuple(g for g in context_plan.groups if g.name not in names)
    return replace(plan, groups=plan.groups + extra)


class AskService:
    def __init__(
        self,
        search: SearchIndex,
        questions: QuestionLog,
        clock: Clock,
        policy: AnswerPolicy | None = None,
        llm: Completion | None = None,
        llm_timeout_s: float = 20.0,
        embedder: Embedder | None = None,
        embeddings: EmbeddingStore | None = None,
    ) -> None:
        self._search = search
        self._questions = questions
        self._clock = clock
        self.policy = policy or AnswerPolicy()
        self._llm = llm
        self._llm_timeout_s = llm_timeout_s
        self._embedder = embedder
        self._embeddings = embeddings

    @property
    def semantic(self) -> bool:
        """Whether candidates come from BM25 fused with embedding neighbours."""
        return self._embedder is not None and self._embeddings is not None

    async def _search_hits(
        self,
        plan: QueryPlan,
        exclude: frozenset[SourceType],
        frequency: dict[str, int],
        *,
        with_dates: bool = True,
    ) -> list[SearchHit]:
        """Passages holding every key concept first: on a large corpus that set is small and
        fast, where an OR of every concept and alias matches most passages. When it is too
        small to rank, passages holding every rarer key concept and then any rarer concept
        join it (the rarer concepts being those `_bounded` keeps)."""
        found: dict[int, SearchHit] = {}
        if plan.key_groups:
            strict = await self._query(plan, exclude, with_dates=with_dates, strict=True)
            if len(strict) >= ENOUGH_STRICT_HITS:
                return strict
            found.update((h.passage.id, h) for h in strict)
        bounded = _bounded(plan.groups, frequency)
        rare_key = tuple(g for g in bounded if not g.generic)
        if len(rare_key) >= 2 and sum(frequency[g.name] for g in rare_key) > CANDIDATES:
            # each rare concept's best passages, so that a brief naming them in different
            # passages still reaches the re-ranking (which scores briefs by their union)
            for group in rare_key:
                one = replace(plan, groups=(group,))
                hits = await self._query(one, exclude, with_dates=with_dates, strict=True)
                for hit in hits[:PER_CONCEPT]:
                    found.setdefault(hit.passage.id, hit)
        broad = replace(plan, groups=bounded)
        for hit in await self._query(broad, exclude, with_dates=with_dates, strict=False):
            found.setdefault(hit.passage.id, hit)
        return list(found.values())[: CANDIDATES + PER_CONCEPT * len(rare_key)]

    async def _query(
        self,
        plan: QueryPlan,
        exclude: frozenset[SourceType],
        *,
        with_dates: bool,
        strict: bool,
    ) -> list[SearchHit]:
        query = plan.search_query(CANDIDATES, with_dates=with_dates, strict=strict)
        if exclude:
            # the index skips excluded briefs; the check below keeps that true for any index
            query = replace(query, exclude_provenance=exclude, limit=query.limit * 3)
        hits = await self._search.search(query)
        return [h for h in hits if h.brief.provenance.type not in exclude][:CANDIDATES]

    async def answer(
        self,
        question: str,
        *,
        context: str | None = None,
        exclude: frozenset[SourceType] = frozenset(),
    ) -> Answer:
        """Answer without logging (evaluation, previews).

        `exclude`: briefs whose provenance type is listed are left out before ranking, so
        the abstention rules judge only what remains.
        """
        evidence = await self._evidence(question, context, exclude)
        answer = compose_answer(evidence.plan, evidence.ranked, self.policy, evidence.stats)
        plan, ranked = evidence.plan, evidence.ranked
        if self._llm is not None:
            answer = await rewrite_with_llm(
                plan, answer, ranked, self._llm, timeout_s=self._llm_timeout_s
            )
        note = exclusion_note(exclude)
        if note:
            answer = replace(answer, notes=(*answer.notes, note))
        return answer

    async def _evidence(
        self, question: str, context: str | None, exclude: frozenset[SourceType]
    ) -> _Evidence:
        plan = self._plan(question, context)
        stats, frequency, hits = await self._lookup(plan, exclude)
        fixed = misspellings(plan, frequency, hits)
        text = respelled(question, fixed)
        if text != question:  # plan and search again with the words the briefs use
            plan = replace(self._plan(text, context), respelled=as_written(question, fixed))
            stats, frequency, hits = await self._lookup(plan, exclude)
        hits = await self._with_neighbours(question, hits, exclude)
        key = plan.key_groups or plan.groups
        weights = corpus_weights(key, stats.passages, [frequency[g.name] for g in key])
        paraphrased = await self._paraphrased(key, frequency)
        ranked = rerank(plan, hits, weights, own_bm25=not self._search.scores_weigh_rarity)
        return _Evidence(plan, ranked, IndexStats(weights, frequency, stats.passages, paraphrased))

    def _plan(self, question: str, context: str | None) -> QueryPlan:
        today = self._clock.now().date()
        plan = plan_query(question, today=today)
        context_plan = plan_query(context, today=today) if context else None
        return _with_context(plan, context, context_plan)

    async def _lookup(
        self, plan: QueryPlan, exclude: frozenset[SourceType]
    ) -> tuple[TermStats, dict[str, int], list[SearchHit]]:
        """The index's counts for the plan's concepts and its candidate passages (without
        the date filter when nothing matches inside it)."""
        stats = await self._term_stats(plan.groups)
        frequency = {g.name: df for g, df in zip(plan.groups, stats.frequencies, strict=True)}
        hits = await self._search_hits(plan, exclude, frequency)
        if not hits and (plan.published_from or plan.published_to):
            hits = await self._search_hits(plan, exclude, frequency, with_dates=False)
        return stats, frequency, hits

    async def _paraphrased(
        self, key: tuple[TermGroup, ...], frequency: dict[str, int]
    ) -> frozenset[str]:
        """The question's concepts the corpus never uses but whose related words it does
        ("cozy" when briefs say "close"): one more capped count, only when there are any."""
        unknown = [g for g in key if frequency.get(g.name, 0) == 0]
        alternatives = {
            g.name: tuple(dict.fromkeys(r for t in g.terms for r in related_words(t)))
            for g in unknown
        }
        asked = [name for name, terms in alternatives.items() if terms]
        if not asked:
            return frozenset()
        stats = await self._search.term_stats([alternatives[n] for n in asked], 1)
        return frozenset(n for n, df in zip(asked, stats.frequencies, strict=True) if df > 0)

    async def _with_neighbours(
        self, question: str, hits: list[SearchHit], exclude: frozenset[SourceType]
    ) -> list[SearchHit]:
        """With an embedder: the lexical candidates fused with the passages nearest to the
        question's embedding (reciprocal rank fusion); without one, `hits` unchanged."""
        if self._embedder is None or self._embeddings is None:
            return hits
        embedder = self._embedder
        [vector] = await asyncio.to_thread(embedder.embed, [question])
        near = await self._embeddings.nearest(
            embedder.model_name, vector, SEMANTIC_CANDIDATES, exclude_provenance=exclude
        )
        near = [h for h in near if h.brief.provenance.type not in exclude]
        return reciprocal_rank_fusion([hits, near])

    async def ranking(self, question: str) -> list[RankedPassage]:
        """The re-ranked candidate passages `answer` composes from (benchmarks, debugging)."""
        return (await self._evidence(question, None, frozenset())).ranked

    async def abstention_signals(self, question: str) -> dict[str, float] | None:
        """The abstention model's inputs for `question` (None when nothing matches at all):
        what `eval train-abstention` fits the model on."""
        evidence = await self._evidence(question, None, frozenset())
        _, signals = answer_signals(evidence.plan, evidence.ranked, self.policy, evidence.stats)
        return signals

    async def _term_stats(self, groups: tuple[TermGroup, ...]) -> TermStats:
        if not groups:
            return TermStats(passages=0, frequencies=())
        return await self._search.term_stats([g.terms for g in groups], DF_CAP)

    async def ask(
        self,
        question: str,
        actor: Actor,
        *,
        context: str | None = None,
        exclude: frozenset[SourceType] = frozenset(),
    ) -> Answer:
        started = time.perf_counter()
        answer = await self.answer(question, context=context, exclude=exclude)
        question_id = await self._questions.log(
            text=answer.question,
            answered=not answer.abstained,
            top_score=answer.top_score,
            latency_ms=(time.perf_counter() - started) * 1000,
            source_ids=[c.brief_id for c in answer.sources],
            asked_by=actor.id,
            platform=actor.platform,
        )
        return replace(answer, question_id=question_id)

    async def feedback(self, question_id: int, actor: Actor, vote: int) -> None:
        await self._questions.feedback(question_id, actor.id, 1 if vote > 0 else -1)

    async def unanswered(self, limit: int = 200) -> list[QuestionRecord]:
        return await self._questions.unanswered(limit)
