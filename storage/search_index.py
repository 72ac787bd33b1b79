"""`SearchIndex`: BM25-style full-text search over passages, title boosted.

SQLite ranks with FTS5 `bm25(passages_fts, 4.0, 1.0)` (title weight 4); PostgreSQL with
`ts_rank_cd` over the generated `passages.tsv` column (title weight A, body weight B).
Scores are flipped where needed so that higher is better on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    bindparam,
    column,
    false,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy import table as lightweight_table

from briefs.models import SearchHit, SearchQuery, TermStats
from storage._access import Access, table
from storage._brief_rows import (
    BRIEFS,
    briefs_by_id,
    not_superseded,
    passage_columns,
    to_passage,
)
from storage._match import fts5_expression, term_groups, tsquery_expression, tsquery_sql

__all__ = ["SqlSearchIndex"]

_PASSAGES = table("passages")
_FTS = lightweight_table("passages_fts", column("rowid", Integer))
TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0


class SqlSearchIndex:
    """Implements `briefs.ports.SearchIndex`."""

    def __init__(self, access: Access) -> None:
        self._access = access

    @property
    def scores_weigh_rarity(self) -> bool:
        return self._access.dialect == "sqlite"  # FTS5 bm25(); ts_rank_cd has no IDF

    async def search(self, query: SearchQuery) -> list[SearchHit]:
        """Passages of non-deleted briefs matching `query`, best first.

        `published_from` and `published_to` are both inclusive.
        """
        groups = term_groups(query.groups)
        if not groups or query.limit <= 0:
            return []
        if self._access.dialect == "sqlite":
            statement = self._sqlite_statement(fts5_expression(groups, query.require_all))
        else:
            statement = self._postgres_statement(tsquery_expression(groups, query.require_all))
        statement = statement.where(BRIEFS.c.deleted == false())
        if query.published_from is not None:
            statement = statement.where(BRIEFS.c.published >= query.published_from)
        if query.published_to is not None:
            statement = statement.where(BRIEFS.c.published <= query.published_to)
        if not query.include_superseded:
            statement = statement.where(not_superseded())
        if query.exclude_provenance:
            excluded = sorted(t.value for t in query.exclude_provenance)
            statement = statement.where(BRIEFS.c.provenance_type.not_in(excluded))
        statement = statement.order_by(literal_column("score").desc(), _PASSAGES.c.id).limit(
            query.limit
        )
        async with self._access.read() as conn:
            rows = (await conn.execute(statement)).all()
            briefs = await briefs_by_id(conn, {row.brief_id for row in rows})
        return [
            SearchHit(passage=to_passage(row), brief=briefs[row.brief_id], score=float(row.score))
            for row in rows
        ]

    def _sqlite_statement(self, expression: str) -> Select[Any]:
        fts: Any = literal_column("passages_fts")
        score = (
            -func.bm25(fts, literal_column(repr(TITLE_WEIGHT)), literal_column(repr(BODY_WEIGHT)))
        ).label("score")
        return (
            select(*passage_columns(), score)
            .select_from(_FTS)
            .join(_PASSAGES, _PASSAGES.c.id == _FTS.c.rowid)
            .join(BRIEFS, BRIEFS.c.id == _PASSAGES.c.brief_id)
            .where(fts.op("MATCH")(bindparam("fts_query", expression)))
        )

    def _postgres_statement(self, tsquery: Any) -> Select[Any]:
        tsv: Any = literal_column("passages.tsv")
        score = func.ts_rank_cd(tsv, tsquery).label("score")
        return (
            select(*passage_columns(), score)
            .select_from(_PASSAGES)
            .join(BRIEFS, BRIEFS.c.id == _PASSAGES.c.brief_id)
            .where(tsv.op("@@")(tsquery))
        )

    async def passage_count(self) -> int:
        """Passages of non-deleted briefs."""
        statement = (
            select(func.count())
            .select_from(_PASSAGES)
            .join(BRIEFS, BRIEFS.c.id == _PASSAGES.c.brief_id)
            .where(BRIEFS.c.deleted == false())
        )
        async with self._access.read() as conn:
            return int(await conn.scalar(statement) or 0)

    async def term_stats(self, groups: Sequence[Sequence[str]], cap: int) -> TermStats:
        """One round trip: the passage count and each group's capped document frequency.

        Counts include passages of soft-deleted briefs: these are weights, not results,
        and skipping the join keeps a common word's count a bounded index read.
        """
        cleaned = [term_groups((tuple(g),)) for g in groups]
        params: dict[str, Any] = {"cap": max(int(cap), 1)}
        parts = ["SELECT -1 AS g, count(*) AS n FROM passages"]
        for i, usable in enumerate(cleaned):
            if not usable:
                continue
            if self._access.dialect == "sqlite":
                params[f"q{i}"] = fts5_expression(usable, require_all=False)
                inner = f"SELECT 1 FROM passages_fts WHERE passages_fts MATCH :q{i} LIMIT :cap"
            else:
                where, bound = tsquery_sql(usable[0], prefix=f"q{i}_")
                params.update(bound)
                inner = f"SELECT 1 FROM passages WHERE tsv @@ ({where}) LIMIT :cap"
            parts.append(f"SELECT {i} AS g, count(*) AS n FROM ({inner}) AS m{i}")
        async with self._access.read() as conn:
            rows = (await conn.execute(text(" UNION ALL ".join(parts)), params)).all()
        counts = {int(row.g): int(row.n) for row in rows}
        return TermStats(
            passages=counts.get(-1, 0),
            frequencies=tuple(counts.get(i, 0) for i in range(len(cleaned))),
        )
