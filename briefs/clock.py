"""The real clock, implementing `briefs.ports.Clock`; tests pass fixed clocks instead."""

from __future__ import annotations

import datetime as dt

__all__ = ["SystemClock"]


class SystemClock:
    """Aware UTC now."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)
