"""Hypothesis over `AskService.ask` on a real SQLite file with the starter corpus.

Any unicode question gives an Answer or an InvalidQuestionError, never anything else.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.config import Settings
from bot.container import open_app
from briefs.answering.model import Answer
from briefs.errors import InvalidQuestionError
from briefs.services import Actor

USER = Actor("fuzz:user", is_admin=False, platform="cli")
EXAMPLES = 150

_WORDS = st.sampled_from(
    [
        "Iran",
        "Russia",
        "Hamadan",
        "Bushehr",
        "nuclear",
        "S-400",
        "OR",
        "NOT",
        "AND",
        "NEAR",
        "*",
        '"',
        "(",
        ")",
        ":",
        "^",
        "-",
        "&",
        "|",
        "!",
        "<->",
        "'",
        ";",
        "--",
        "@everyone",
        "<!channel>",
        "\u200b",
        "\u202e",
        "\x00",
        "2016",
        "last week",
        "since 2020",
    ]
)
QUESTIONS = st.one_of(
    st.text(max_size=400),
    st.lists(_WORDS, max_size=30).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=1200),
)


def test_ask_never_raises_anything_but_invalid_question(record_figure: Any) -> None:
    outcomes = {"answered": 0, "abstained": 0, "invalid": 0}
    with tempfile.TemporaryDirectory() as folder, asyncio.Runner() as runner:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'fuzz.db'}"
        config = Settings(_env_file=None, database_url=url, load_starter_corpus=True)  # type: ignore[call-arg]
        context = open_app(settings=config)
        app = runner.run(context.__aenter__())
        try:

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=[HealthCheck.too_slow],
            )
            @given(question=QUESTIONS)
            @example(question="")
            @example(question="\x00")
            @example(question="Why did Iran let Russia use Hamadan?")
            def ask(question: str) -> None:
                try:
                    answer = runner.run(app.ask.ask(question, USER))
                except InvalidQuestionError as exc:
                    refusal = exc.message
                    outcomes["invalid"] += 1
                    assert refusal
                    return
                assert isinstance(answer, Answer)
                outcomes["abstained" if answer.abstained else "answered"] += 1

            ask()
        finally:
            runner.run(context.__aexit__(None, None, None))
    record_figure("fuzz_ask", examples=sum(outcomes.values()), other_exceptions=0, **outcomes)
    assert sum(outcomes.values()) >= EXAMPLES
