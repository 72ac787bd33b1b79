"""Provenance in answers: "According to Iranian state media", disagreement notes, the filter."""

from __future__ import annotations

import datetime as dt

import pytest

from briefs.answering.model import NOT_COVERED, Citation
from briefs.errors import UserError
from briefs.models import (
    DateOrigin,
    DocumentBalance,
    NewBrief,
    Provenance,
    SearchQuery,
    SourceType,
)
from briefs.passages import make_passages
from briefs.provenance.notes import answer_notes, exclusion_note, one_side_official
from briefs.services import Actor, AskService
from briefs.services.ask import INDEPENDENT_EXCLUDES, parse_excludes
from tests.fakes import FixedClock, InMemoryQuestionLog, InMemoryStore

IR_STATE = Provenance(SourceType.STATE_MEDIA, "IR")
RU_STATE = Provenance(SourceType.STATE_MEDIA, "RU")
IR_GOV = Provenance(SourceType.GOVERNMENT, "IR")
WIRE = Provenance(SourceType.WIRE, "GB")
THINK = Provenance(SourceType.THINK_TANK, "US")

BUSHEHR_1 = (
    "Rosatom will build two more reactors at the Bushehr nuclear plant in Iran, the agency "
    "said. Russian engineers arrived at Bushehr to prepare the site for the new units."
)
BUSHEHR_2 = (
    "Iranian officials praised Russia for the Bushehr reactor deal. The Bushehr plant "
    "expansion shows the strength of nuclear cooperation with Moscow, they said."
)
CASPIAN_COOP = (
    "Russia and Iran agreed to expand Caspian shipping through the North-South corridor. "
    "The Caspian corridor deal doubles cargo capacity at Astrakhan and Anzali."
)
CASPIAN_TENSION = (
    "Russia and Iran quarrelled over Caspian fishing quotas and the Caspian corridor tariffs. "
    "Caspian shipping talks between Moscow and Tehran broke down over pricing."
)


def brief(
    name: str,
    body: str,
    outlet: str,
    provenance: Provenance,
    balance: float | None = None,
    published: dt.date = dt.date(2024, 6, 1),
) -> NewBrief:
    return NewBrief(
        title=name.replace("-", " ").title(),
        body=body,
        original_filename=f"{name}.md",
        source_url=None,
        outlet=outlet,
        published=published,
        date_origin=DateOrigin.FRONT_MATTER,
        uploaded_by="test",
        content_hash=name,
        minhash=(),
        bands=(),
        passages=make_passages(body),
        balance=DocumentBalance(balance),
        provenance=provenance,
    )


@pytest.fixture
async def store() -> InMemoryStore:
    store = InMemoryStore()
    await store.add(brief("bushehr-tasnim", BUSHEHR_1, "Tasnim", IR_STATE, 0.8))
    await store.add(brief("bushehr-irna", BUSHEHR_2, "IRNA", IR_STATE, 0.9))
    await store.add(brief("caspian-tass", CASPIAN_COOP, "TASS", RU_STATE, 0.7))
    await store.add(brief("caspian-reuters", CASPIAN_TENSION, "Reuters", WIRE, -0.8))
    return store


@pytest.fixture
def service(store: InMemoryStore) -> AskService:
    return AskService(store, InMemoryQuestionLog(), FixedClock())


async def test_all_evidence_from_one_sides_state_media_is_said(service: AskService) -> None:
    answer = await service.answer("What will Rosatom build at Bushehr?")
    assert not answer.abstained
    assert {c.outlet for c in answer.sources} <= {"Tasnim", "IRNA"}
    numbers = ", ".join(str(c.number) for c in answer.sources)
    assert answer.notes[0] == (
        f"According to Iranian state media: all cited evidence [{numbers}] comes from "
        "Iranian state media."
    )
    assert "_According to Iranian state media" in answer.as_markdown()


async def test_sources_of_different_provenance_that_disagree_are_both_shown(
    service: AskService,
) -> None:
    answer = await service.answer("What happened with Caspian shipping between Russia and Iran?")
    assert not answer.abstained
    by_outlet = {c.outlet: c.number for c in answer.sources}
    assert set(by_outlet) == {"TASS", "Reuters"}
    note = next(n for n in answer.notes if n.startswith("Sources of different provenance"))
    parts = {
        f"Russian state media [{by_outlet['TASS']}] leans toward cooperation",
        f"wire service [{by_outlet['Reuters']}] leans toward tension",
    }
    assert note.startswith("Sources of different provenance disagree: ")
    assert all(p in note for p in parts)


async def test_sources_lines_say_who_is_speaking(service: AskService) -> None:
    answer = await service.answer("What will Rosatom build at Bushehr?")
    lines = [c.line() for c in answer.sources]
    assert any("— Tasnim — Iranian state media" in line for line in lines)
    assert all("state media" in line for line in lines)


async def test_exclude_state_media_leaves_out_exactly_those_briefs(
    service: AskService, store: InMemoryStore
) -> None:
    everything = await service.answer("What happened with Caspian shipping?")
    assert {c.outlet for c in everything.sources} == {"TASS", "Reuters"}
    answer = await service.answer(
        "What happened with Caspian shipping?",
        exclude=frozenset({SourceType.STATE_MEDIA}),
    )
    assert [c.outlet for c in answer.sources] == ["Reuters"]
    assert all(c.provenance.type is not SourceType.STATE_MEDIA for c in answer.closest)
    assert "Excluded sources: state media." in answer.notes
    # no note about disagreement once the other side is gone
    assert not any(n.startswith("Sources of different provenance") for n in answer.notes)


async def test_excluding_everything_that_covers_a_question_abstains(
    service: AskService,
) -> None:
    answer = await service.answer(
        "What will Rosatom build at Bushehr?", exclude=INDEPENDENT_EXCLUDES
    )
    assert answer.abstained
    assert answer.text == NOT_COVERED
    assert all(c.outlet not in ("Tasnim", "IRNA", "TASS") for c in answer.closest)
    assert "Excluded sources: government, state media." in answer.notes


async def test_independent_excludes_government_too(store: InMemoryStore) -> None:
    mfa = (
        "The Iranian foreign ministry said Caspian shipping with Russia will grow through "
        "the port of Anzali, and that Caspian trade is a priority for Tehran."
    )
    await store.add(brief("caspian-mfa", mfa, "mfa.ir", IR_GOV, 0.9))
    service = AskService(store, InMemoryQuestionLog(), FixedClock())
    hits = await store.search(SearchQuery(groups=(("caspian",),)))
    assert {h.brief.outlet for h in hits} == {"TASS", "Reuters", "mfa.ir"}
    answer = await service.ask(
        "What happened with Caspian shipping?", Actor("cli:a"), exclude=INDEPENDENT_EXCLUDES
    )
    assert {c.outlet for c in (*answer.sources, *answer.closest)} == {"Reuters"}


def test_parse_excludes() -> None:
    assert parse_excludes(["state-media", "state_media", "Government"]) == INDEPENDENT_EXCLUDES
    with pytest.raises(UserError, match="unknown source type"):
        parse_excludes(["tabloid"])


def test_answer_note_wording() -> None:
    assert answer_notes([(1, IR_STATE, 0.5), (2, IR_STATE, None)]) == (
        "According to Iranian state media: all cited evidence [1, 2] comes from "
        "Iranian state media.",
    )
    assert answer_notes([(1, RU_STATE, None)]) == (
        "According to Russian state media: all cited evidence [1] comes from Russian state media.",
    )
    assert answer_notes([(1, IR_STATE, 0.5), (2, IR_GOV, 0.2)]) == (
        "According to Iranian state media and government sources: all cited evidence [1, 2] "
        "comes from Iranian state media and government sources.",
    )
    # both sides' state media: not one side
    assert answer_notes([(1, IR_STATE, 0.6), (2, RU_STATE, -0.6)]) == (
        "Sources of different provenance disagree: Iranian state media [1] leans toward "
        "cooperation; Russian state media [2] leans toward tension.",
    )
    assert answer_notes([(1, WIRE, 0.6), (2, THINK, 0.5), (3, WIRE, None)]) == (
        "Sources of different provenance: wire service [1, 3] leans toward cooperation; "
        "US think tank [2] leans toward cooperation.",
    )
    # nothing to contrast: one known group, or unknown only
    assert answer_notes([(1, WIRE, 0.6), (2, Provenance(), -0.6)]) == ()
    assert answer_notes([(1, Provenance(), 0.6)]) == ()
    assert answer_notes([]) == ()


def test_one_side_and_exclusion_helpers() -> None:
    assert one_side_official([RU_STATE, RU_STATE]) == "Russian state media"
    assert one_side_official([IR_GOV]) == "the Iranian government"
    assert one_side_official([IR_STATE, WIRE]) is None
    assert one_side_official([Provenance(SourceType.STATE_MEDIA)]) is None
    assert one_side_official([]) is None
    assert exclusion_note([]) is None
    assert exclusion_note([SourceType.BLOG]) == "Excluded sources: blog or aggregator."


def test_citation_line_with_and_without_provenance() -> None:
    base = Citation(1, 7, "Bushehr", dt.date(2024, 6, 1), False, "Tasnim", None, "b.md")
    assert base.line() == "[1] Bushehr — 2024-06-01 — Tasnim"
    known = Citation(1, 7, "Bushehr", dt.date(2024, 6, 1), False, "Tasnim", None, "b.md", IR_STATE)
    assert known.line() == "[1] Bushehr — 2024-06-01 — Tasnim — Iranian state media"
    no_outlet = Citation(2, 8, "T", dt.date(2024, 6, 1), False, None, "https://x.org", "t.md", WIRE)
    assert no_outlet.line() == "[2] T — 2024-06-01 — wire service — https://x.org"
