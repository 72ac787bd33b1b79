"""A misspelled name reaches the same briefs as the right spelling, on both backends, and
the answer says how it read the word."""

from __future__ import annotations

from typing import Any

from briefs.services import Actor

USER = Actor("test:user", is_admin=False, platform="discord")

RIGHT = "What were people chanting outside the Russian embassy during Rafsanjani's funeral?"
TYPO = "What were people chanting outside the Russian embassy during Rafsanajni's funeral?"


async def test_a_typo_ranks_like_the_right_spelling_and_is_noted(core_app: Any) -> None:
    right = await core_app.ask.ranking(RIGHT)
    typo = await core_app.ask.ranking(TYPO)
    assert [p.hit.passage.id for p in typo[:3]] == [p.hit.passage.id for p in right[:3]]
    assert "rafsanjani" in typo[0].covered

    answer = await core_app.ask.ask(TYPO, USER)
    assert "Read “Rafsanajni” as “Rafsanjani”." in answer.notes
    shown = answer.text if not answer.abstained else (answer.closest_evidence or "")
    assert "Death to Russia" in shown


async def test_a_word_the_corpus_lacks_is_not_respelled(core_app: Any) -> None:
    answer = await core_app.ask.ask("What did Rafsanjani say about wheat exports?", USER)
    assert not any(note.startswith("Read ") for note in answer.notes)
