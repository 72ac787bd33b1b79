"""Provenance in digests: evidence shares per track and the "one side's state media" flag."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from briefs.digest.model import Digest, Direction
from briefs.digest.render_text import digest_sections, render_json, render_markdown, render_plain
from briefs.digest.service import DigestService
from briefs.models import Brief, Provenance, SourceType
from tests.briefs.digest.digest_fakes import FakeCorpus, FakeDigests, FixedClock, brief, sentence

D = dt.date
END = D(2025, 1, 20)
RU_STATE = Provenance(SourceType.STATE_MEDIA, "RU")
IR_STATE = Provenance(SourceType.STATE_MEDIA, "IR")
WIRE = Provenance(SourceType.WIRE, "GB")


def sourced(b: Brief, provenance: Provenance) -> Brief:
    return dataclasses.replace(b, provenance=provenance)


@pytest.fixture
def service() -> DigestService:
    c = FakeCorpus()
    # previous week: nuclear cooperative (wire), military cooperative (wire)
    c.add(
        sourced(brief(1, D(2025, 1, 8), title="Bushehr fuel", outlet="Reuters"), WIRE),
        sentence(1, "Rosatom delivered fuel to Bushehr.", track="nuclear", sentence_id=11),
        sentence(1, "Russia backed Iran at the IAEA.", track="nuclear", sentence_id=12),
        sentence(1, "Moscow pledged new reactors to Tehran.", track="nuclear", sentence_id=13),
        sentence(1, "Navies of Russia and Iran drilled together.", sentence_id=14),
        sentence(1, "Moscow sold Tehran trainer jets.", sentence_id=15),
        sentence(1, "Russia and Iran signed a defence pact.", sentence_id=16),
    )
    # this week: nuclear tension, only from TASS; military tension from TASS and Reuters
    c.add(
        sourced(brief(2, D(2025, 1, 14), title="Bushehr row", outlet="TASS"), RU_STATE),
        sentence(
            2, "Moscow blamed Tehran for Bushehr delays.", "tension", "nuclear", sentence_id=21
        ),
        sentence(2, "Rosatom halted work over unpaid bills.", "tension", "nuclear", sentence_id=22),
        sentence(2, "Russia refused Iran new fuel terms.", "tension", "nuclear", sentence_id=23),
        sentence(2, "Russia delayed Su-35 deliveries to Iran.", "tension", sentence_id=24),
    )
    c.add(
        sourced(brief(3, D(2025, 1, 15), title="Jets delayed", outlet="Reuters"), WIRE),
        sentence(3, "Iran complained about missing Russian jets.", "tension", sentence_id=31),
        sentence(3, "Tehran cancelled a Russian arms order.", "tension", sentence_id=32),
    )
    return DigestService(c, ingested=c, digests=FakeDigests(), clock=FixedClock())


async def test_flag_when_a_move_rests_on_one_sides_state_media(service: DigestService) -> None:
    d = await service.build("week", END, tz="UTC")
    nuclear = d.track("nuclear")
    assert nuclear is not None
    assert nuclear.direction is Direction.DOWN
    assert nuclear.provenance == {"state_media": 3}
    assert nuclear.provenance_only == "Russian state media"
    assert nuclear.provenance_flag == "▼ nuclear — Russian state media only"
    military = d.track("military")
    assert military is not None
    assert military.direction is Direction.DOWN
    assert military.provenance == {"state_media": 1, "wire": 2}
    assert military.provenance_only is None
    assert military.provenance_flag is None
    assert military.provenance_text() == "wire service 67% · state media 33%"


async def test_markdown_shows_shares_and_the_flag(service: DigestService) -> None:
    d = await service.build("week", END, tz="UTC")
    md = render_markdown(d)
    assert "### Evidence by source type" in md
    assert "**▼ nuclear — Russian state media only**" in md
    assert "- Nuclear: state media 100%" in md
    assert "- Military: wire service 67% · state media 33%" in md
    assert "Bushehr row — TASS — Russian state media, 2025-01-14" in md
    assert "    ! ▼ nuclear — Russian state media only" in render_plain(d)
    sections = digest_sections(d)
    assert any(s.body.startswith("⚠ ▼ nuclear — Russian state media only") for s in sections)


async def test_json_carries_the_provenance_data(service: DigestService) -> None:
    d = await service.build("week", END, tz="UTC")
    data = json.loads(render_json(d))
    nuclear = next(t for t in data["tracks"] if t["track"] == "nuclear")
    assert nuclear["provenance"] == {"state_media": 3}
    assert nuclear["provenance_shares"] == {"state_media": 1.0}
    assert nuclear["provenance_flag"] == "▼ nuclear — Russian state media only"
    source = next(s for s in data["sources"] if s["brief_id"] == 2)
    assert (source["provenance_type"], source["provenance_country"]) == ("state_media", "RU")
    assert Digest.from_dict(data) == d


async def test_no_flag_when_both_sides_state_media_or_unmoved() -> None:
    c = FakeCorpus()
    c.add(
        sourced(brief(1, D(2025, 1, 8), outlet="IRNA"), IR_STATE),
        *(sentence(1, f"Cooperative sentence {i}.", track="nuclear") for i in range(3)),
    )
    c.add(
        sourced(brief(2, D(2025, 1, 14), outlet="IRNA"), IR_STATE),
        sentence(2, "Tension one.", "tension", "nuclear"),
        sentence(2, "Tension two.", "tension", "nuclear"),
    )
    c.add(
        sourced(brief(3, D(2025, 1, 15), outlet="TASS"), RU_STATE),
        sentence(3, "Tension three.", "tension", "nuclear"),
    )
    d = await DigestService(c, ingested=c, digests=FakeDigests(), clock=FixedClock()).build(
        "week", END, tz="UTC"
    )
    nuclear = d.track("nuclear")
    assert nuclear is not None
    assert nuclear.direction is Direction.DOWN
    assert nuclear.provenance == {"state_media": 3}
    assert nuclear.provenance_only is None  # Iranian and Russian: not one side
    assert "state media only" not in render_markdown(d)


async def test_unknown_provenance_adds_no_section() -> None:
    c = FakeCorpus()
    c.add(brief(1, D(2025, 1, 14)), sentence(1, "Russia and Iran signed a deal."))
    d = await DigestService(c, ingested=c, digests=FakeDigests(), clock=FixedClock()).build(
        "week", END, tz="UTC"
    )
    assert d.tracks[0].provenance == {"unknown": 1}
    assert "Evidence by source type" not in render_markdown(d)
