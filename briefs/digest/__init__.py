"""Scheduled and on-demand digests: did Russia–Iran relations move toward cooperation or tension?

Pure core: windows, aggregation, headline, rendering (text/JSON), chart (Agg canvas) and the
``DigestService``; storage and chat platforms plug in through ``briefs.digest.ports``.
"""

from briefs.digest.aggregate import AggregateSettings
from briefs.digest.model import Digest, Direction, Evidence, NewInCorpus, Source, TrackRow
from briefs.digest.quiet import should_post
from briefs.digest.service import DigestService
from briefs.digest.windows import Window, WindowKind, explicit_window, make_window

__all__ = [
    "AggregateSettings",
    "Digest",
    "DigestService",
    "Direction",
    "Evidence",
    "NewInCorpus",
    "Source",
    "TrackRow",
    "Window",
    "WindowKind",
    "explicit_window",
    "make_window",
    "should_post",
]
