"""IngestService on the in-memory fakes: prepare/commit, duplicates, versions, overrides."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.errors import (
    DuplicateBriefError,
    EmptyBriefError,
    NearDuplicateError,
    UnsupportedTypeError,
)
from briefs.models import DateOrigin, SentenceAnalysis
from briefs.services import Actor, IngestService
from briefs.services.ingest import Overrides
from tests.fakes import FixedClock, InMemoryStore

ADMIN = Actor("cli:admin", is_admin=True)

PARAGRAPHS = [
    "Russia and Iran signed a long-term energy agreement in Tehran covering gas swaps, "
    "oil field development and new rail links between the Caspian ports.",
    "Officials in Moscow said the deal would deepen cooperation on sanctions relief and "
    "expand trade settled in national currencies rather than the dollar.",
    "Iranian commentators were more cautious, recalling the long history of mistrust "
    "between the two countries and the delays at the Bushehr nuclear plant.",
    "Analysts in Brussels noted that the agreement leaves many questions open, including "
    "financing, insurance for tankers and the schedule of the first deliveries.",
    "Both governments promised a joint commission that will meet twice a year to review "
    "progress on the projects and settle disputes between the state companies.",
    "The agreement also mentions cooperation on Syria, where both countries supported the "
    "government during the civil war while pursuing different long-term goals.",
]


class StubAnalyser:
    """A `SentenceAnalyser`: every paragraph is one cooperative Russia–Iran sentence."""

    version = "stub-1"

    def __init__(self) -> None:
        self.calls = 0

    def analyse(self, text: str) -> list[SentenceAnalysis]:
        self.calls += 1
        out = []
        start = 0
        for ordinal, para in enumerate(text.split("\n\n")):
            out.append(
                SentenceAnalysis(
                    ordinal=ordinal,
                    start=start,
                    end=start + len(para),
                    text=para,
                    dyad=True,
                    label="cooperation",
                    track="energy",
                    mode="asserted",
                    score=3.0,
                    confidence=0.8,
                    model_version=self.version,
                )
            )
            start += len(para) + 2
        return out


def markdown(title: str, paragraphs: list[str] | None = None, **front: str) -> bytes:
    lines = ["---", f'title: "{title}"', "date: 2024-03-05"]
    lines += [f"{key}: {value}" for key, value in front.items()]
    lines += ["---", "", *"\n\n".join(paragraphs or PARAGRAPHS).split("\n"), ""]
    return "\n".join(lines).encode()


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def service(store: InMemoryStore) -> IngestService:
    return IngestService(store, store, StubAnalyser(), FixedClock(), max_bytes=100_000)


async def test_prepare_does_not_store_and_commit_stores(
    service: IngestService, store: InMemoryStore
) -> None:
    prepared = await service.prepare("deal.md", markdown("Energy deal"), ADMIN)

    assert prepared.status == "add"
    assert prepared.related is None
    assert prepared.brief.title == "Energy deal"
    assert prepared.brief.published == dt.date(2024, 3, 5)
    assert prepared.brief.original_filename == "deal.md"
    assert prepared.brief.uploaded_by == ADMIN.id
    assert len(prepared.brief.sentences) == len(PARAGRAPHS)
    assert prepared.brief.balance.balance == pytest.approx(1.0)
    assert store.briefs == {}
    assert store.audit_rows == []

    stored = await service.commit(prepared, ADMIN)

    assert stored.id in store.briefs
    assert stored.version == 1
    assert store.bodies[stored.id] == prepared.brief.body
    assert store.passage_rows[stored.id]
    assert len(store.sentence_rows[stored.id]) == len(PARAGRAPHS)


async def test_ingest_reports_added(service: IngestService, store: InMemoryStore) -> None:
    outcome = await service.ingest("deal.md", markdown("Energy deal"), ADMIN)

    assert outcome.status == "added"
    assert outcome.brief is not None
    assert outcome.message == f"Stored as brief #{outcome.brief.id}"
    assert list(store.briefs) == [outcome.brief.id]


async def test_exact_duplicate_names_the_brief_and_stores_nothing(
    service: IngestService, store: InMemoryStore
) -> None:
    first = await service.ingest("deal.md", markdown("Energy deal"), ADMIN)
    assert first.brief is not None
    audit_before = list(store.audit_rows)

    prepared = await service.prepare("copy.md", markdown("Energy deal"), ADMIN)
    assert prepared.status == "duplicate"
    assert prepared.related is not None
    assert prepared.related.id == first.brief.id
    with pytest.raises(DuplicateBriefError) as caught:
        await service.commit(prepared, ADMIN)

    assert caught.value.existing_id == first.brief.id
    assert f"brief #{first.brief.id}" in caught.value.message
    assert "nothing stored" in caught.value.message
    assert len(store.briefs) == 1
    assert store.audit_rows == audit_before


async def test_duplicate_even_with_force_is_not_stored(
    service: IngestService, store: InMemoryStore
) -> None:
    await service.ingest("deal.md", markdown("Energy deal"), ADMIN)

    outcome = await service.ingest("again.md", markdown("Energy deal"), ADMIN, force=True)

    assert outcome.status == "duplicate"
    assert outcome.brief is None
    assert outcome.related_id == 1
    assert "#1" in outcome.message
    assert len(store.briefs) == 1


async def test_duplicate_of_a_deleted_brief_says_restore(
    service: IngestService, store: InMemoryStore
) -> None:
    first = await service.ingest("deal.md", markdown("Energy deal"), ADMIN)
    assert first.brief is not None
    await store.set_deleted(first.brief.id, True)

    outcome = await service.ingest("deal.md", markdown("Energy deal"), ADMIN)

    assert outcome.status == "duplicate"
    assert "restore it instead" in outcome.message


def _edited() -> list[str]:
    """The same article with one paragraph slightly changed (a near-duplicate)."""
    edited = list(PARAGRAPHS)
    edited[3] = edited[3].replace("first deliveries", "first deliveries next spring")
    return edited


async def test_near_duplicate_with_same_title_becomes_a_new_version(
    service: IngestService, store: InMemoryStore
) -> None:
    first = await service.ingest("deal.md", markdown("Energy deal"), ADMIN)
    assert first.brief is not None

    prepared = await service.prepare("deal-v2.md", markdown("Energy deal", _edited()), ADMIN)
    assert prepared.status == "new_version"
    assert prepared.similarity is not None
    assert prepared.similarity >= 0.8
    outcome = await service.ingest("deal-v2.md", markdown("Energy deal", _edited()), ADMIN)

    assert outcome.status == "new_version"
    assert outcome.brief is not None
    assert outcome.brief.version == 2
    assert outcome.brief.supersedes_id == first.brief.id
    assert outcome.related_id == first.brief.id
    assert f"supersedes #{first.brief.id}" in outcome.message
    assert store.briefs[first.brief.id].superseded_by_id == outcome.brief.id
    assert store.audit_rows[-1].detail == f"new_version of #{first.brief.id}"


async def test_near_duplicate_with_same_source_url_becomes_a_new_version(
    service: IngestService,
) -> None:
    url = "https://example.org/deal"
    await service.ingest("a.md", markdown("Energy deal", url=url), ADMIN)

    outcome = await service.ingest(
        "b.md", markdown("A renamed energy deal", _edited(), url=url), ADMIN
    )

    assert outcome.status == "new_version"


async def test_near_duplicate_with_other_title_needs_force(
    service: IngestService, store: InMemoryStore
) -> None:
    first = await service.ingest("deal.md", markdown("Energy deal"), ADMIN)
    assert first.brief is not None
    data = markdown("A different headline", _edited())

    prepared = await service.prepare("other.md", data, ADMIN)
    assert prepared.status == "near_duplicate"
    with pytest.raises(NearDuplicateError) as caught:
        await service.commit(prepared, ADMIN)
    assert caught.value.similar_id == first.brief.id
    assert caught.value.similarity >= 0.8
    assert f"brief #{first.brief.id}" in caught.value.message
    assert "--force" in caught.value.message
    assert len(store.briefs) == 1

    outcome = await service.ingest("other.md", data, ADMIN)
    assert outcome.status == "near_duplicate"
    assert outcome.related_id == first.brief.id
    assert len(store.briefs) == 1

    forced = await service.ingest("other.md", data, ADMIN, force=True)
    assert forced.status == "added"
    assert forced.brief is not None
    assert forced.brief.version == 1
    assert forced.brief.supersedes_id is None
    assert len(store.briefs) == 2


async def test_overrides_replace_title_date_and_source_url(service: IngestService) -> None:
    overrides = Overrides(
        title="  Chosen title  ",
        published=dt.date(2023, 7, 1),
        source="https://news.example/article",
    )

    prepared = await service.prepare("deal.md", markdown("Energy deal"), ADMIN, overrides)

    assert prepared.brief.title == "Chosen title"
    assert prepared.brief.published == dt.date(2023, 7, 1)
    assert prepared.brief.date_origin is DateOrigin.FRONT_MATTER
    assert prepared.brief.source_url == "https://news.example/article"


async def test_source_override_without_scheme_is_an_outlet(service: IngestService) -> None:
    data = markdown("Energy deal", outlet="Original Outlet")

    prepared = await service.prepare("deal.md", data, ADMIN, Overrides(source="Tehran Times"))

    assert prepared.brief.outlet == "Tehran Times"
    assert prepared.brief.source_url is None


async def test_blank_overrides_keep_what_was_detected(service: IngestService) -> None:
    prepared = await service.prepare(
        "deal.md", markdown("Energy deal"), ADMIN, Overrides(title="   ")
    )

    assert prepared.brief.title == "Energy deal"
    assert prepared.brief.published == dt.date(2024, 3, 5)


async def test_every_upload_is_audited(service: IngestService, store: InMemoryStore) -> None:
    other = [p.replace("Russia", "Moscow").replace("Iran", "Tehran") for p in PARAGRAPHS[:3]]
    a = await service.ingest("a.md", markdown("Energy deal"), ADMIN)
    b = await service.ingest("b.md", markdown("Second brief", other), Actor("slack:T1/U2", True))
    await service.ingest("a.md", markdown("Energy deal"), ADMIN)  # duplicate: no audit row
    assert a.brief is not None
    assert b.brief is not None

    rows = [(r.actor, r.action, r.brief_id, r.detail) for r in store.audit_rows]
    assert rows == [
        ("cli:admin", "upload", a.brief.id, "add"),
        ("slack:T1/U2", "upload", b.brief.id, "add"),
    ]


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        pytest.param("empty.txt", b"", "is empty", id="empty"),
        pytest.param("blank.txt", b"  \n\t \n", "only whitespace", id="whitespace"),
        pytest.param("notes.docx", b"hello", "file type", id="unsupported"),
        pytest.param("big.txt", b"Russia and Iran. " * 10_000, "limit", id="too-large"),
        pytest.param("junk.txt", bytes(range(256)) * 8, "binary", id="binary"),
        pytest.param("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "PDF", id="broken-pdf"),
    ],
)
async def test_user_errors_become_rejected_outcomes(
    service: IngestService, store: InMemoryStore, filename: str, data: bytes, expected: str
) -> None:
    outcome = await service.ingest(filename, data, ADMIN)

    assert outcome.status == "rejected"
    assert expected in outcome.message
    assert outcome.brief is None
    assert store.briefs == {}
    assert store.audit_rows == []


async def test_prepare_raises_the_typed_error(service: IngestService) -> None:
    with pytest.raises(UnsupportedTypeError):
        await service.prepare("notes.docx", b"hello", ADMIN)
    with pytest.raises(EmptyBriefError):
        await service.prepare("empty.md", b"", ADMIN)


async def test_ingest_many_keeps_going_after_a_rejection(
    service: IngestService, store: InMemoryStore
) -> None:
    outcomes = await service.ingest_many(
        [("empty.txt", b""), ("deal.md", markdown("Energy deal")), ("x.exe", b"MZ")], ADMIN
    )

    assert [o.status for o in outcomes] == ["rejected", "added", "rejected"]
    assert len(store.briefs) == 1


async def test_check_upload_refuses_by_metadata(service: IngestService) -> None:
    service.check_upload("fine.pdf", 10)
    with pytest.raises(UnsupportedTypeError):
        service.check_upload("movie.mp4", 10)
    with pytest.raises(EmptyBriefError):
        service.check_upload("fine.md", 0)


async def test_works_with_the_real_indicator_model(store: InMemoryStore) -> None:
    from briefs.indicators import IndicatorModel

    model = IndicatorModel.load()
    service = IngestService(store, store, model, FixedClock(), max_bytes=100_000)

    outcome = await service.ingest("deal.md", markdown("Energy deal"), ADMIN)

    assert outcome.status == "added"
    assert outcome.brief is not None
    sentences = store.sentence_rows[outcome.brief.id]
    assert sentences
    assert {s.analysis.model_version for s in sentences} == {model.version}
