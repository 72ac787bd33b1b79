"""Publication dates: front matter > page metadata > dates in the text > upload time."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from briefs.errors import UnreadableFileError
from briefs.models import DateOrigin

__all__ = [
    "DatedBy",
    "choose_published",
    "dates_in_text",
    "parse_front_matter_date",
    "parse_metadata_date",
]

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PATTERNS = (
    re.compile(rf"\b{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I),
    # Dated URL paths: /2016/04/13/ or /2016-04-13-
    re.compile(rf"/{_YEAR}/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)(?:/|\b)"),
)
# "in August 2016": no day, so the first of the month stands in.
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.I)
_EARLIEST_PLAUSIBLE = dt.date(1900, 1, 1)


@dataclass(frozen=True, slots=True)
class DatedBy:
    published: dt.date
    origin: DateOrigin


def _month_number(token: str) -> int:
    return int(token) if token.isdigit() else _MONTHS[token.lower().rstrip(".")]


def _safe_date(year: str, month: str, day: str | None) -> dt.date | None:
    try:
        return dt.date(int(year), _month_number(month), int(day) if day else 1)
    except ValueError:
        return None


def dates_in_text(text: str, *, today: dt.date) -> list[dt.date]:
    """Plausible calendar dates mentioned in `text` (never a bare year), none after `today`."""
    found: set[dt.date] = set()
    full_date_ends: set[int] = set()
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            full_date_ends.add(match.end())
            date = _safe_date(match["year"], match["month"], match["day"])
            if date is not None:
                found.add(date)
    for match in _MONTH_YEAR.finditer(text):
        if match.end() in full_date_ends:  # the tail of "22 August 2016", not a month
            continue
        date = _safe_date(match["year"], match["month"], None)
        if date is not None:
            found.add(date)
    return sorted(d for d in found if _EARLIEST_PLAUSIBLE <= d <= today)


def parse_front_matter_date(value: object) -> dt.date:
    """A front-matter `date:` value; anything that is not a real date is the user's to fix."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _PATTERNS[1:3]:
        match = pattern.fullmatch(text)
        date = match and _safe_date(match["year"], match["month"], match["day"])
        if date:
            return date
    raise UnreadableFileError(f"front matter date '{text}' is not a date (use YYYY-MM-DD)")


def parse_metadata_date(value: object, *, today: dt.date) -> dt.date | None:
    """A date from page/PDF metadata, or None when missing, unreadable or in the future."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    else:
        try:
            date = dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            return None
    return date if _EARLIEST_PLAUSIBLE <= date <= today else None


def choose_published(
    *,
    front_matter: dt.date | None,
    metadata: dt.date | None,
    text: str,
    now: dt.datetime,
) -> DatedBy:
    """The best publication date and where it came from."""
    if front_matter is not None:
        return DatedBy(front_matter, DateOrigin.FRONT_MATTER)
    if metadata is not None:
        return DatedBy(metadata, DateOrigin.PAGE_METADATA)
    today = now.date()
    in_text = dates_in_text(text, today=today)
    if in_text:
        return DatedBy(in_text[-1], DateOrigin.TEXT)
    return DatedBy(today, DateOrigin.UPLOAD)
