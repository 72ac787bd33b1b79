"""Hostile text in questions and in uploaded briefs is inert on both backends.

FTS5 / tsquery operators and SQL fragments never reach the query language, mentions never
ping (Discord embeds and Slack blocks are checked after the adapters' own renderers), masked
Markdown links never render as links, invisible and bidi characters are handled, and the
tables are intact afterwards.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import pytest

with warnings.catch_warnings():  # discord.py imports audioop (deprecated): see its conftest
    warnings.simplefilter("ignore", DeprecationWarning)
    from bot.discord_app.render import answer_embed, brief_embed

from bot.container import App
from bot.slack_app.blocks import answer_message, brief_detail_message
from briefs.answering.model import Answer
from briefs.errors import InvalidQuestionError
from briefs.services import Actor
from tests.reliability._support import check_consistency

ADMIN = Actor("test:admin", is_admin=True, platform="cli")
USER = Actor("test:user", is_admin=False, platform="slack")

HOSTILE_QUESTIONS = [
    # FTS5 syntax
    'Iran NEAR(Russia, 2) "unbalanced',
    "Hamadan OR AND NOT *",
    "title:Iran body:Russia",
    "^Iran AND -Russia",
    "Iran* + {Russia}",
    "(((Bushehr",
    '"""',
    # tsquery syntax
    "Iran & !Russia | Hamadan:* <-> (Syria",
    "Iran:*A & Russia <2> Syria",
    # SQL fragments
    "'; DROP TABLE briefs; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM passages WHERE ('1'='1",
    "Hamadan\\'; SELECT pg_sleep(10); --",
    "Iran UNION SELECT content_hash FROM briefs --",
    # chat mentions and links
    "@everyone why did Iran let Russia use Hamadan? @here",
    "<!channel> <!everyone> <!here> what about Bushehr?",
    "<@U0123ABC> <@&987654321> <#123456> <@!42> nuclear talks",
    "[your bank](https://evil.example/login) Bushehr reactor",
    "<https://evil.example|Bushehr reactor> fuel",
    # invisible, bidi and control characters
    "Ha\u200bma\u200cdan\u200d air\ufeff base",
    "\u202eesab ria nadamaH\u202c Russia",
    "\u2066Iran\u2069 \u200f\u200eRussia",
    "Bushehr\x00reactor",
    "\x00\x01\x02",
    "\u200b\u200b\u200b",
    "   \n\t  ",
    "Tehran " * 400,
]

PINGS_DISCORD = re.compile(r"@(everyone|here)|<(@[!&]?|#)\d+>")
PINGS_SLACK = re.compile(r"<[!@#][^>]*>")
SPOOF_DISCORD = re.compile(r"\[[^\]]*\]\(\s*<?https?://")
SPOOF_SLACK = re.compile(r"<https?://evil")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def assert_inert_discord(payload: dict[str, Any]) -> None:
    for text in _strings(payload):
        assert not PINGS_DISCORD.search(text), text
    # Discord renders masked links only in message content, embed descriptions and field
    # values (not in titles, field names or footers).
    linkable = [payload.get("content") or "", payload.get("description") or ""]
    linkable += [f.get("value") or "" for f in payload.get("fields", [])]
    for text in linkable:
        assert not SPOOF_DISCORD.search(text), text


def assert_inert_slack(blocks: Any, fallback: str) -> None:
    for text in [*_strings(blocks), fallback]:
        # the only markup allowed is our own citation links (<https://…|…>) and no pings
        assert not PINGS_SLACK.search(text), text
        assert not SPOOF_SLACK.search(text), text


def render_both(answer: Answer) -> None:
    assert_inert_discord(answer_embed(answer).to_dict())
    message = answer_message(answer, shareable=True, share_value="x")
    assert_inert_slack(message.blocks, message.text)


async def _tables(app: App) -> tuple[int, int]:
    briefs = await app.database.briefs.count(include_deleted=True)
    async with app.database.reading() as conn:
        from sqlalchemy import text

        passages = (await conn.execute(text("SELECT count(*) FROM passages"))).scalar_one()
    return briefs, int(passages)


async def test_hostile_questions_are_inert(core_app: App, db_url: str, record_figure: Any) -> None:
    before = await _tables(core_app)
    answered = abstained = invalid = 0
    for question in HOSTILE_QUESTIONS:
        try:
            answer = await core_app.ask.ask(question, USER)
        except InvalidQuestionError as exc:
            invalid += 1
            refusal = exc.message
            assert refusal
            assert "\n" not in refusal
            continue
        answered += not answer.abstained
        abstained += answer.abstained
        render_both(answer)
    after = await _tables(core_app)
    assert after == before
    state = await check_consistency(db_url)
    assert state.ok, state
    good = await core_app.ask.ask("Why did Iran let Russia use the Hamadan air base?", USER)
    assert not good.abstained  # search still works after all that
    record_figure(
        "hostile_questions",
        backend="sqlite" if db_url.startswith("sqlite") else "postgres",
        questions=len(HOSTILE_QUESTIONS),
        answered=answered,
        abstained=abstained,
        invalid_question_error=invalid,
        other_errors=0,
    )


HOSTILE_BRIEF = (
    "---\n"
    'title: "Bushehr <!channel> @everyone [bank](https://evil.example/login) update"\n'
    "date: 2024-03-05\n"
    'outlet: "<@U0EVIL> Wire @here"\n'
    "---\n\n"
    "# Bushehr fuel deliveries\n\n"
    "Rosatom engineers delivered a new batch of fuel to the Bushehr reactor in Iran, "
    "@everyone, and Russian and Iranian officials praised the nuclear cooperation "
    "<!channel> at a ceremony.\n\n"
    "Iranian negotiators said the Bushehr contract with Russia would be extended "
    "<@U0123ABC> <@&987654321>, according to "
    "[the official statement](https://evil.example/phish) published in Tehran.\n\n"
    "The Bushehr fuel deal follows talks in Moscow; critics in Te\u200bhran called the "
    "\u202eRussian\u202c terms unfair '; DROP TABLE briefs; -- and demanded more "
    "transparency.\n\n"
    "<script>alert('bushehr')</script>\n"
)


@pytest.mark.parametrize("extension", [".md", ".txt"])
async def test_hostile_uploaded_brief_is_inert(core_app: App, db_url: str, extension: str) -> None:
    outcome = await core_app.ingest.ingest(f"hostile{extension}", HOSTILE_BRIEF.encode(), ADMIN)
    assert outcome.status == "added", outcome.message
    assert outcome.brief is not None
    for question in (
        "Will the Bushehr contract with Russia be extended?",
        "Rosatom Bushehr fuel",
        "What did critics in Tehran say about the Russian terms for Bushehr fuel?",
    ):
        answer = await core_app.ask.ask(question, USER)
        assert not answer.abstained, question
        assert outcome.brief.id in {c.brief_id for c in answer.sources}
        render_both(answer)
    detail = await core_app.catalog.show(outcome.brief.id)
    assert "DROP TABLE" in detail.body  # stored as text, not executed
    assert_inert_discord(brief_embed(detail).to_dict())
    message = brief_detail_message(
        detail.brief,
        detail.body,
        passages=detail.passages,
        dyad_sentences=detail.dyad_sentences,
        label_counts=detail.label_counts,
    )
    assert_inert_slack(message.blocks, message.text)
    assert await core_app.database.briefs.count(include_deleted=True) == 6
    state = await check_consistency(db_url)
    assert state.ok, state
    assert json.dumps(answer.text)  # serialisable for --json output
