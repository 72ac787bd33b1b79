"""Mentions and DMs answered in threads, follow-ups with context, retried events once."""

from __future__ import annotations

from typing import Any

from tests.bot.slack_app.conftest import USER, Harness
from tests.bot.slack_app.fake_slack import BOT_USER, FakeSlack
from tests.bot.slack_app.limits import assert_within_limits

FIRST = "What military cooperation did Russia and Iran have in Syria?"


def mention(text: str, ts: str, thread_ts: str | None = None, **extra: Any) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": USER,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "channel": "C1",
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event | extra


def spy_on_ask(harness: Harness) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    real = harness.app.ask.ask

    async def ask(question: str, actor: Any, *, context: str | None = None) -> Any:
        seen.append({"question": question, "actor": actor, "context": context})
        return await real(question, actor, context=context)

    harness.app.ask.ask = ask  # type: ignore[method-assign]
    return seen


async def test_mention_is_answered_in_a_thread(harness: Harness, slack: FakeSlack) -> None:
    seen = spy_on_ask(harness)
    response = await harness.send(slack.event(mention(FIRST, "100.1"), event_id="Ev1"))
    assert response.status == 200
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) == 1)
    post = slack.called("chat.postMessage")[0].params
    assert post["channel"] == "C1"
    assert post["thread_ts"] == "100.1"
    assert_within_limits(post["blocks"], post["text"])
    assert "[1]" in str(post["blocks"])
    assert seen[0]["question"] == FIRST  # the bot mention is stripped
    assert seen[0]["actor"].id == f"slack:T1/{USER}"
    assert seen[0]["context"] is None


async def test_follow_up_in_thread_uses_the_earlier_question(
    harness: Harness, slack: FakeSlack
) -> None:
    seen = spy_on_ask(harness)
    await harness.send(slack.event(mention(FIRST, "100.1"), event_id="Ev1"))
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) == 1)
    await harness.send(
        slack.event(mention("and what about Bushehr?", "100.5", "100.1"), event_id="Ev2")
    )
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) == 2)
    assert seen[1]["context"] == FIRST
    assert slack.called("chat.postMessage")[1].params["thread_ts"] == "100.1"


async def test_follow_up_after_restart_reads_the_thread(harness: Harness, slack: FakeSlack) -> None:
    seen = spy_on_ask(harness)
    slack.threads["200.1"] = [{"user": USER, "text": f"<@{BOT_USER}> {FIRST}", "ts": "200.1"}]
    await harness.send(slack.event(mention("and Bushehr?", "200.9", "200.1"), event_id="Ev3"))
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) == 1)
    assert seen[0]["context"] == FIRST
    assert slack.called("conversations.replies")


async def test_direct_message_is_answered(harness: Harness, slack: FakeSlack) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": USER,
        "text": FIRST,
        "ts": "300.1",
    }
    await harness.send(slack.event(event, event_id="EvDM"))
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) == 1)
    post = slack.called("chat.postMessage")[0].params
    assert post["channel"] == "D1"
    assert post["thread_ts"] == "300.1"
    # the bot's own message and edits are ignored
    bot_echo = event | {"bot_id": "BBOT", "user": BOT_USER, "ts": "300.2"}
    edited = event | {"subtype": "message_changed", "ts": "300.3"}
    channel_msg = event | {"channel_type": "channel", "channel": "C1", "ts": "300.4"}
    for i, other in enumerate((bot_echo, edited, channel_msg)):
        await harness.send(slack.event(other, event_id=f"EvX{i}"))
    await harness.settle()
    assert len(slack.called("chat.postMessage")) == 1


async def test_retried_event_is_answered_once(harness: Harness, slack: FakeSlack) -> None:
    seen = spy_on_ask(harness)
    for retry in (None, 1, 2, 3):
        response = await harness.send(
            slack.event(mention(FIRST, "400.1"), event_id="EvSame", retry=retry)
        )
        assert response.status == 200
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) >= 1)
    await harness.settle()
    assert len(slack.called("chat.postMessage")) == 1
    assert len(seen) == 1
    # a different event id is a different event
    await harness.send(slack.event(mention(FIRST, "400.2"), event_id="EvOther"))
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) == 2)


async def test_empty_mention_gets_help(harness: Harness, slack: FakeSlack) -> None:
    await harness.send(slack.event(mention("", "500.1"), event_id="EvEmpty"))
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) == 1)
    assert "Ask me about" in slack.called("chat.postMessage")[0].params["text"]


async def test_mention_error_is_ephemeral_with_reference(
    harness: Harness, slack: FakeSlack
) -> None:
    async def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("nope")

    harness.app.ask.ask = boom  # type: ignore[method-assign]
    await harness.send(slack.event(mention(FIRST, "600.1"), event_id="EvBoom"))
    await slack.wait_for(lambda: len(slack.called("chat.postEphemeral")) == 1)
    post = slack.called("chat.postEphemeral")[0].params
    assert post["user"] == USER
    assert post["text"].startswith("Something went wrong (ref ")
