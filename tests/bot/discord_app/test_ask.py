"""`/ask` through the real discord.py objects against the loopback fake."""

from __future__ import annotations

from typing import Any

from bot.container import App
from briefs.answering.model import NOT_COVERED
from tests.bot.discord_app.fake_discord import (
    CHANNEL_ID,
    FakeDiscord,
    custom_ids,
    dispatch,
)
from tests.bot.discord_app.limits import assert_message_within_limits

NO_PINGS = {"parse": []}


def _embeds(rec: Any) -> list[dict[str, Any]]:
    return rec.json.get("embeds") or []


async def test_defer_is_first_then_cited_answer(fake: FakeDiscord, client: Any) -> None:
    await dispatch(
        client, fake.command("ask", {"question": "Why do Russia and Iran cooperate in Syria?"})
    )
    first = fake.requests[0]
    assert first.kind == "callback"
    assert first.json == {"type": 5, "data": {"flags": 64}}  # deferred, thinking, ephemeral
    followups = fake.of_kind("followup")
    assert len(followups) == 1
    embed = _embeds(followups[0])[0]
    assert "[1]" in embed["description"]
    assert embed["fields"][0]["name"].startswith("[1] ")
    assert "As of " in embed["footer"]["text"]
    assert_message_within_limits(followups[0].json)
    assert followups[0].json["allowed_mentions"] == NO_PINGS
    ids = custom_ids(fake.last_message())
    assert any(i.startswith("bb:vote:") for i in ids)
    assert any(i.startswith("bb:share:") for i in ids)
    assert any(i.startswith("bb:more:") for i in ids)


async def test_public_answer_is_not_ephemeral_and_has_no_share(
    fake: FakeDiscord, client: Any
) -> None:
    await dispatch(
        client,
        fake.command(
            "ask", {"question": "Why do Russia and Iran cooperate in Syria?", "public": True}
        ),
    )
    assert fake.requests[0].json == {"type": 5}
    assert not any(i.startswith("bb:share:") for i in custom_ids(fake.last_message()))


async def test_abstention_says_not_covered_with_closest(fake: FakeDiscord, client: Any) -> None:
    await dispatch(client, fake.command("ask", {"question": "What is the capital of Peru?"}))
    embed = _embeds(fake.of_kind("followup")[0])[0]
    assert embed["description"].startswith(NOT_COVERED)


async def test_buttons_vote_share_more(fake: FakeDiscord, client: Any, core: App) -> None:
    await dispatch(client, fake.command("ask", {"question": "Bushehr nuclear plant Russia"}))
    answer = fake.last_message()
    ids = custom_ids(answer)
    up = next(i for i in ids if i.endswith(":up"))
    qid = int(up.split(":")[2])
    fake.requests.clear()
    await dispatch(client, fake.click(answer, up))
    assert "feedback recorded" in fake.all_text()
    records = await core.ask.unanswered(limit=500)  # noqa: F841 - the log is reachable
    fake.requests.clear()
    share = next(i for i in ids if i.startswith("bb:share:"))
    await dispatch(client, fake.click(answer, share))
    cb = fake.of_kind("callback")[0].json
    assert cb["type"] == 4
    assert not (cb["data"].get("flags", 0) & 64)  # posted publicly
    assert cb["data"]["embeds"][0]["title"] == answer["embeds"][0]["title"]
    assert cb["data"]["allowed_mentions"] == NO_PINGS
    fake.requests.clear()
    more = f"bb:more:{qid}"
    await dispatch(client, fake.click(answer, more))
    assert "More sources" in fake.all_text()


def _record_contexts(core: App, monkeypatch: Any) -> list[str | None]:
    """From now on, the thread context of every question asked (the answers are real)."""
    seen: list[str | None] = []
    real = core.ask.ask

    async def spy(question: str, actor: Any, *, context: str | None = None) -> Any:
        seen.append(context)
        return await real(question, actor, context=context)

    monkeypatch.setattr(core.ask, "ask", spy)
    return seen


async def test_thread_follow_up_uses_the_thread_question_as_context(
    fake: FakeDiscord, client: Any, core: App, monkeypatch: Any
) -> None:
    seen = _record_contexts(core, monkeypatch)
    await dispatch(
        client, fake.command("ask", {"question": "Bushehr nuclear plant", "public": True})
    )
    starter = fake.last_message()
    thread = fake.thread_channel(int(starter["id"]), CHANNEL_ID)
    await dispatch(client, fake.command("ask", {"question": "and the fuel?"}, channel=thread))
    assert seen == [None, "Bushehr nuclear plant"]


async def test_thread_context_read_from_starter_message_after_restart(
    fake: FakeDiscord, client: Any, core: App, monkeypatch: Any
) -> None:
    await dispatch(
        client,
        fake.command(
            "ask", {"question": "Why do Russia and Iran cooperate in Syria?", "public": True}
        ),
    )
    starter = fake.last_message()
    client.ctx.thread_questions.clear()  # as after a restart
    seen = _record_contexts(core, monkeypatch)
    thread = fake.thread_channel(int(starter["id"]), CHANNEL_ID)
    await dispatch(client, fake.command("ask", {"question": "when?"}, channel=thread))
    assert seen == ["Why do Russia and Iran cooperate in Syria?"]
    assert fake.of_kind(f"GET /channels/{CHANNEL_ID}/messages/{starter['id']}")


async def test_unexpected_error_gives_a_ref_not_a_trace(
    fake: FakeDiscord, client: Any, core: App, monkeypatch: Any, caplog: Any
) -> None:
    async def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database exploded: secret detail")

    monkeypatch.setattr(core.ask, "ask", boom)
    await dispatch(client, fake.command("ask", {"question": "anything"}))
    text = fake.all_text()
    assert "Something went wrong (ref " in text
    assert "exploded" not in text
    assert "Traceback" not in text
    ref = text.split("(ref ")[1].split(")")[0]
    assert any(ref in r.getMessage() for r in caplog.records)


async def test_an_interaction_that_arrived_too_late_is_logged_not_dropped_silently(
    fake: FakeDiscord, client: Any, caplog: Any
) -> None:
    """Discord rejects a defer after 3 s (10062 Unknown interaction): nothing can be sent,
    so the failure is logged with a ref and nothing is answered twice or half-way."""
    payload = fake.command("ask", {"question": "Why do Russia and Iran cooperate in Syria?"})
    fake.expired_interactions.add(int(payload["id"]))
    with caplog.at_level("ERROR"):
        await dispatch(client, payload)
    # the defer, then the attempt to report the error: both refused by Discord, nothing sent
    assert 1 <= len(fake.of_kind("callback")) <= 2
    assert fake.of_kind("followup") == []
    assert any("ref" in r.getMessage() for r in caplog.records)
    assert any(
        "10062" in (r.exc_text or "") or "Unknown interaction" in str(r.exc_info)
        for r in caplog.records
    )
