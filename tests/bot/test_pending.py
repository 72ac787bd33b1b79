"""Pending uploads as JSON: a `PreparedBrief` round-trips exactly, and expires."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot._pending import PendingUploads, prepared_from_dict, prepared_to_dict
from briefs.models import Brief, DocumentBalance
from briefs.services.ingest import PreparedBrief
from storage import Database
from storage.chat_state import ChatState
from tests.factories import make_new_brief, make_sentence


def _prepared() -> PreparedBrief:
    brief = make_new_brief(
        sentences=(
            make_sentence(0, "Moscow and Tehran signed a deal."),
            make_sentence(1, "They argued about prices.", label="tension", score=-3.5),
        ),
        tags=("energy", "caspian"),
        balance=DocumentBalance(0.25, ("energy",), ("sanctions",)),
        version=2,
        supersedes_id=7,
    )
    related = Brief(
        id=7,
        title="Older <@123> brief",
        original_filename="old.md",
        source_url=None,
        outlet=None,
        published=dt.date(2023, 5, 1),
        date_origin=brief.date_origin,
        ingested_at=dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=dt.UTC),
        uploaded_by="slack:T1/U1",
        content_hash="abc",
        version=1,
        supersedes_id=None,
        deleted=False,
        minhash=(1, 2, 3),
    )
    return PreparedBrief(brief, "new_version", related, 0.91)


def test_prepared_brief_round_trips_through_json() -> None:
    prepared = _prepared()
    data = json.loads(json.dumps(prepared_to_dict(prepared)))
    back = prepared_from_dict(data)
    assert back == prepared
    assert isinstance(back.brief.minhash, tuple)
    assert back.brief.sentences[1].label == "tension"
    assert back.related is not None
    assert back.related.ingested_at.tzinfo is not None


def test_unknown_format_is_refused() -> None:
    data = prepared_to_dict(_prepared()) | {"format": 99}
    with pytest.raises(ValueError, match="format"):
        prepared_from_dict(data)


async def test_pending_uploads_expire_and_are_per_platform(database: Database) -> None:
    now = [dt.datetime(2025, 1, 1, tzinfo=dt.UTC)]
    state = ChatState(database.engine)
    slack = PendingUploads(state.uploads, "slack", clock=lambda: now[0])
    discord = PendingUploads(state.uploads, "discord", clock=lambda: now[0])
    token = await slack.add(_prepared(), "slack:T1/U1", "new.md")
    assert (await discord.count(), await slack.count()) == (0, 1)
    assert await discord.get(token) is None
    pending = await slack.get(token)
    assert pending is not None
    assert (pending.filename, pending.uploader) == ("new.md", "slack:T1/U1")
    assert (pending.prepared.status, pending.prepared.similarity) == ("new_version", 0.91)
    assert len(pending.prepared.brief.sentences) == 2
    now[0] += dt.timedelta(minutes=15, seconds=1)
    assert await slack.get(token) is None
    assert await slack.pop(token) is None
