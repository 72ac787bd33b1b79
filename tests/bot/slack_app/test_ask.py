"""/ask end to end: signed request → ack → cited answer posted to the response_url."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from slack_sdk.signature import SignatureVerifier

from briefs.answering.model import NOT_COVERED
from tests.bot.slack_app.conftest import USER, Harness
from tests.bot.slack_app.fake_slack import SECRET, FakeSlack, signed_headers, signed_request
from tests.bot.slack_app.limits import assert_inert, assert_within_limits

QUESTION = "What military cooperation did Russia and Iran have in Syria?"


def test_signing_helper_agrees_with_slack_sdk() -> None:
    body = "command=%2Fask&text=hi"
    headers = signed_headers(body, "application/x-www-form-urlencoded")
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)


async def test_bad_signature_is_401(harness: Harness) -> None:
    request = signed_request(
        "command=%2Fask&text=hi", "application/x-www-form-urlencoded", secret="nope"
    )
    response = await harness.send(request)
    assert response.status == 401
    assert harness.slack.posts() == []


async def test_ack_comes_before_the_slow_work(harness: Harness, slack: FakeSlack) -> None:
    gate = asyncio.Event()
    real_ask = harness.app.ask.ask

    async def slow_ask(*args: Any, **kwargs: Any) -> Any:
        await gate.wait()
        return await real_ask(*args, **kwargs)

    harness.app.ask.ask = slow_ask  # type: ignore[method-assign]
    response = await asyncio.wait_for(harness.send(slack.slash("/ask", QUESTION, USER)), 2.5)
    assert response.status == 200
    assert response.body == ""  # empty ack, nothing posted yet
    assert slack.responses == []
    gate.set()
    await slack.wait_for(lambda: len(slack.responses) == 1)


async def test_ask_answers_ephemerally_with_citations(harness: Harness, slack: FakeSlack) -> None:
    await harness.send(slack.slash("/ask", QUESTION, USER))
    await slack.wait_for(lambda: len(slack.responses) == 1)
    reply = slack.responses[0]
    assert reply["response_type"] == "ephemeral"
    assert_within_limits(reply["blocks"], reply["text"])
    shown = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "[1]" in shown
    assert "*Sources*" in shown
    assert "As of " in shown
    actions = next(b for b in reply["blocks"] if b["type"] == "actions")["elements"]
    assert [a["action_id"] for a in actions] == [
        "answer_vote_up",
        "answer_vote_down",
        "answer_share",
    ]
    assert reply["text"]  # plain fallback


async def test_abstention_lists_closest_briefs(harness: Harness, slack: FakeSlack) -> None:
    await harness.send(slack.slash("/ask", "What is the price of bananas in Ecuador?", USER))
    await slack.wait_for(lambda: len(slack.responses) == 1)
    shown = json.dumps(slack.responses[0], ensure_ascii=False)
    assert NOT_COVERED in shown


async def test_empty_ask_shows_help(harness: Harness, slack: FakeSlack) -> None:
    await harness.send(slack.slash("/ask", "  ", USER))
    await slack.wait_for(lambda: len(slack.responses) == 1)
    assert "Ask a question" in slack.responses[0]["text"]


async def _ask_and_get_actions(harness: Harness, slack: FakeSlack) -> dict[str, str]:
    await harness.send(slack.slash("/ask", QUESTION, USER))
    await slack.wait_for(lambda: len(slack.responses) == 1)
    block = next(b for b in slack.responses[0]["blocks"] if b["type"] == "actions")
    return {a["action_id"]: a["value"] for a in block["elements"]}


async def test_feedback_buttons_record_votes(harness: Harness, slack: FakeSlack) -> None:
    values = await _ask_and_get_actions(harness, slack)
    question_id = int(values["answer_vote_up"])
    await harness.send(slack.action("answer_vote_up", values["answer_vote_up"], USER))
    await slack.wait_for(lambda: len(slack.responses) == 2)
    assert "Thanks" in slack.responses[1]["text"]
    assert slack.responses[1]["replace_original"] is False
    record = await harness.app.database.questions.get(question_id)
    assert record is not None
    assert record.upvotes == 1
    await harness.send(slack.action("answer_vote_down", values["answer_vote_down"], "UOTHER"))
    await slack.wait_for(lambda: len(slack.responses) == 3)
    record = await harness.app.database.questions.get(question_id)
    assert record is not None
    assert record.downvotes == 1


async def test_share_reposts_publicly(harness: Harness, slack: FakeSlack) -> None:
    values = await _ask_and_get_actions(harness, slack)
    await harness.send(slack.action("answer_share", values["answer_share"], USER, channel="C9"))
    await slack.wait_for(lambda: len(slack.called("chat.postMessage")) == 1)
    post = slack.called("chat.postMessage")[0].params
    assert post["channel"] == "C9"
    shown = json.dumps(post["blocks"])
    assert f"Shared by <@{USER}>" in shown
    assert "answer_share" not in shown
    assert_within_limits(post["blocks"], post["text"])


async def test_share_after_restart_answers_again(harness: Harness, slack: FakeSlack) -> None:
    values = await _ask_and_get_actions(harness, slack)
    harness.runtime.services.answers = type(harness.runtime.services.answers)(60)  # forgotten
    slack.errors["chat.postMessage"] = "not_in_channel"
    await harness.send(slack.action("answer_share", values["answer_share"], USER))
    await slack.wait_for(lambda: len(slack.responses) == 2)
    assert slack.responses[1]["response_type"] == "in_channel"
    assert "[1]" in json.dumps(slack.responses[1]["blocks"])


async def test_user_error_is_shown_as_its_message(harness: Harness, slack: FakeSlack) -> None:
    await harness.send(slack.slash("/brief", "show 99999", USER))
    await slack.wait_for(lambda: len(slack.responses) == 1)
    assert "There is no brief #99999." in slack.responses[0]["text"]
    assert slack.responses[0]["response_type"] == "ephemeral"


async def test_unexpected_error_gives_a_reference(
    harness: Harness, slack: FakeSlack, caplog: Any
) -> None:
    async def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database on fire")

    harness.app.ask.ask = boom  # type: ignore[method-assign]
    await harness.send(slack.slash("/ask", QUESTION, USER))
    await slack.wait_for(lambda: len(slack.responses) == 1)
    text = slack.responses[0]["text"]
    assert text.startswith("Something went wrong (ref ")
    ref = text.removeprefix("Something went wrong (ref ").split(")")[0]
    assert "database on fire" not in json.dumps(slack.responses)
    assert any(ref in r.getMessage() and r.exc_info for r in caplog.records)


async def test_global_error_handler_catches_unguarded_listeners(
    harness: Harness, slack: FakeSlack
) -> None:
    @harness.runtime.bolt.command("/boom")
    async def boom(ack: Any) -> None:
        await ack()
        raise RuntimeError("unguarded")

    await harness.send(slack.slash("/boom", "", USER))
    await slack.wait_for(lambda: len(slack.responses) == 1)
    assert slack.responses[0]["text"].startswith("Something went wrong (ref ")


async def test_brief_list_search_show(harness: Harness, slack: FakeSlack) -> None:
    await harness.send(slack.slash("/brief", "list", USER))
    await harness.send(slack.slash("/brief", "search Bushehr", USER))
    await harness.send(slack.slash("/brief", "show #1", USER))
    await harness.send(slack.slash("/brief", "bogus", USER))
    await slack.wait_for(lambda: len(slack.responses) == 4)
    for reply in slack.responses:
        assert_within_limits(reply["blocks"], reply["text"])
        assert_inert(reply["blocks"], reply["text"])
    shown = json.dumps(slack.responses, ensure_ascii=False)
    assert "*#1*" in shown
    assert "(date inferred)" in shown
    assert "/brief search" in shown  # help for the unknown sub-command
