"""What ``DigestService`` returns besides a ``Digest``: the ``BalanceHistory`` a chart is drawn
from, and the ``Explanation`` of a track's numbers with its text rendering. Re-exported by
``briefs.digest.service``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from briefs.digest.model import TrackRow, fmt_balance
from briefs.digest.windows import Window

__all__ = ["BalanceHistory", "ExplainedSentence", "Explanation", "render_explanation"]


@dataclass(frozen=True, slots=True)
class BalanceHistory:
    windows: tuple[Window, ...]  # oldest first
    balances: dict[str, list[float | None]]  # per track, None = insufficient evidence
    totals: dict[str, list[int]]

    @property
    def labels(self) -> list[str]:
        return [w.label for w in self.windows]


@dataclass(frozen=True, slots=True)
class ExplainedSentence:
    sentence_id: int
    role: str  # cooperation | tension | historical | duplicate
    text: str
    label: str
    mode: str
    score: float
    confidence: float
    brief_id: int
    brief_title: str
    published: dt.date
    outlet: str | None


@dataclass(frozen=True, slots=True)
class Explanation:
    digest_id: str
    track: str
    row: TrackRow
    sentences: tuple[ExplainedSentence, ...]
    missing: int  # ids recorded in the digest whose sentence is gone (brief deleted since)


def render_explanation(ex: Explanation) -> str:
    r = ex.row
    lines = [
        f"Digest {ex.digest_id} · {r.title}: balance {fmt_balance(r.balance)} from "
        f"{r.cooperation} cooperation and {r.tension} tension sentences "
        f"({r.historical} historical as context, {r.duplicates} duplicate copies not counted)",
    ]
    for e in ex.sentences:
        outlet = f"{e.outlet}, " if e.outlet else ""
        lines.append(
            f"  [{e.role}] #{e.sentence_id} ({e.label}/{e.mode}, score {e.score:+.1f}, "
            f"conf {e.confidence:.2f}) “{e.text}” — brief #{e.brief_id} {e.brief_title} "
            f"({outlet}{e.published.isoformat()})"
        )
    if ex.missing:
        lines.append(f"  {ex.missing} sentence(s) no longer available (brief deleted since)")
    return "\n".join(lines) + "\n"
