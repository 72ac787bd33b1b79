"""Slash commands: ``/ask``, ``/brief`` and ``/digest``. Each acks at once, then works."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackClientError

from bot.slack_app._services import SlackServices
from bot.slack_app.blocks import (
    answer_message,
    brief_detail_message,
    brief_list_message,
    digest_message,
    notice,
    search_message,
    subscriptions_message,
)
from bot.slack_app.listeners._common import (
    acked,
    admin_actor,
    ephemeral,
    parse_id,
    plain_actor,
    question_text,
    team_of,
)
from briefs.digest.chart import balance_chart
from briefs.digest.ports import (
    CADENCES,
    ChannelUnavailableError,
    InvalidSubscriptionError,
    NewSubscription,
    Subscription,
    SubscriptionNotFoundError,
    SubscriptionRepository,
)
from briefs.errors import UserError
from briefs.models import SourceType
from briefs.services.ask import INDEPENDENT_EXCLUDES

__all__ = ["parse_subscribe", "register", "split_sources"]

log = logging.getLogger(__name__)

PER_PAGE = 20
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

ASK_HELP = (
    "Ask a question about Russia–Iran relations, "
    "e.g. `/ask What did Russia and Iran agree on energy?` — add `sources:independent` "
    "to leave out state media and government sources."
)
BRIEF_HELP = (
    "`/brief search <words>` · `/brief show <id>` · `/brief list [page]` · "
    "`/brief delete <id>` · `/brief restore <id>` (delete/restore: admins only)"
)
DIGEST_HELP = (
    "`/digest now [day|week|month] [track …]` · "
    "`/digest subscribe [daily|weekly|monthly] [HH:MM] [mon…sun|day=N|day=last] "
    "[Area/City] [tracks=a,b] [quiet]` · `/digest list` · `/digest pause <id>` · "
    "`/digest resume <id>` · `/digest remove <id>` (subscribe/pause/resume/remove: admins only)"
)


def register(bolt: AsyncApp, services: SlackServices) -> None:
    @bolt.command("/ask")
    async def ask_command(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        await acked(ack, respond, lambda: _ask(services, command, context, respond), what="/ask")

    @bolt.command("/brief")
    async def brief_command(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        await acked(
            ack, respond, lambda: _brief(services, command, context, respond), what="/brief"
        )

    @bolt.command("/digest")
    async def digest_command(
        ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
    ) -> None:
        await acked(
            ack, respond, lambda: _digest(services, command, context, respond), what="/digest"
        )


# --------------------------------------------------------------------------- /ask


def split_sources(text: str) -> tuple[str, frozenset[SourceType]]:
    """`… sources:independent` at the end → (question, state media + government excluded)."""
    head, _, last = text.rpartition(" ")
    token = last.lower()
    if not token.startswith("sources:"):
        return text, frozenset()
    value = token.removeprefix("sources:")
    if value == "independent":
        return head.strip(), INDEPENDENT_EXCLUDES
    if value == "all":
        return head.strip(), frozenset()
    raise UserError(f"Unknown `{last}`; use `sources:independent` or `sources:all`.")


async def _ask(
    services: SlackServices,
    command: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    question, exclude = split_sources(question_text(command.get("text")))
    if not question:
        await ephemeral(respond)(notice(ASK_HELP))
        return
    if exclude:
        answer = await services.app.ask.ask(question, plain_actor(context), exclude=exclude)
    else:
        answer = await services.app.ask.ask(question, plain_actor(context))
    if answer.question_id is not None:
        services.answers.put(answer.question_id, answer)
    share = json.dumps({"q": answer.question_id, "t": question[:1500]}, ensure_ascii=False)
    message = answer_message(answer, shareable=True, share_value=share)
    await ephemeral(respond)(message)


# --------------------------------------------------------------------------- /brief


async def _brief(
    services: SlackServices,
    command: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    reply = ephemeral(respond)
    sub, _, rest = question_text(command.get("text")).partition(" ")
    sub, rest = sub.lower(), rest.strip()
    catalog = services.app.catalog
    if sub == "search":
        if not rest:
            raise UserError("What should I search for? e.g. `/brief search Bushehr`")
        await reply(search_message(rest, await catalog.search(rest, limit=10)))
    elif sub == "show":
        detail = await catalog.show(parse_id(rest))
        await reply(
            brief_detail_message(
                detail.brief,
                detail.body,
                passages=detail.passages,
                dyad_sentences=detail.dyad_sentences,
                label_counts=detail.label_counts,
            )
        )
    elif sub == "list":
        page = parse_id(rest, "page") if rest else 1
        page = max(page, 1)
        briefs = await catalog.list(limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        await reply(brief_list_message(briefs, page=page, per_page=PER_PAGE))
    elif sub in ("delete", "restore"):
        actor = await admin_actor(services, context, f"{sub} briefs")
        brief_id = parse_id(rest)
        if sub == "delete":
            brief = await catalog.delete(brief_id, actor)
            text = (
                f"Deleted brief #{brief.id} “{brief.title}”. Undo with `/brief restore {brief.id}`."
            )
        else:
            brief = await catalog.restore(brief_id, actor)
            text = f"Restored brief #{brief.id} “{brief.title}”."
        await reply(notice(text, emoji=":white_check_mark:"))
    else:
        await reply(notice(BRIEF_HELP))


# --------------------------------------------------------------------------- /digest


def parse_subscribe(
    args: list[str], *, workspace: str, channel: str, created_by: str, default_tz: str
) -> NewSubscription:
    """``weekly 08:30 mon Europe/Berlin tracks=military,energy_economy quiet``."""
    cadence, at, tz = "weekly", "08:00", default_tz
    weekday: int | None = None
    dom: int | None = None
    tracks: tuple[str, ...] | None = None
    quiet = False
    for raw in args:
        word = raw.strip()
        low = word.lower()
        if low in CADENCES:
            cadence = low
        elif ":" in word and word.replace(":", "").isdigit():
            at = word
        elif low[:3] in WEEKDAYS and low in (low[:3], _long_day(low[:3])):
            weekday = WEEKDAYS.index(low[:3])
        elif low.startswith("day="):
            value = low.removeprefix("day=")
            if value == "last":
                dom = -1
            elif value.isdigit():
                dom = int(value)
            else:
                raise InvalidSubscriptionError(f"'{word}': use day=1 … day=28 or day=last")
        elif low.startswith("tracks="):
            tracks = tuple(t for t in low.removeprefix("tracks=").split(",") if t) or None
        elif low == "quiet":
            quiet = True
        elif "/" in word or word.upper() == "UTC":
            tz = word
        else:
            raise InvalidSubscriptionError(f"I don't understand '{word}'. {DIGEST_HELP}")
    if cadence == "weekly" and weekday is None:
        weekday = 0
    if cadence == "monthly" and dom is None:
        dom = 1
    return NewSubscription(
        platform="slack",
        workspace=workspace,
        channel=channel,
        cadence=cadence,
        at=at,
        weekday=weekday if cadence == "weekly" else None,
        day_of_month=dom if cadence == "monthly" else None,
        timezone=tz,
        tracks=tracks,
        quiet=quiet,
        created_by=created_by,
    )


def _long_day(short: str) -> str:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return names[WEEKDAYS.index(short)]


def _subscriptions(services: SlackServices) -> SubscriptionRepository:
    if services.subscriptions is None:
        raise UserError("Digest subscriptions are not available in this setup.")
    return services.subscriptions


async def _owned(services: SlackServices, team: str, raw: str) -> Subscription:
    subscriptions = _subscriptions(services)
    sub_id = parse_id(raw, "subscription")
    sub = await subscriptions.get(sub_id)
    if sub is None or sub.platform != "slack" or sub.workspace != team:
        raise SubscriptionNotFoundError(f"There is no digest subscription #{sub_id} here.")
    return sub


async def _changed(services: SlackServices) -> None:
    if services.on_subscriptions_changed is not None:
        try:
            await services.on_subscriptions_changed()
        except Exception:
            log.exception("reloading the digest scheduler failed")


async def _digest(
    services: SlackServices,
    command: dict[str, Any],
    context: AsyncBoltContext,
    respond: AsyncRespond,
) -> None:
    reply = ephemeral(respond)
    words = question_text(command.get("text")).split()
    sub = words[0].lower() if words else ""
    args = words[1:]
    team = team_of(context)
    channel = str(command.get("channel_id") or "")
    admin_actions = {
        "subscribe": "subscribe channels to digests",
        "pause": "pause digest subscriptions",
        "resume": "resume digest subscriptions",
        "remove": "remove digest subscriptions",
    }
    if sub in admin_actions:
        actor = await admin_actor(services, context, admin_actions[sub])
        subscriptions = _subscriptions(services)
        if sub == "subscribe":
            new = parse_subscribe(
                args,
                workspace=team,
                channel=channel,
                created_by=actor.id,
                default_tz=services.app.settings.timezone,
            )
            created = await subscriptions.create(new)
            await _changed(services)
            text = (
                f"Subscribed this channel: {created.describe()}. "
                "Make sure I am a member of the channel (`/invite @briefbot`)."
            )
        else:
            if not args:
                raise UserError(f"Which subscription? e.g. `/digest {sub} 3`")
            target = await _owned(services, team, args[0])
            if sub == "pause":
                await subscriptions.pause(target.id)
                text = f"Paused digest subscription #{target.id}."
            elif sub == "resume":
                await subscriptions.resume(target.id)
                text = f"Resumed digest subscription #{target.id}."
            else:
                await subscriptions.remove(target.id)
                text = f"Removed digest subscription #{target.id}."
            await _changed(services)
        await reply(notice(text, emoji=":white_check_mark:"))
    elif sub == "list":
        subs = await _subscriptions(services).list(platform="slack", workspace=team)
        await reply(subscriptions_message(subs))
    elif sub == "now":
        await _digest_now(services, args, channel, respond, team)
    else:
        await reply(notice(DIGEST_HELP))


async def _digest_now(
    services: SlackServices, args: list[str], channel: str, respond: AsyncRespond, team: str
) -> None:
    digests = services.digests
    if digests is None:
        raise UserError("Digests are not available in this setup.")
    kind = "week"
    tracks: list[str] = []
    for word in args:
        low = word.lower()
        if low in ("day", "daily", "week", "weekly", "month", "monthly"):
            kind = low
        else:
            tracks.extend(t for t in low.removeprefix("tracks=").split(",") if t)
    tz = services.app.settings.timezone
    digest = await digests.build(kind, tracks=tracks or None, tz=tz)
    history = await digests.history(kind, tracks=tracks or None, tz=tz)
    chart = await asyncio.to_thread(balance_chart, history.labels, history.balances)
    sink = services.sink
    if sink is not None and channel:
        try:
            await sink.post_to_channel(channel, digest, chart, team=team)
            await ephemeral(respond)(notice("Digest posted in this channel."))
            return
        except (SlackClientError, ChannelUnavailableError) as exc:  # not in it / not installed
            log.info("digest now: cannot post in %s (%s); answering privately", channel, exc)
    message = digest_message(digest)
    hint = notice("Invite me to this channel (`/invite @briefbot`) to post digests with a chart.")
    await ephemeral(respond)(type(message)(message.blocks[:49] + hint.blocks[:1], message.text))
