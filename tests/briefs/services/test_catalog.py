"""BriefCatalog on the in-memory fakes: list, show, search, delete and restore."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.errors import BriefNotFoundError, PermissionDeniedError
from briefs.models import Brief
from briefs.services import Actor, BriefCatalog
from tests.factories import make_new_brief, make_sentence
from tests.fakes import InMemoryStore

ADMIN = Actor("discord:1", is_admin=True, platform="discord")
MEMBER = Actor("discord:2", is_admin=False, platform="discord")


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def catalog(store: InMemoryStore) -> BriefCatalog:
    return BriefCatalog(store, store, store, store)


async def add(store: InMemoryStore, day: int, **overrides: object) -> Brief:
    return await store.add(make_new_brief(published=dt.date(2024, 1, day), **overrides))


async def test_list_is_newest_first_and_hides_deleted(
    catalog: BriefCatalog, store: InMemoryStore
) -> None:
    old = await add(store, 1)
    new = await add(store, 20)
    gone = await add(store, 10)
    await store.set_deleted(gone.id, True)

    assert [b.id for b in await catalog.list()] == [new.id, old.id]
    assert [b.id for b in await catalog.list(include_deleted=True)] == [new.id, gone.id, old.id]


@pytest.mark.parametrize(
    ("limit", "offset", "expected"),
    [
        pytest.param(0, 0, 1, id="limit-below-one-means-one"),
        pytest.param(-5, 0, 1, id="negative-limit"),
        pytest.param(2, 0, 2, id="limit"),
        pytest.param(10_000, 0, 4, id="huge-limit"),
        pytest.param(3, -7, 3, id="negative-offset-is-zero"),
        pytest.param(3, 3, 1, id="offset"),
        pytest.param(3, 99, 0, id="offset-past-the-end"),
    ],
)
async def test_list_bounds(
    catalog: BriefCatalog, store: InMemoryStore, limit: int, offset: int, expected: int
) -> None:
    for day in range(1, 5):
        await add(store, day)

    assert len(await catalog.list(limit=limit, offset=offset)) == expected


async def test_list_limit_is_capped_at_500(catalog: BriefCatalog) -> None:
    seen: dict[str, int] = {}

    class Spy(InMemoryStore):
        async def list(self, *, limit: int = 50, offset: int = 0, include_deleted: bool = False):
            seen["limit"] = limit
            return []

    spy = Spy()
    await BriefCatalog(spy, spy, spy, spy).list(limit=1_000_000)

    assert seen["limit"] == 500


async def test_show_returns_body_passages_and_dyad_labels(
    catalog: BriefCatalog, store: InMemoryStore
) -> None:
    brief = await add(
        store,
        3,
        passages=["Moscow and Tehran signed a deal.", "Iran protested the Russian statement."],
        sentences=(
            make_sentence(0),
            make_sentence(1, "Iran protested.", label="tension", track="diplomatic"),
            make_sentence(2, "Oil prices rose.", label="neutral", dyad=False),
        ),
    )

    detail = await catalog.show(brief.id)

    assert detail.brief.id == brief.id
    assert detail.body.startswith("Moscow and Tehran signed a deal.")
    assert detail.passages == 2
    assert detail.dyad_sentences == 2
    assert detail.label_counts == {"cooperation": 1, "tension": 1}


async def test_show_includes_deleted_briefs(catalog: BriefCatalog, store: InMemoryStore) -> None:
    brief = await add(store, 3)
    await store.set_deleted(brief.id, True)

    detail = await catalog.show(brief.id)

    assert detail.brief.deleted is True


async def test_get_hides_deleted_unless_asked(catalog: BriefCatalog, store: InMemoryStore) -> None:
    brief = await add(store, 3)
    await store.set_deleted(brief.id, True)

    with pytest.raises(BriefNotFoundError):
        await catalog.get(brief.id)
    assert (await catalog.get(brief.id, include_deleted=True)).id == brief.id


async def test_search_returns_one_hit_per_brief(
    catalog: BriefCatalog, store: InMemoryStore
) -> None:
    many = await add(
        store,
        2,
        passages=[
            "Russia used the Hamadan air base for strikes in Syria.",
            "Iran later said Hamadan was closed to Russian bombers.",
            "The Hamadan episode hurt trust between Moscow and Tehran.",
        ],
    )
    one = await add(store, 5, passages=["Russian bombers left Hamadan air base after a week."])
    await add(store, 6, passages=["Gas swaps through the Caspian grew this year."])

    hits = await catalog.search("Hamadan air base")

    ids = [h.brief.id for h in hits]
    assert sorted(ids) == sorted([many.id, one.id])
    assert len(ids) == len(set(ids))


async def test_search_limit(catalog: BriefCatalog, store: InMemoryStore) -> None:
    for day in range(1, 6):
        await add(store, day, passages=[f"Hamadan air base story number {day}."])

    assert len(await catalog.search("Hamadan", limit=2)) == 2
    assert len(await catalog.search("Hamadan", limit=0)) == 0


async def test_admin_delete_and_restore_are_audited(
    catalog: BriefCatalog, store: InMemoryStore
) -> None:
    brief = await add(store, 3)

    deleted = await catalog.delete(brief.id, ADMIN)
    assert deleted.deleted is True
    assert await catalog.list() == []

    restored = await catalog.restore(brief.id, ADMIN)
    assert restored.deleted is False
    assert [b.id for b in await catalog.list()] == [brief.id]

    rows = [(r.actor, r.action, r.brief_id) for r in store.audit_rows]
    assert rows == [(ADMIN.id, "delete", brief.id), (ADMIN.id, "restore", brief.id)]


@pytest.mark.parametrize("action", ["delete", "restore"])
async def test_non_admin_cannot_delete_or_restore(
    catalog: BriefCatalog, store: InMemoryStore, action: str
) -> None:
    brief = await add(store, 3)
    if action == "restore":
        await store.set_deleted(brief.id, True)
    before = store.briefs[brief.id]

    with pytest.raises(PermissionDeniedError) as caught:
        await getattr(catalog, action)(brief.id, MEMBER)

    assert "Only admins" in caught.value.message
    assert store.briefs[brief.id] == before
    assert store.audit_rows == []


async def test_non_admin_is_refused_before_the_id_is_looked_up(catalog: BriefCatalog) -> None:
    with pytest.raises(PermissionDeniedError):
        await catalog.delete(999, MEMBER)


@pytest.mark.parametrize("action", ["show", "delete", "restore", "get"])
async def test_unknown_id_is_not_found(
    catalog: BriefCatalog, store: InMemoryStore, action: str
) -> None:
    await add(store, 3)
    args = (999,) if action in ("show", "get") else (999, ADMIN)

    with pytest.raises(BriefNotFoundError) as caught:
        await getattr(catalog, action)(*args)

    assert caught.value.message == "There is no brief #999."
    assert store.audit_rows == []
