from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from briefs.digest.model import Digest, Direction
from briefs.digest.quiet import should_post
from briefs.digest.render_text import render_json, render_markdown, render_plain
from briefs.digest.service import DigestNotFoundError, DigestService, render_explanation
from briefs.digest.windows import WindowKind, explicit_window
from tests.briefs.digest.digest_fakes import FakeCorpus, FakeDigests, brief, sentence

GOLDEN = Path(__file__).parent / "golden"
END = dt.date(2025, 1, 20)


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


async def test_week_digest_numbers(service: DigestService) -> None:
    d = await service.build("week", END, tz="Europe/Berlin")
    assert d.window.start == dt.date(2025, 1, 13)
    assert d.window.end == END
    assert d.previous.start == dt.date(2025, 1, 6)
    nuclear = d.track("nuclear")
    assert nuclear is not None
    assert (nuclear.cooperation, nuclear.tension) == (1, 3)
    assert nuclear.balance == pytest.approx(-0.5)
    assert nuclear.previous_balance == pytest.approx(0.5)
    assert nuclear.direction is Direction.DOWN
    assert nuclear.sources == 1
    ukraine = d.track("ukraine")
    assert ukraine is not None
    # the wire copy repeats a sentence of brief 4: counted once
    assert ukraine.cooperation == 3
    assert ukraine.duplicates == 1
    assert ukraine.direction is Direction.NO_BASELINE
    other = d.track("other")
    assert other is not None
    # v1 superseded by v2: only v2's sentence counts
    assert other.tension == 1
    assert other.tension_ids == (701,)
    assert other.duplicate_ids == (601,)
    assert other.direction is Direction.INSUFFICIENT
    hist = d.track("history_mistrust")
    assert hist is not None
    assert hist.historical == 1
    assert hist.total == 0  # historical statements never enter the balance
    military = d.track("military")
    assert military is not None
    assert military.direction is Direction.INSUFFICIENT  # 1 sentence < 3
    assert military.previous_balance == pytest.approx(1.0)


async def test_overall_and_headline(service: DigestService) -> None:
    d = await service.build("week", END)
    # current: nuclear 1/3, ukraine 3/0, military 1/0, other 0/1 → 5 coop / 4 tension
    assert (d.overall.cooperation, d.overall.tension) == (5, 4)
    # previous: military 3/0, nuclear 3/1 → 6/1
    assert d.overall.previous_balance == pytest.approx(5 / 7)
    assert d.overall.direction is Direction.DOWN
    assert d.headline.startswith("▼ Toward tension")
    assert "nuclear ▼ -1.00 moved" in d.headline


async def test_evidence_and_citations(service: DigestService) -> None:
    d = await service.build("week", END)
    nuclear = d.track("nuclear")
    assert nuclear is not None
    assert len(nuclear.evidence) == 2
    first, second = nuclear.evidence
    assert first.label == "tension"  # dominant side first
    assert second.label == "cooperation"  # then the other side
    for row in d.tracks:
        assert len(row.evidence) <= 2
        for ev in row.evidence:
            src = d.source(ev.citation)
            assert src is not None
            assert src.brief_id == ev.brief_id
    assert [s.citation for s in d.sources] == list(range(1, len(d.sources) + 1))
    assert d.sources[0].url == "https://example.org/1" or d.sources[0].title


async def test_new_in_corpus_with_backfill(service: DigestService) -> None:
    d = await service.build("week", END)
    by_id = {n.brief_id: n for n in d.new_in_corpus}
    assert by_id[8].backfill is True
    assert by_id[4].backfill is False
    assert 1 not in by_id  # ingested the week before


async def test_tracks_filter(service: DigestService) -> None:
    d = await service.build("week", END, tracks=["ukraine", "military"])
    assert [r.track for r in d.tracks] == ["military", "ukraine"]
    assert d.overall.cooperation == 4
    assert d.tracks_filter == ("military", "ukraine")


async def test_golden_markdown(service: DigestService) -> None:
    d = await service.build("week", END, tz="Europe/Berlin")
    _golden("week_2025-01-13.md", render_markdown(d))
    _golden("week_2025-01-13.txt", render_plain(d))


async def test_json_roundtrip(service: DigestService) -> None:
    d = await service.build("week", END)
    data = json.loads(render_json(d))
    assert data["overall"]["arrow"] == "▼"
    again = Digest.from_dict(data)
    assert again == d


async def test_id_is_content_addressed_and_saved(
    service: DigestService, digests: FakeDigests
) -> None:
    a = await service.build("week", END)
    b = await service.build("week", END)
    assert a.id == b.id
    assert a.id.startswith("w20250113-")
    assert a.id in digests.saved


async def test_explain(service: DigestService) -> None:
    d = await service.build("week", END)
    ex = await service.explain(d.id, "ukraine")
    roles = sorted((e.role, e.sentence_id) for e in ex.sentences)
    assert roles == [
        ("cooperation", 401),
        ("cooperation", 402),
        ("cooperation", 403),
        ("duplicate", 501),
    ]
    text = render_explanation(ex)
    assert "Shahed" in text
    with pytest.raises(DigestNotFoundError):
        await service.explain("nope", "ukraine")
    with pytest.raises(DigestNotFoundError):
        await service.explain(d.id, "no_such_track")


async def test_quiet_rule(corpus: FakeCorpus) -> None:
    svc = DigestService(corpus)
    d = await svc.build("week", END)
    assert should_post(d, quiet=False)
    assert should_post(d, quiet=True)  # arrows moved
    # a window in which nothing happened and nothing arrived
    calm = await svc.build(explicit_window(dt.date(2024, 12, 1), dt.date(2024, 12, 8)))
    assert not calm.tracks
    assert should_post(calm, quiet=False)
    assert not should_post(calm, quiet=True)


async def test_quiet_posts_when_new_briefs_arrive() -> None:
    c = FakeCorpus()
    c.add(
        brief(1, dt.date(2024, 1, 1), ingested_at=dt.datetime(2025, 1, 15, tzinfo=dt.UTC)),
        sentence(1, "Old cooperation."),
    )
    svc = DigestService(c, ingested=c)
    d = await svc.build("week", END)
    assert not any(r.direction.moved for r in d.tracks)
    assert should_post(d, quiet=True)


async def test_history_and_chart(service: DigestService, corpus: FakeCorpus) -> None:
    hist = await service.history(WindowKind.WEEK, END, count=3)
    assert [w.start for w in hist.windows] == [
        dt.date(2024, 12, 30),
        dt.date(2025, 1, 6),
        dt.date(2025, 1, 13),
    ]
    assert hist.balances["nuclear"] == [None, pytest.approx(0.5), pytest.approx(-0.5)]
    assert corpus.calls == 1  # one query for all windows
    png = await service.chart("week", END, count=3)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) < 100_000


async def test_empty_corpus_digest() -> None:
    svc = DigestService(FakeCorpus())
    d = await svc.build("day", dt.date(2025, 3, 1))
    assert d.overall.direction is Direction.INSUFFICIENT
    assert "Insufficient evidence" in d.headline
    md = render_markdown(d)
    assert "No cooperation or tension sentences" in md
