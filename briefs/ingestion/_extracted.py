"""What a format parser hands on: raw main text plus whatever metadata the file carried."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["Extracted"]


@dataclass(frozen=True, slots=True)
class Extracted:
    text: str  # main text, one paragraph per line (hard-wrapped lines are joined later)
    title: str | None = None
    front_matter_date: dt.date | None = None
    front_matter_date_inferred: bool = False  # `date_inferred: true`: the author guessed it
    metadata_date: str | dt.date | None = None  # unchecked: may be in the future or junk
    source_url: str | None = None
    outlet: str | None = None
    tags: tuple[str, ...] = ()
