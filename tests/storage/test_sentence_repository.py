"""SentenceRepository: replace in one transaction, query by publication window."""

from __future__ import annotations

import datetime as dt

from storage import Database
from tests.factories import make_new_brief, make_sentence


async def test_add_stores_sentences_and_replace_swaps_them(database: Database) -> None:
    brief = await database.briefs.add(
        make_new_brief(sentences=(make_sentence(0, "First."), make_sentence(1, "Second.")))
    )
    stored = await database.sentences.for_brief(brief.id)
    assert [s.analysis.text for s in stored] == ["First.", "Second."]
    assert all(s.brief_id == brief.id for s in stored)
    assert stored[0].analysis == make_sentence(0, "First.")

    await database.sentences.replace(
        brief.id, [make_sentence(0, "Only one now.", label="tension", score=-3.5, dyad=False)]
    )
    (only,) = await database.sentences.for_brief(brief.id)
    assert only.analysis.text == "Only one now."
    assert only.analysis.label == "tension"
    assert only.analysis.score == -3.5
    assert only.analysis.dyad is False

    await database.sentences.replace(brief.id, [])
    assert await database.sentences.for_brief(brief.id) == []


async def test_published_between_is_half_open_and_skips_deleted(database: Database) -> None:
    jan = await database.briefs.add(
        make_new_brief(
            published=dt.date(2024, 1, 31),
            sentences=(make_sentence(0, "Dyad."), make_sentence(1, "Other.", dyad=False)),
        )
    )
    feb = await database.briefs.add(
        make_new_brief(published=dt.date(2024, 2, 1), sentences=(make_sentence(0, "Feb."),))
    )
    gone = await database.briefs.add(
        make_new_brief(published=dt.date(2024, 1, 15), sentences=(make_sentence(0, "Gone."),))
    )
    await database.briefs.set_deleted(gone.id, True)

    january = await database.sentences.published_between(dt.date(2024, 1, 1), dt.date(2024, 2, 1))
    assert [(s.analysis.text, b.id) for s, b in january] == [("Dyad.", jan.id)]
    everything = await database.sentences.published_between(
        dt.date(2024, 1, 1), dt.date(2024, 3, 1), dyad_only=False
    )
    assert [s.analysis.text for s, _ in everything] == ["Dyad.", "Other.", "Feb."]
    assert everything[2][1] == await database.briefs.get(feb.id)
    assert (
        await database.sentences.published_between(dt.date(2023, 1, 1), dt.date(2023, 2, 1)) == []
    )


async def test_brief_ids_lists_briefs_with_sentences(database: Database) -> None:
    a = await database.briefs.add(make_new_brief(sentences=(make_sentence(),)))
    await database.briefs.add(make_new_brief())
    c = await database.briefs.add(make_new_brief())
    await database.sentences.replace(c.id, [make_sentence(), make_sentence(1)])
    assert await database.sentences.brief_ids() == [a.id, c.id]
