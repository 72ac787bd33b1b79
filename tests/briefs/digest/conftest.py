from __future__ import annotations

import datetime as dt

import pytest

from briefs.digest.service import DigestService
from tests.briefs.digest.digest_fakes import (
    FakeCorpus,
    FakeDigests,
    FixedClock,
    brief,
    sentence,
)

D = dt.date


@pytest.fixture
def corpus() -> FakeCorpus:
    """Week 2025-01-13..19 vs the week before, the standard digest test scene."""
    c = FakeCorpus()
    # previous week (2025-01-06 .. 12): military cooperative, nuclear cooperative
    c.add(
        brief(1, D(2025, 1, 7), title="Su-35 talks", outlet="TASS"),
        sentence(1, "Moscow agreed to speed up Su-35 deliveries to Tehran.", sentence_id=101),
        sentence(1, "Iranian and Russian navies held joint drills.", sentence_id=102),
        sentence(1, "Russia and Iran signed a defence memorandum.", sentence_id=103),
    )
    c.add(
        brief(2, D(2025, 1, 9), title="Bushehr update", outlet="IRNA"),
        sentence(2, "Rosatom pledged new Bushehr units to Iran.", track="nuclear", sentence_id=201),
        sentence(2, "Tehran thanked Moscow for fuel supplies.", track="nuclear", sentence_id=202),
        sentence(2, "Russia backed Iran at the IAEA board.", track="nuclear", sentence_id=203),
        sentence(
            2, "Lavrov and Araghchi disagreed over a delay.", "tension", "nuclear", sentence_id=204
        ),
    )
    # current week (2025-01-13 .. 19)
    c.add(
        brief(
            3,
            D(2025, 1, 14),
            title="Bushehr delays anger Tehran",
            outlet="Al-Monitor",
            url="https://example.org/bushehr",
        ),
        sentence(
            3,
            "Iranian officials protested Rosatom's repeated Bushehr delays.",
            "tension",
            "nuclear",
            score=-6.5,
            sentence_id=301,
        ),
        sentence(
            3,
            "Tehran summoned the Russian ambassador over the fuel dispute.",
            "tension",
            "nuclear",
            score=-6.5,
            sentence_id=302,
        ),
        sentence(
            3,
            "Moscow withheld enriched fuel deliveries to Iran.",
            "tension",
            "nuclear",
            score=-4.0,
            sentence_id=303,
        ),
        sentence(
            3,
            "Rosatom said it still supports Iran's programme.",
            "cooperation",
            "nuclear",
            score=3.0,
            sentence_id=304,
        ),
        sentence(
            3,
            "In 1828 Russia took Iranian lands at Turkmenchay.",
            "tension",
            "history_mistrust",
            mode="historical",
            sentence_id=305,
        ),
    )
    c.add(
        brief(4, D(2025, 1, 16), title="Drone deal", outlet="Reuters"),
        sentence(
            4,
            "Iran delivered more Shahed drones to Russia.",
            "cooperation",
            "ukraine",
            score=7.0,
            sentence_id=401,
        ),
        sentence(
            4,
            "Russia and Iran agreed to build a drone plant.",
            "cooperation",
            "ukraine",
            score=6.0,
            sentence_id=402,
        ),
        sentence(
            4,
            "Moscow paid Tehran in gold for the drones.",
            "cooperation",
            "ukraine",
            sentence_id=403,
        ),
        sentence(4, "Moscow agreed to speed up Su-35 deliveries to Tehran.", sentence_id=404),
        sentence(4, "Weather was mild in Moscow.", "neutral", "other", sentence_id=405),
    )
    # a syndicated copy of brief 4's drone sentence (counted once)
    c.add(
        brief(5, D(2025, 1, 15), title="Drone deal (wire copy)", outlet="Reuters"),
        sentence(
            5,
            "Iran delivered more Shahed drones to Russia!",
            "cooperation",
            "ukraine",
            score=7.0,
            sentence_id=501,
        ),
    )
    # a superseded version: brief 6 v1 superseded by brief 7 v2 (only v2 counts)
    c.add(
        brief(6, D(2025, 1, 17), title="Caspian note v1", outlet="Kommersant", superseded_by_id=7),
        sentence(
            6,
            "Russia and Iran clashed over Caspian fishing quotas.",
            "tension",
            "other",
            sentence_id=601,
        ),
    )
    c.add(
        brief(
            7,
            D(2025, 1, 18),
            title="Caspian note v2",
            outlet="Kommersant",
            supersedes_id=6,
            version=2,
            ingested_at=dt.datetime(2025, 1, 18, 9, tzinfo=dt.UTC),
        ),
        sentence(
            7,
            "Russia and Iran clashed over Caspian fishing quotas.",
            "tension",
            "other",
            sentence_id=701,
        ),
    )
    # backfill: published long ago, ingested this week
    c.add(
        brief(
            8,
            D(2024, 6, 1),
            title="Old energy memo",
            outlet=None,
            ingested_at=dt.datetime(2025, 1, 15, 10, tzinfo=dt.UTC),
        ),
        sentence(
            8, "Gazprom and NIGC signed a gas memorandum.", track="energy_economy", sentence_id=801
        ),
    )
    return c


@pytest.fixture
def digests() -> FakeDigests:
    return FakeDigests()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def service(corpus: FakeCorpus, digests: FakeDigests, clock: FixedClock) -> DigestService:
    return DigestService(corpus, ingested=corpus, digests=digests, clock=clock)
