from __future__ import annotations

import datetime as dt

import pytest

from briefs.errors import UnreadableFileError, UserError
from briefs.ingestion.dates import (
    choose_published,
    dates_in_text,
    parse_front_matter_date,
    parse_metadata_date,
)
from briefs.models import DateOrigin

NOW = dt.datetime(2024, 6, 1, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Signed on August 22, 2016 in Moscow.", dt.date(2016, 8, 22)),
        ("Signed on Aug. 22nd, 2016 in Moscow.", dt.date(2016, 8, 22)),
        ("Signed on 22 August 2016 in Moscow.", dt.date(2016, 8, 22)),
        ("Signed on 22nd of August, 2016.", dt.date(2016, 8, 22)),
        ("Signed 2016-08-22.", dt.date(2016, 8, 22)),
        ("Talks resumed in August 2016.", dt.date(2016, 8, 1)),
        ("See http://example.com/blog/2016/04/13/story/", dt.date(2016, 4, 13)),
    ],
)
def test_dates_in_text(text: str, expected: dt.date) -> None:
    assert dates_in_text(text, today=TODAY) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Ties have been tense since 1979.",
        "In 2022, a drone deal was alleged.",
        "Israel struck on Wednesday May 9th.",
        "Talks resume on 2016-13-45, or 31 February 2016.",
        "The forecast for March 2030 is grim.",  # in the future relative to now
        "The treaty of 12 June 1813 is old.",  # implausibly old for a publication date
    ],
)
def test_no_publication_date_in(text: str) -> None:
    assert dates_in_text(text, today=TODAY) == []


def test_latest_plausible_date_wins() -> None:
    text = "After talks on 3 March 2015 and a deal in July 2015, the summit of May 5, 2031 looms."
    chosen = choose_published(front_matter=None, metadata=None, text=text, now=NOW)
    assert (chosen.published, chosen.origin) == (dt.date(2015, 7, 1), DateOrigin.TEXT)


def test_priority_front_matter_then_metadata_then_text_then_upload() -> None:
    text = "It happened on 1 May 2020."
    fm, meta = dt.date(2021, 1, 1), dt.date(2022, 2, 2)
    assert choose_published(front_matter=fm, metadata=meta, text=text, now=NOW).origin is (
        DateOrigin.FRONT_MATTER
    )
    by_meta = choose_published(front_matter=None, metadata=meta, text=text, now=NOW)
    assert (by_meta.published, by_meta.origin) == (meta, DateOrigin.PAGE_METADATA)
    by_text = choose_published(front_matter=None, metadata=None, text=text, now=NOW)
    assert (by_text.published, by_text.origin) == (dt.date(2020, 5, 1), DateOrigin.TEXT)
    upload = choose_published(front_matter=None, metadata=None, text="No dates.", now=NOW)
    assert (upload.published, upload.origin) == (TODAY, DateOrigin.UPLOAD)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-08-22", dt.date(2016, 8, 22)),
        ("2016-08-22T10:00:00Z", dt.date(2016, 8, 22)),
        ("August 22, 2016", dt.date(2016, 8, 22)),
        ("22 Aug 2016", dt.date(2016, 8, 22)),
        (dt.date(2016, 8, 22), dt.date(2016, 8, 22)),
    ],
)
def test_front_matter_dates(value: object, expected: dt.date) -> None:
    assert parse_front_matter_date(value) == expected


@pytest.mark.parametrize("value", ["2016-13-45", "yesterday", "22/08/2016", ""])
def test_malformed_front_matter_date_is_a_user_error(value: str) -> None:
    with pytest.raises(UnreadableFileError) as caught:
        parse_front_matter_date(value)
    assert isinstance(caught.value, UserError)
    assert caught.value.message == f"front matter date '{value}' is not a date (use YYYY-MM-DD)"


def test_metadata_dates_in_the_future_or_unreadable_are_ignored() -> None:
    assert parse_metadata_date("2024-05-31", today=TODAY) == dt.date(2024, 5, 31)
    assert parse_metadata_date(dt.datetime(2020, 1, 2, 3, 4), today=TODAY) == dt.date(2020, 1, 2)
    assert parse_metadata_date("2025-01-01", today=TODAY) is None
    assert parse_metadata_date("not a date", today=TODAY) is None
    assert parse_metadata_date(None, today=TODAY) is None
