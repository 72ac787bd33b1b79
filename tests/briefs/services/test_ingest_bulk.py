"""The bulk ingest path (`ingest_many` / `ingest_files`) on a real database, both backends:
the same outcomes as one `ingest` after another, several briefs per transaction."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from sqlalchemy import func, select, text

from bench.corpus import generate_brief
from briefs.indicators import IndicatorModel
from briefs.models import SentenceAnalysis
from briefs.services import Actor, IngestService
from storage import Database
from tests.briefs.services.test_ingest_service import PARAGRAPHS, StubAnalyser, markdown
from tests.fakes import FixedClock

ADMIN = Actor("cli:admin", is_admin=True)


def _service(database: Database, model: object | None = None) -> IngestService:
    return IngestService(
        database.briefs,
        database.audit,
        model or StubAnalyser(),  # type: ignore[arg-type]
        FixedClock(),
        max_bytes=100_000,
    )


def _brief(n: int, title: str | None = None) -> bytes:
    paragraphs = [f"Brief {n}: {p}" for p in PARAGRAPHS[n % 3 :]] + [f"Unique line {n}."]
    return markdown(title or f"Brief {n}", paragraphs)


async def _count(db: Database, name: str) -> int:
    async with db.reading() as conn:
        return int(await conn.scalar(select(func.count()).select_from(text(name))))


async def test_bulk_outcomes_match_one_by_one(database: Database) -> None:
    service = _service(database)
    files = [
        ("a.md", _brief(1)),
        ("empty.txt", b""),
        ("b.md", _brief(2)),
        ("a-again.md", _brief(1)),  # duplicate of a brief in the same transaction
        ("notes.docx", b"PK\x03\x04"),
        ("c.md", _brief(3)),
        ("b-again.md", _brief(2)),  # duplicate of a brief in an earlier transaction
        ("d.md", _brief(4)),
    ]
    outcomes = await service.ingest_many(files, ADMIN, batch_size=3)

    assert [o.status for o in outcomes] == [
        "added",
        "rejected",
        "added",
        "duplicate",
        "rejected",
        "added",
        "duplicate",
        "added",
    ]
    a, b = outcomes[0].brief, outcomes[2].brief
    assert a is not None
    assert b is not None
    assert outcomes[3].related_id == a.id
    assert outcomes[3].message.startswith(f"Duplicate of brief #{a.id}")
    assert outcomes[6].related_id == b.id
    assert "'empty.txt' is empty." in outcomes[1].message
    assert await database.briefs.count() == 4
    audit = await database.audit.recent()
    assert sorted(e.brief_id for e in audit if e.brief_id) == sorted(
        o.brief.id for o in outcomes if o.brief
    )
    assert {e.detail for e in audit} == {"add"}


async def test_new_version_and_near_duplicate_inside_one_batch(database: Database) -> None:
    service = _service(database)
    edited = [*PARAGRAPHS[:-1], PARAGRAPHS[-1] + " A late addition."]
    other_title = markdown("Another title", [*PARAGRAPHS[:-1], PARAGRAPHS[-1] + " Another one."])
    files = [
        ("deal.md", markdown("Energy deal")),
        ("deal-v2.md", markdown("Energy deal", edited)),
        ("other.md", other_title),
    ]
    outcomes = await service.ingest_many(files, ADMIN)

    assert [o.status for o in outcomes] == ["added", "new_version", "near_duplicate"]
    first, second = outcomes[0].brief, outcomes[1].brief
    assert first is not None
    assert second is not None
    assert second.supersedes_id == first.id
    assert second.version == 2
    assert outcomes[2].related_id == first.id  # equal overlap: the oldest, as one by one
    assert "Use --force to keep both." in outcomes[2].message
    forced = await service.ingest_many([("other.md", other_title)], ADMIN, force=True)
    assert forced[0].status == "added"


class _Exploding(StubAnalyser):
    def analyse(self, text: str) -> list[SentenceAnalysis]:
        if "explode" in text:
            raise RuntimeError("model failure")
        return super().analyse(text)


async def test_an_unexpected_error_keeps_the_briefs_before_it(database: Database) -> None:
    service = _service(database, _Exploding())
    files = [
        ("a.md", _brief(1)),
        ("b.md", _brief(2)),
        ("boom.md", markdown("Boom", ["This one will explode."])),
        ("c.md", _brief(3)),
    ]
    with pytest.raises(RuntimeError, match="model failure"):
        await service.ingest_many(files, ADMIN, batch_size=10)
    assert sorted(b.original_filename for b in await database.briefs.list()) == ["a.md", "b.md"]
    assert len(await database.audit.recent()) == 2


async def test_single_ingest_is_one_batch(database: Database) -> None:
    service = _service(database)
    first = await service.ingest("deal.md", markdown("Energy deal"), ADMIN)
    again = await service.ingest("again.md", markdown("Energy deal"), ADMIN)
    assert first.status == "added"
    assert again.status == "duplicate"
    assert first.brief is not None
    assert again.related_id == first.brief.id
    assert [e.brief_id for e in await database.audit.recent()] == [first.brief.id]


def _loaders(files: list[tuple[str, bytes]]) -> list[tuple[str, Callable[[], bytes]]]:
    return [(name, (lambda d=data: d)) for name, data in files]


@pytest.mark.slow
async def test_worker_processes_give_the_same_result(database: Database) -> None:
    model = IndicatorModel.load()
    service = _service(database, model)
    files = [(f"b{n}.md", generate_brief(7, n).markdown()) for n in range(12)]
    files.insert(5, ("dup.md", generate_brief(7, 3).markdown()))
    files.insert(7, ("empty.txt", b""))
    outcomes = await service.ingest_files(_loaders(files), ADMIN, workers=2)

    statuses = {o.filename: o.status for o in outcomes}
    assert outcomes[0].filename == "empty.txt"  # unreadable files first, as the CLI shows
    assert statuses["empty.txt"] == "rejected"
    assert statuses["dup.md"] == "duplicate"
    assert sum(s == "added" for s in statuses.values()) == 12
    # the same sentences as the in-process analysis
    stored = {o.filename: o.brief for o in outcomes if o.brief}
    one = stored["b4.md"]
    assert one is not None
    body = await database.briefs.get_body(one.id)
    assert body is not None
    expected = model.analyse(body)
    got = [s.analysis for s in await database.sentences.for_brief(one.id)]
    assert got == expected
    assert await _count(database, "sentences") > 0


class _DiesInWorker(StubAnalyser):
    """Analyses in the test's process; kills any worker process it is sent to."""

    def __init__(self) -> None:
        super().__init__()
        self.home = os.getpid()

    def analyse(self, text: str) -> list[SentenceAnalysis]:
        if os.getpid() != self.home:
            os._exit(3)
        return super().analyse(text)


@pytest.mark.slow
async def test_a_dead_worker_falls_back_to_analysing_in_process(database: Database) -> None:
    service = _service(database, _DiesInWorker())
    files = [(f"b{n}.md", generate_brief(9, n).markdown()) for n in range(8)]
    outcomes = await service.ingest_files(_loaders(files), ADMIN, workers=2)
    assert [o.status for o in outcomes] == ["added"] * 8
    assert await database.briefs.count() == 8
