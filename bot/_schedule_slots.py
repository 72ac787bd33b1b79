"""Digest slots: the ``CronTrigger`` of a subscription and the slot times it fires at.

A slot is a trigger time in aware UTC. ``slots_between`` drops the repeated wall-clock time
of an autumn DST fall-back for daily/weekly/monthly cadences; ``latest_slot`` finds the most
recent slot in a look-back window; ``window_for_slot`` is the digest window a slot reports on.
Re-exported by ``bot.scheduler``.
"""

from __future__ import annotations

import datetime as dt

from apscheduler.triggers.cron import CronTrigger

from briefs.digest.ports import InvalidSubscriptionError, Subscription, parse_at
from briefs.digest.windows import Window, WindowKind, make_window, zone

__all__ = ["latest_slot", "slots_between", "trigger_for", "window_for_slot"]

_CRON_DOW = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _cron_dow(field: str) -> str:
    """Crontab weekday numbers (0/7 = Sunday) → APScheduler names (APScheduler 3: 0 = Monday)."""
    out = []
    for part in field.split(","):
        step = ""
        if "/" in part:
            part, step = part.split("/", 1)
            step = "/" + step
        bounds = part.split("-")
        if all(b.isdigit() for b in bounds):
            part = "-".join(_CRON_DOW[int(b) % 8] for b in bounds)
        out.append(part + step)
    return ",".join(out)


def trigger_for(sub: Subscription) -> CronTrigger:
    """The ``CronTrigger`` (in the subscription's timezone) that fires its digests."""
    tz = zone(sub.timezone)
    if sub.cadence in ("daily", "weekly", "monthly"):
        hour, minute = parse_at(sub.at)
        if sub.cadence == "daily":
            return CronTrigger(hour=hour, minute=minute, timezone=tz)
        if sub.cadence == "weekly":
            weekday = sub.weekday if sub.weekday is not None else 0
            return CronTrigger(day_of_week=weekday, hour=hour, minute=minute, timezone=tz)
        dom = sub.day_of_month if sub.day_of_month is not None else 1
        day: int | str = "last" if dom == -1 else dom
        return CronTrigger(day=day, hour=hour, minute=minute, timezone=tz)
    fields = sub.cadence.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise InvalidSubscriptionError(f"bad cron expression '{sub.cadence}'")
    second, minute_f, hour_f, day_f, month_f, dow_f = fields
    try:
        return CronTrigger(
            second=second,
            minute=minute_f,
            hour=hour_f,
            day=day_f,
            month=month_f,
            day_of_week=_cron_dow(dow_f),
            timezone=tz,
        )
    except ValueError as exc:
        raise InvalidSubscriptionError(f"bad cron expression '{sub.cadence}': {exc}") from None


def _next(trigger: CronTrigger, after: dt.datetime) -> dt.datetime | None:
    """First fire time >= ``after`` (aware UTC)."""
    value = trigger.get_next_fire_time(None, after)
    return None if value is None else value.astimezone(dt.UTC)


def _repeated_wall_time(slot: dt.datetime, tz: dt.tzinfo) -> bool:
    """True for the second occurrence of an ambiguous local time (autumn DST fall-back)."""
    local = slot.astimezone(tz)
    if local.fold != 1:
        return False
    naive = local.replace(tzinfo=None)
    first = naive.replace(tzinfo=tz, fold=0)
    return first.utcoffset() != local.utcoffset()


def slots_between(
    sub: Subscription | CronTrigger, start: dt.datetime, end: dt.datetime
) -> list[dt.datetime]:
    """All slots with ``start < slot <= end`` (aware UTC).

    APScheduler 3.11 fires a wall-clock time twice when the clocks go back (02:30 exists twice
    on the last Sunday of October in Europe); for daily/weekly/monthly cadences the second
    occurrence is dropped, so a digest goes out once, at the first 02:30.
    """
    if isinstance(sub, CronTrigger):
        trigger, dedupe = sub, False
    else:
        trigger, dedupe = trigger_for(sub), sub.cadence in ("daily", "weekly", "monthly")
    tz = trigger.timezone
    out: list[dt.datetime] = []
    t = _next(trigger, start + dt.timedelta(seconds=1))
    while t is not None and t <= end:
        if not (dedupe and _repeated_wall_time(t, tz)):
            out.append(t)
        t = _next(trigger, t + dt.timedelta(seconds=1))
    return out


def latest_slot(
    sub: Subscription | CronTrigger, now: dt.datetime, lookback: dt.timedelta
) -> dt.datetime | None:
    """The most recent slot in ``(now - lookback, now]``, or None."""
    spans = sorted({min(s, lookback) for s in (dt.timedelta(minutes=2), dt.timedelta(hours=2))})
    spans.append(lookback)
    for span in spans:
        found = slots_between(sub, now - span, now)
        if found:
            return found[-1]
    return None


def window_for_slot(sub: Subscription, slot: dt.datetime) -> Window:
    """The digest window a slot reports on: the day/week/month ending at the slot's local date."""
    local = slot.astimezone(zone(sub.timezone)).date()
    kind = {"daily": WindowKind.DAY, "weekly": WindowKind.WEEK, "monthly": WindowKind.MONTH}.get(
        sub.cadence
    )
    if kind is None:
        previous = latest_slot(sub, slot - dt.timedelta(seconds=1), dt.timedelta(days=62))
        gap = (slot - previous) if previous is not None else dt.timedelta(days=1)
        if gap <= dt.timedelta(days=1):
            kind = WindowKind.DAY
        elif gap <= dt.timedelta(days=7):
            kind = WindowKind.WEEK
        else:
            kind = WindowKind.MONTH
    return make_window(kind, local, sub.timezone)
