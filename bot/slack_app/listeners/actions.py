"""Buttons: 👍/👎 feedback, "Share in channel", and the admin-only upload Confirm / Cancel."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app._services import SlackServices, guarded
from bot.slack_app.blocks import answer_message, notice
from bot.slack_app.listeners._common import acked, admin_actor, ephemeral, plain_actor
from briefs.errors import UserError

__all__ = ["EXPIRED", "register"]

log = logging.getLogger(__name__)

EXPIRED = (
    "This preview has expired (previews last 15 minutes) or was already handled; "
    "nothing was stored. Share the file again."
)


def register(bolt: AsyncApp, services: SlackServices) -> None:
    async def vote(
        ack: AsyncAck,
        action: dict[str, Any],
        respond: AsyncRespond,
        context: AsyncBoltContext,
        sign: int,
    ) -> None:
        await ack()
        reply = ephemeral(respond)

        async def work() -> None:
            try:
                question_id = int(action.get("value") or "")
            except ValueError:
                raise UserError("That answer can no longer receive feedback.") from None
            await services.app.ask.feedback(question_id, plain_actor(context), sign)
            await reply(notice("Thanks for the feedback." if sign > 0 else "Thanks — noted."))

        await guarded(reply, work(), what="feedback")

    @bolt.action("answer_vote_up")
    async def vote_up(
        ack: AsyncAck, action: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        await vote(ack, action, respond, context, +1)

    @bolt.action("answer_vote_down")
    async def vote_down(
        ack: AsyncAck, action: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        await vote(ack, action, respond, context, -1)

    @bolt.action("answer_share")
    async def share(
        ack: AsyncAck,
        action: dict[str, Any],
        body: dict[str, Any],
        respond: AsyncRespond,
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        await acked(
            ack,
            respond,
            lambda: _share(services, action, body, respond, context, client),
            what="share",
        )

    @bolt.action("upload_confirm")
    async def confirm(
        ack: AsyncAck, action: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        await acked(
            ack,
            respond,
            lambda: _confirm(services, action, respond, context),
            what="upload confirm",
        )

    @bolt.action("upload_cancel")
    async def cancel(
        ack: AsyncAck, action: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        await acked(
            ack, respond, lambda: _cancel(services, action, respond, context), what="upload cancel"
        )


async def _share(
    services: SlackServices,
    action: dict[str, Any],
    body: dict[str, Any],
    respond: AsyncRespond,
    context: AsyncBoltContext,
    client: AsyncWebClient,
) -> None:
    try:
        value = json.loads(action.get("value") or "{}")
        question_id = int(value["q"]) if value.get("q") is not None else None
        question = str(value.get("t") or "")
    except (ValueError, TypeError, KeyError):
        raise UserError("That answer can no longer be shared; ask again.") from None
    answer = services.answers.get(question_id) if question_id is not None else None
    if answer is None:  # forgotten (restart): answer again, without logging a new question
        if not question:
            raise UserError("That answer can no longer be shared; ask again.")
        answer = replace(await services.app.ask.answer(question), question_id=question_id)
    message = answer_message(answer, shared_by=context.user_id)
    channel = str((body.get("channel") or {}).get("id") or context.channel_id or "")
    try:
        await client.chat_postMessage(
            channel=channel, unfurl_links=False, unfurl_media=False, **message.kwargs()
        )
    except SlackApiError as exc:  # not in the channel: post through the response URL instead
        log.info("share via chat.postMessage failed (%s); using response_url", exc)
        await respond(response_type="in_channel", replace_original=False, **message.kwargs())


async def _confirm(
    services: SlackServices,
    action: dict[str, Any],
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    actor = await admin_actor(services, context, "store briefs")
    pending = await services.previews.pop(str(action.get("value") or ""))
    if pending is None:
        await ephemeral(respond, replace_original=True)(notice(EXPIRED))
        return
    force = pending.prepared.status == "near_duplicate"  # the admin saw the warning
    stored = await services.app.ingest.commit(pending.prepared, actor, force=force)
    text = f"Stored as brief #{stored.id} “{stored.title}”"
    if stored.supersedes_id is not None:
        text += f" (version {stored.version}, supersedes #{stored.supersedes_id})"
    await ephemeral(respond, replace_original=True)(notice(text + ".", emoji=":white_check_mark:"))


async def _cancel(
    services: SlackServices,
    action: dict[str, Any],
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    await admin_actor(services, context, "cancel uploads")
    pending = await services.previews.pop(str(action.get("value") or ""))
    name = f" of '{pending.filename}'" if pending else ""
    await ephemeral(respond, replace_original=True)(
        notice(f"Upload{name} cancelled; nothing was stored.")
    )
