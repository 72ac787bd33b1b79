"""Provenance stored per brief on both backends: ingestion, overrides, reclassify, search filter."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from briefs.errors import BriefNotFoundError, PermissionDeniedError, UserError
from briefs.indicators import IndicatorModel
from briefs.models import Provenance, SearchQuery, SourceType
from briefs.provenance import ProvenanceTable
from briefs.services import (
    Actor,
    IngestService,
    Overrides,
    ProvenanceService,
    parse_provenance,
)
from storage import Database
from tests.factories import make_new_brief
from tests.fakes import FixedClock

ADMIN = Actor("cli:admin", is_admin=True)
USER = Actor("slack:T1/U1")

DOC = """---
title: "{title}"
date: 2024-05-02
outlet: "{outlet}"
source: "{url}"
---

Russia and Iran signed a memorandum on {topic} cooperation in Moscow on Thursday. Officials
from both governments said the {topic} agreement would be implemented within a year.
"""


def doc(title: str, outlet: str, url: str, topic: str = "energy") -> bytes:
    return DOC.format(title=title, outlet=outlet, url=url, topic=topic).encode()


@pytest.fixture(scope="module")
def model() -> IndicatorModel:
    return IndicatorModel.load()


def ingest_service(
    database: Database, model: IndicatorModel, table: ProvenanceTable | None = None
) -> IngestService:
    return IngestService(
        database.briefs, database.audit, model, FixedClock(), 1_000_000, provenance=table
    )


async def test_ingestion_stores_the_provenance(database: Database, model: IndicatorModel) -> None:
    service = ingest_service(database, model)
    tasnim = await service.ingest(
        "a.md", doc("Energy memo", "Tasnim", "https://www.tasnimnews.com/en/1"), ADMIN
    )
    assert tasnim.brief is not None
    assert tasnim.brief.provenance == Provenance(SourceType.STATE_MEDIA, "IR")
    unknown = await service.ingest(
        "b.md", doc("Gas memo", "Alldamoney", "https://example.com/x", "gas"), ADMIN
    )
    assert unknown.brief is not None
    by_url = await service.ingest(
        "c.md", doc("Oil memo", "Someone", "https://en.kremlin.ru/events/1", "oil"), ADMIN
    )
    assert by_url.brief is not None

    stored = {b.id: b for b in await database.briefs.list(limit=10)}
    assert stored[tasnim.brief.id].provenance == Provenance(SourceType.STATE_MEDIA, "IR")
    assert stored[tasnim.brief.id].provenance.label == "Iranian state media"
    assert stored[unknown.brief.id].provenance == Provenance(SourceType.UNKNOWN, None)
    assert stored[by_url.brief.id].provenance == Provenance(SourceType.GOVERNMENT, "RU")
    assert stored[tasnim.brief.id] == tasnim.brief  # what add() returns is what get() reads


async def test_an_admin_sets_the_provenance_at_upload(
    database: Database, model: IndicatorModel
) -> None:
    service = ingest_service(database, model)
    outcome = await service.ingest(
        "a.md",
        doc("Energy memo", "Alldamoney", "https://example.com/a"),
        ADMIN,
        overrides=Overrides(provenance=parse_provenance("think-tank", "ru")),
    )
    assert outcome.brief is not None
    stored = await database.briefs.get(outcome.brief.id)
    assert stored is not None
    assert stored.provenance == Provenance(SourceType.THINK_TANK, "RU", "override")
    assert stored.provenance.overridden


async def test_reclassify_after_a_table_change(
    database: Database, model: IndicatorModel, tmp_path: Path
) -> None:
    service = ingest_service(database, model)
    plain = await service.ingest(
        "a.md", doc("Energy memo", "Alldamoney", "https://alldamoney.example/a"), ADMIN
    )
    pinned = await service.ingest(
        "b.md", doc("Gas memo", "Alldamoney", "https://alldamoney.example/b", "gas"), ADMIN
    )
    tass = await service.ingest("c.md", doc("Oil memo", "TASS", "https://tass.com/1", "oil"), ADMIN)
    assert plain.brief is not None
    assert pinned.brief is not None
    assert tass.brief is not None
    assert plain.brief.provenance.type is SourceType.UNKNOWN
    provenance = ProvenanceService(database.briefs, database.audit)
    await provenance.set_source(pinned.brief.id, Provenance(SourceType.WIRE, "US"), ADMIN)

    extra = tmp_path / "extra.json"
    extra.write_text(
        json.dumps(
            {
                "sources": [
                    {"name": "Alldamoney", "type": "blog", "domains": ["alldamoney.example"]},
                    {"name": "TASS", "type": "wire", "country": "RU"},
                ]
            }
        ),
        encoding="utf-8",
    )
    changed = ProvenanceService(database.briefs, database.audit, ProvenanceTable.load(extra))
    seen: list[tuple[int, int]] = []
    report = await changed.reclassify(
        ADMIN, progress=lambda done, total: seen.append((done, total))
    )

    assert report.checked == 3
    assert report.overridden == 1
    assert {brief_id for brief_id, _, _ in report.changed} == {plain.brief.id, tass.brief.id}
    assert seen[-1] == (3, 3)
    after = {b.id: b.provenance for b in await database.briefs.list(limit=10)}
    assert after[plain.brief.id] == Provenance(SourceType.BLOG, None)
    assert after[tass.brief.id] == Provenance(SourceType.WIRE, "RU")
    assert after[pinned.brief.id] == Provenance(SourceType.WIRE, "US", "override")

    again = await changed.reclassify(ADMIN)
    assert again.changed == ()
    entries = await database.audit.recent(10)
    assert [e.action for e in entries][:3] == ["reclassify", "reclassify", "set_source"]


async def test_set_source_override_and_back(database: Database) -> None:
    brief = await database.briefs.add(make_new_brief(outlet="Reuters", source_url=None))
    service = ProvenanceService(database.briefs, database.audit)
    with pytest.raises(PermissionDeniedError):
        await service.set_source(brief.id, Provenance(SourceType.BLOG), USER)
    with pytest.raises(BriefNotFoundError):
        await service.set_source(9999, Provenance(SourceType.BLOG), ADMIN)
    with pytest.raises(UserError, match="unknown source type"):
        parse_provenance("tabloid")

    pinned = await service.set_source(brief.id, parse_provenance("state_media", "IR"), ADMIN)
    assert pinned.provenance == Provenance(SourceType.STATE_MEDIA, "IR", "override")
    back = await service.set_source(brief.id, None, ADMIN)
    assert back.provenance == Provenance(SourceType.WIRE, "GB")
    assert not back.provenance.overridden


async def test_search_excludes_exactly_the_excluded_types(database: Database) -> None:
    text = "Russia and Iran discussed the Caspian pipeline."
    kinds = {
        "Tasnim": SourceType.STATE_MEDIA,
        "Kremlin": SourceType.GOVERNMENT,
        "Reuters": SourceType.WIRE,
        "Brookings": SourceType.THINK_TANK,
        "Alldamoney": SourceType.UNKNOWN,
    }
    ids: dict[SourceType, int] = {}
    for outlet, kind in kinds.items():
        brief = await database.briefs.add(
            make_new_brief(
                outlet=outlet,
                passages=[text],
                provenance=Provenance(kind, None),
            )
        )
        ids[kind] = brief.id
    query = SearchQuery(groups=(("caspian",),), limit=50)
    everything = {h.brief.id for h in await database.search.search(query)}
    assert everything == set(ids.values())
    independent = frozenset({SourceType.STATE_MEDIA, SourceType.GOVERNMENT})
    hits = await database.search.search(replace(query, exclude_provenance=independent))
    assert {h.brief.id for h in hits} == {
        ids[SourceType.WIRE],
        ids[SourceType.THINK_TANK],
        ids[SourceType.UNKNOWN],
    }
    only_unknown_out = await database.search.search(
        replace(query, exclude_provenance=frozenset({SourceType.UNKNOWN}))
    )
    assert {h.brief.id for h in only_unknown_out} == everything - {ids[SourceType.UNKNOWN]}
