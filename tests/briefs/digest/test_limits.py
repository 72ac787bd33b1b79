"""A digest with 50 tracks of evidence still fits Discord and Slack message limits."""

from __future__ import annotations

import datetime as dt

from briefs.digest.render_text import digest_sections
from briefs.digest.service import DigestService
from tests.briefs.digest.digest_fakes import FakeCorpus, brief, sentence

LONG = (
    "Russian and Iranian officials, meeting for the third time this month in Tehran, said "
    "that cooperation on logistics, payments, shipping insurance and the North–South corridor "
    "would deepen despite Western pressure and repeated delays that both sides blamed on "
    "third parties and on bureaucratic inertia in Moscow. "
) * 3


async def test_fifty_tracks_fit_discord_and_slack() -> None:
    c = FakeCorpus()
    for t in range(50):
        b = c.add(brief(t + 1, dt.date(2025, 1, 14), title="T" * 300, outlet="O" * 100))
        for i in range(4):
            label = "cooperation" if i % 2 else "tension"
            c.rows.append((sentence(b.id, f"{LONG} #{t}-{i}", label, f"track_{t:02d}"), b))
    d = await DigestService(c).build("week", dt.date(2025, 1, 20))
    assert len(d.tracks) == 50
    assert all(len(r.evidence) == 2 for r in d.tracks)
    # Discord: 25 fields, name 256, value 1024, 6000 total
    secs = digest_sections(d, max_total=6000, max_sections=25, max_value=1024)
    assert len(secs) <= 25
    assert sum(s.size for s in secs) <= 6000
    assert all(len(s.title) <= 256 and len(s.body) <= 1024 for s in secs)
    assert "more track" in secs[-3].body or any("more track" in s.body for s in secs)
    # Slack: ≤ 50 blocks (one per section, plus a divider each), 3000 chars per section
    secs = digest_sections(d, max_total=12000, max_sections=24, max_value=2900)
    assert 2 * len(secs) <= 50
    assert all(len(s.title) + len(s.body) <= 3000 for s in secs)


async def test_small_digest_keeps_full_evidence() -> None:
    c = FakeCorpus()
    b = c.add(brief(1, dt.date(2025, 1, 14)))
    c.rows.append((sentence(1, "Moscow and Tehran signed a deal."), b))
    d = await DigestService(c).build("week", dt.date(2025, 1, 20))
    secs = digest_sections(d)
    assert any("Moscow and Tehran signed a deal." in s.body for s in secs)
