"""Events: ``app_mention`` and DMs (questions, answered in a thread), file shares (uploads).

Uploads: the uploader must be an admin (checked first: a non-admin's file is never
downloaded), the type and size are checked from the event metadata before the download, the
file is fetched from ``url_private_download`` with the bot token, parsed and previewed with
Confirm / Cancel buttons; nothing is stored until an admin confirms (see ``actions``).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app._services import SlackServices, guarded
from bot.slack_app.blocks import Message, answer_message, notice, preview_message
from bot.slack_app.listeners._common import (
    Reply,
    admin_actor,
    plain_actor,
    question_text,
    team_of,
)
from briefs.errors import PermissionDeniedError, UnreadableFileError, UserError

__all__ = ["UPLOAD_REFUSAL", "register"]

log = logging.getLogger(__name__)

UPLOAD_REFUSAL = "Only admins can add briefs; your file was not read. Ask an admin to upload it."
MENTION_HELP = "Ask me about Russia–Iran relations, e.g. “@briefbot what did they agree on energy?”"


def register(bolt: AsyncApp, services: SlackServices) -> None:
    @bolt.event("app_mention")
    async def on_mention(
        event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        channel = str(event.get("channel") or "")
        user = str(event.get("user") or "")
        thread = event.get("thread_ts")

        async def reply(message: Message) -> None:
            await client.chat_postEphemeral(
                channel=channel, user=user, thread_ts=thread, **message.kwargs()
            )

        await _files_or_question(services, context, client, event, reply, what="mention")

    @bolt.event("message")
    async def on_message(
        event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        subtype = event.get("subtype")
        if subtype not in (None, "file_share"):
            return
        channel = str(event.get("channel") or "")

        async def reply(message: Message) -> None:
            await client.chat_postMessage(
                channel=channel, thread_ts=event.get("thread_ts"), **message.kwargs()
            )

        await _files_or_question(services, context, client, event, reply, what="direct message")

    @bolt.event("file_shared")
    async def on_file_shared(
        event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        channel = str(event.get("channel_id") or "")
        file_id = str(event.get("file_id") or (event.get("file") or {}).get("id") or "")
        if not channel.startswith("D") or not file_id:
            return  # uploads are taken in DMs with the bot (or by mentioning it with a file)

        async def reply(message: Message) -> None:
            await client.chat_postMessage(channel=channel, **message.kwargs())

        await guarded(
            reply, _uploads(services, context, [{"id": file_id}], reply), what="file share"
        )


async def _files_or_question(
    services: SlackServices,
    context: AsyncBoltContext,
    client: AsyncWebClient,
    event: dict[str, Any],
    reply: Reply,
    *,
    what: str,
) -> None:
    """A message with files is an upload; any other is a question (answered in its thread)."""
    if event.get("files"):
        await guarded(reply, _uploads(services, context, event["files"], reply), what="file share")
        return
    await guarded(reply, _answer(services, context, client, event), what=what)


# --------------------------------------------------------------------------- questions


async def _thread_context(
    services: SlackServices, client: AsyncWebClient, key: tuple[str, str, str], bot_user: str
) -> str | None:
    """The thread's earlier question: remembered, or read back from the thread's first post."""
    remembered = services.threads.get(key)
    if remembered:
        return remembered
    _, channel, root = key
    try:
        resp = await client.conversations_replies(channel=channel, ts=root, limit=1)
    except (SlackApiError, SlackClientError) as exc:
        log.info("no thread context for %s/%s: %s", channel, root, exc)
        return None
    messages = resp.get("messages") or []
    if not messages:
        return None
    first = messages[0]
    if first.get("bot_id") or (bot_user and first.get("user") == bot_user):
        return None
    return question_text(first.get("text")) or None


async def _answer(
    services: SlackServices,
    context: AsyncBoltContext,
    client: AsyncWebClient,
    event: dict[str, Any],
) -> None:
    channel = str(event.get("channel") or "")
    question = question_text(event.get("text"))
    thread = event.get("thread_ts")
    root = str(thread or event.get("ts") or "")
    if not question:
        await client.chat_postMessage(
            channel=channel, thread_ts=root, **notice(MENTION_HELP).kwargs()
        )
        return
    key = (team_of(context), channel, root)
    earlier = (
        await _thread_context(services, client, key, context.bot_user_id or "") if thread else None
    )
    answer = await services.app.ask.ask(question, plain_actor(context), context=earlier)
    services.threads.put(key, question)
    if answer.question_id is not None:
        services.answers.put(answer.question_id, answer)
    message = answer_message(answer, shareable=False)
    await client.chat_postMessage(
        channel=channel, thread_ts=root, unfurl_links=False, unfurl_media=False, **message.kwargs()
    )


# --------------------------------------------------------------------------- uploads


async def _file_metadata(client: AsyncWebClient, file: dict[str, Any]) -> dict[str, Any]:
    """Event payloads may carry only the file id: read the metadata (not the content)."""
    if file.get("name") and file.get("size") is not None and file.get("url_private_download"):
        return file
    file_id = file.get("id")
    if not file_id:
        raise UnreadableFileError("Slack did not say which file was shared.")
    resp = await client.files_info(file=str(file_id))
    info = resp.get("file")
    if not isinstance(info, dict):
        raise UnreadableFileError("Slack did not return the file's details.")
    return info


async def _uploads(
    services: SlackServices,
    context: AsyncBoltContext,
    files: list[dict[str, Any]],
    reply: Reply,
) -> None:
    team = team_of(context)
    fresh = [f for f in files if await services.dedupe.claim(f"file:{team}:{f.get('id') or id(f)}")]
    if not fresh:
        return  # the same share already arrived as another event (message / file_shared)
    try:
        actor = await admin_actor(services, context, "add briefs")
    except PermissionDeniedError:
        await reply(notice(UPLOAD_REFUSAL, emoji=":no_entry:"))
        return
    client = context.client
    assert client is not None
    ingest = services.app.ingest
    for raw in fresh:
        try:
            file = await _file_metadata(client, raw)
            name = str(file.get("name") or file.get("title") or "")
            if file.get("mode") in ("external", "hidden_by_limit", "tombstone"):
                raise UnreadableFileError(f"I can't read '{name or 'that file'}' from Slack.")
            ingest.check_upload(name, int(file.get("size") or 0))  # before any download
            url = file.get("url_private_download") or file.get("url_private")
            if not url:
                raise UnreadableFileError(f"Slack gave no download link for '{name}'.")
            data = await services.downloader.fetch(
                str(url), name, ingest.max_bytes, token=context.bot_token or context.token
            )
            prepared = await ingest.prepare(name, data, actor)
        except UserError as exc:
            await reply(notice(exc.message, emoji=":warning:"))
            continue
        if prepared.status == "duplicate":
            await reply(preview_message(prepared, name, None))
            continue
        token = await services.previews.add(prepared, actor.id, name)
        await reply(
            preview_message(
                prepared, name, token, expires_minutes=int(services.previews.ttl_s // 60)
            )
        )
