"""Digest windows: a day, a week, a month or an explicit date range, in an IANA timezone.

A window is a half-open range of *local calendar dates* ``[start, end)``. Brief publication
dates are plain dates, so they are compared with ``start``/``end`` directly; ingestion
timestamps (aware UTC) are compared with the window's local midnights converted to UTC,
which are DST-correct because they come from :mod:`zoneinfo`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta

from briefs.errors import UserError

__all__ = [
    "InvalidWindowError",
    "Window",
    "WindowKind",
    "explicit_window",
    "local_today",
    "make_window",
    "parse_kind",
    "previous_window",
    "trailing_windows",
    "zone",
]


class InvalidWindowError(UserError):
    """Unknown window kind, empty range or unknown timezone."""


class WindowKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    EXPLICIT = "explicit"


_ALIASES = {
    "day": WindowKind.DAY,
    "daily": WindowKind.DAY,
    "week": WindowKind.WEEK,
    "weekly": WindowKind.WEEK,
    "month": WindowKind.MONTH,
    "monthly": WindowKind.MONTH,
}


def parse_kind(value: str) -> WindowKind:
    """``day|week|month`` (or ``daily|weekly|monthly``)."""
    try:
        return _ALIASES[value.strip().lower()]
    except KeyError:
        raise InvalidWindowError(
            f"unknown window '{value}': use day, week or month (or --start/--end dates)"
        ) from None


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidWindowError(
            f"'{name}' is not an IANA timezone such as Europe/Berlin"
        ) from None


@dataclass(frozen=True, slots=True)
class Window:
    """Local dates ``[start, end)`` in timezone ``tz``."""

    kind: WindowKind
    start: dt.date
    end: dt.date  # exclusive
    tz: str = "UTC"

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidWindowError(f"empty window {self.start} .. {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> dt.date:
        """The last date inside the window (``end`` is exclusive)."""
        return self.end - dt.timedelta(days=1)

    @property
    def start_utc(self) -> dt.datetime:
        return _local_midnight_utc(self.start, self.tz)

    @property
    def end_utc(self) -> dt.datetime:
        return _local_midnight_utc(self.end, self.tz)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def contains_instant(self, instant: dt.datetime) -> bool:
        return self.start_utc <= instant < self.end_utc

    @property
    def label(self) -> str:
        if self.kind is WindowKind.DAY:
            return self.start.isoformat()
        if (
            self.kind is WindowKind.MONTH
            and self.start.day == 1
            and self.end == (self.start + relativedelta(months=1))
        ):
            return self.start.strftime("%B %Y")
        return f"{self.start.isoformat()} – {self.last_day.isoformat()}"

    def to_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind.value,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "tz": self.tz,
            "label": self.label,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Window:
        return cls(
            WindowKind(data["kind"]),
            dt.date.fromisoformat(data["start"]),
            dt.date.fromisoformat(data["end"]),
            data.get("tz", "UTC"),
        )


def _local_midnight_utc(day: dt.date, tz: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone(tz)).astimezone(dt.UTC)


def local_today(now_utc: dt.datetime, tz: str) -> dt.date:
    """The local calendar date of an aware instant in ``tz``."""
    if now_utc.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now_utc.astimezone(zone(tz)).date()


def make_window(kind: WindowKind | str, end: dt.date, tz: str = "UTC") -> Window:
    """The window of ``kind`` that ends (exclusively) at local date ``end``.

    day → ``[end-1, end)``; week → ``[end-7, end)``; month → ``[end - 1 month, end)``, so a
    digest published on the 1st covers exactly the previous calendar month and one published
    on a Monday covers the previous ISO week.
    """
    kind = parse_kind(kind) if isinstance(kind, str) else kind
    zone(tz)
    if kind is WindowKind.DAY:
        return Window(kind, end - dt.timedelta(days=1), end, tz)
    if kind is WindowKind.WEEK:
        return Window(kind, end - dt.timedelta(days=7), end, tz)
    if kind is WindowKind.MONTH:
        return Window(kind, end - relativedelta(months=1), end, tz)
    raise InvalidWindowError("an explicit window needs a start date")


def explicit_window(start: dt.date, end: dt.date, tz: str = "UTC") -> Window:
    zone(tz)
    return Window(WindowKind.EXPLICIT, start, end, tz)


def previous_window(window: Window) -> Window:
    """The window of equal length right before ``window`` (a calendar month for months)."""
    if window.kind is WindowKind.MONTH:
        return Window(window.kind, window.start - relativedelta(months=1), window.start, window.tz)
    return Window(
        window.kind, window.start - dt.timedelta(days=window.days), window.start, window.tz
    )


def trailing_windows(window: Window, count: int) -> list[Window]:
    """``count`` consecutive windows ending with ``window``, oldest first."""
    if count < 1:
        raise InvalidWindowError("count must be at least 1")
    out = [window]
    while len(out) < count:
        out.append(previous_window(out[-1]))
    out.reverse()
    return out
