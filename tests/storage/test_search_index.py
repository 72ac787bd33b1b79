"""Full-text search: the same semantics on SQLite FTS5 and PostgreSQL tsvector."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.models import SearchQuery
from storage import Database
from storage._match import MAX_TERMS
from tests.factories import make_new_brief


def q(*groups: tuple[str, ...], **options: object) -> SearchQuery:
    return SearchQuery(groups=tuple(groups), **options)  # type: ignore[arg-type]


def texts(hits: list) -> list[str]:  # type: ignore[type-arg]
    return [h.passage.text for h in hits]


@pytest.fixture
async def corpus(database: Database) -> Database:
    await database.briefs.add(
        make_new_brief(
            title="Energy notes",
            passages=(
                "Gazprom expands the gas pipeline toward the Gulf.",
                "Nuclear talks stalled in Vienna this week.",
                "Gas swaps and nuclear cooperation were discussed together.",
            ),
            published=dt.date(2024, 3, 1),
        )
    )
    return database


async def test_title_match_outranks_body_match(database: Database) -> None:
    body_only = await database.briefs.add(
        make_new_brief(title="Weekly notes", passages=("The corridor opened for freight trains.",))
    )
    title_only = await database.briefs.add(
        make_new_brief(title="Corridor", passages=("Freight trains crossed the border on Monday.",))
    )
    hits = await database.search.search(q(("corridor",)))
    assert [h.brief.id for h in hits] == [title_only.id, body_only.id]
    assert hits[0].score > hits[1].score
    assert all(isinstance(h.score, float) for h in hits)


async def test_more_occurrences_rank_higher(database: Database) -> None:
    await database.briefs.add(
        make_new_brief(title="A", passages=("Sanctions were mentioned once among many topics.",))
    )
    await database.briefs.add(
        make_new_brief(title="B", passages=("Sanctions, sanctions and more sanctions.",))
    )
    hits = await database.search.search(q(("sanctions",)))
    assert texts(hits)[0].startswith("Sanctions, sanctions")


async def test_any_group_matches_without_require_all(corpus: Database) -> None:
    hits = await corpus.search.search(q(("pipeline", "swaps"), ("vienna",)))
    assert sorted(texts(hits)) == sorted(
        [
            "Gazprom expands the gas pipeline toward the Gulf.",
            "Nuclear talks stalled in Vienna this week.",
            "Gas swaps and nuclear cooperation were discussed together.",
        ]
    )


async def test_require_all_needs_every_group(corpus: Database) -> None:
    hits = await corpus.search.search(q(("gas", "pipeline"), ("nuclear",), require_all=True))
    assert texts(hits) == ["Gas swaps and nuclear cooperation were discussed together."]
    assert await corpus.search.search(q(("vienna",), ("pipeline",), require_all=True)) == []


async def test_phrases_match_in_order(corpus: Database) -> None:
    assert texts(await corpus.search.search(q(("nuclear talks",)))) == [
        "Nuclear talks stalled in Vienna this week."
    ]
    assert await corpus.search.search(q(("talks nuclear",))) == []


async def test_stemming_matches_word_forms(corpus: Database) -> None:
    assert texts(await corpus.search.search(q(("talk",)))) == [
        "Nuclear talks stalled in Vienna this week."
    ]
    assert len(await corpus.search.search(q(("discussing",)))) == 1


async def test_case_and_punctuation_in_terms_are_ignored(corpus: Database) -> None:
    assert len(await corpus.search.search(q(('"VIENNA"!',)))) == 1
    assert len(await corpus.search.search(q(("nuclear-talks",)))) == 1


async def test_unusable_terms_are_dropped(corpus: Database) -> None:
    assert await corpus.search.search(q()) == []
    assert await corpus.search.search(q(("!!!", "  ", "\u200b"))) == []
    assert await corpus.search.search(q((), ("",))) == []
    # an unusable group does not block the others, even with require_all
    hits = await corpus.search.search(q(("???",), ("vienna",), require_all=True))
    assert texts(hits) == ["Nuclear talks stalled in Vienna this week."]


async def test_limit(database: Database) -> None:
    await database.briefs.add(
        make_new_brief(passages=tuple(f"Caspian item {i}." for i in range(6)))
    )
    assert len(await database.search.search(q(("caspian",), limit=4))) == 4
    assert len(await database.search.search(q(("caspian",)))) == 6
    assert await database.search.search(q(("caspian",), limit=0)) == []


async def test_published_date_filters_are_inclusive(database: Database) -> None:
    for day in (dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)):
        await database.briefs.add(
            make_new_brief(published=day, passages=(f"Oil talks on {day.isoformat()}.",))
        )

    async def days(**options: object) -> list[dt.date]:
        hits = await database.search.search(q(("oil",), **options))
        return sorted(h.brief.published for h in hits)

    assert await days() == [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)]
    assert await days(published_from=dt.date(2024, 2, 1)) == [
        dt.date(2024, 2, 1),
        dt.date(2024, 3, 1),
    ]
    assert await days(published_to=dt.date(2024, 2, 1)) == [
        dt.date(2024, 1, 1),
        dt.date(2024, 2, 1),
    ]
    assert await days(published_from=dt.date(2024, 2, 1), published_to=dt.date(2024, 2, 1)) == [
        dt.date(2024, 2, 1)
    ]


async def test_deleted_briefs_are_excluded(database: Database) -> None:
    brief = await database.briefs.add(make_new_brief(passages=("Wheat exports grew.",)))
    assert len(await database.search.search(q(("wheat",)))) == 1
    assert await database.search.passage_count() == 1
    await database.briefs.set_deleted(brief.id, True)
    assert await database.search.search(q(("wheat",))) == []
    assert await database.search.passage_count() == 0
    await database.briefs.set_deleted(brief.id, False)
    assert len(await database.search.search(q(("wheat",)))) == 1


async def test_superseded_briefs(database: Database) -> None:
    v1 = await database.briefs.add(make_new_brief(passages=("Drone deliveries, first draft.",)))
    v2 = await database.briefs.add(
        make_new_brief(passages=("Drone deliveries, revised.",), supersedes_id=v1.id, version=2)
    )
    both = await database.search.search(q(("drone",)))
    assert {h.brief.id for h in both} == {v1.id, v2.id}
    old_hit = next(h for h in both if h.brief.id == v1.id)
    assert old_hit.brief.superseded_by_id == v2.id
    latest = await database.search.search(q(("drone",), include_superseded=False))
    assert [h.brief.id for h in latest] == [v2.id]
    await database.briefs.set_deleted(v2.id, True)
    current = await database.search.search(q(("drone",), include_superseded=False))
    assert [h.brief.id for h in current] == [v1.id]


async def test_hits_carry_passage_and_brief(corpus: Database) -> None:
    (hit,) = await corpus.search.search(q(("vienna",)))
    assert hit.passage.ordinal == 1
    assert hit.brief.title == "Energy notes"
    assert hit.passage.brief_id == hit.brief.id
    passages = await corpus.briefs.passages(hit.brief.id)
    assert hit.passage == passages[1]


NASTY = [
    "AND OR NEAR( *",
    "'; DROP TABLE briefs; --",
    '"',
    '""',
    "'",
    'say "hello"',
    "^",
    "-",
    ":",
    "title:gas",
    "NOT",
    "gas*",
    "a & b | !c",
    "<->",
    "\\",
    "\x00",
    "\u200b\u200d",
    "Тегеран",
    "إيران",
    "e\u0301",
    "🛢️",
    "NEAR(gas nuclear, 2)",
    "{title body}: gas",
    "+",
    "(",
    ")",
]

terms = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
groups = st.lists(st.lists(terms, max_size=4).map(tuple), max_size=4).map(tuple)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(groups=groups, require_all=st.booleans())
async def test_arbitrary_terms_never_break_search(
    corpus: Database, groups: tuple[tuple[str, ...], ...], require_all: bool
) -> None:
    hits = await corpus.search.search(SearchQuery(groups=groups, require_all=require_all))
    assert isinstance(hits, list)
    assert len(hits) <= 3
    assert await corpus.briefs.count() == 1  # nothing was dropped


@pytest.mark.parametrize("term", NASTY)
async def test_each_nasty_term_is_harmless(corpus: Database, term: str) -> None:
    hits = await corpus.search.search(q((term,), ("gas",), require_all=True))
    assert isinstance(hits, list)
    hits = await corpus.search.search(q((term, "vienna")))
    assert "Nuclear talks stalled in Vienna this week." in texts(hits)


async def test_stop_words_alone_match_nothing_on_postgres(corpus: Database) -> None:
    hits = await corpus.search.search(q(("the",)))
    if corpus.dialect == "postgresql":
        assert hits == []  # PostgreSQL drops stop words; SQLite indexes every word
    both = await corpus.search.search(q(("the",), ("vienna",), require_all=True))
    if corpus.dialect == "postgresql":  # the empty group is dropped, not an empty match
        assert texts(both) == ["Nuclear talks stalled in Vienna this week."]
    else:  # SQLite needs "the" in the passage too, and this one has none
        assert both == []


async def test_term_stats_counts_passages_per_group_up_to_the_cap(corpus: Database) -> None:
    stats = await corpus.search.term_stats(
        [("nuclear",), ("gas", "pipeline"), ("vienna talks", "zzzunknown"), ('AND OR "',)],
        cap=100,
    )

    assert stats.passages == 3
    # "nuclear" in two passages; gas/pipeline in two; the phrase "vienna talks" in none
    # (the words are not adjacent); operators alone are no term at all.
    assert stats.frequencies == (2, 2, 0, 0)
    capped = await corpus.search.term_stats([("nuclear",), ("gas",)], cap=1)
    assert capped.frequencies == (1, 1)


async def test_term_stats_of_nothing(database: Database) -> None:
    stats = await database.search.term_stats([], cap=10)

    assert stats.passages == 0
    assert stats.frequencies == ()


async def test_term_stats_takes_max_terms_alternatives_per_group(corpus: Database) -> None:
    # The abstention's paraphrase check asks for up to MAX_TERMS related words per unknown
    # question word, for up to 12 words, in one round trip; later terms are ignored.
    filler = [f"zzfiller{i}" for i in range(MAX_TERMS - 1)]
    groups = [(*filler, "pipeline") if i == 10 else tuple(filler) for i in range(12)]
    groups[11] = (*filler, "zzextra", "pipeline")  # "pipeline" is one term too many here

    stats = await corpus.search.term_stats(groups, cap=1)

    assert stats.frequencies == (0,) * 10 + (1, 0)


async def test_only_sqlite_scores_weigh_rarity(database: Database) -> None:
    # FTS5's bm25() has an IDF; PostgreSQL's ts_rank_cd does not, so there the re-ranking
    # computes its own BM25.
    assert database.search.scores_weigh_rarity is (database.dialect == "sqlite")
