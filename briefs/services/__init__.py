"""Use cases the adapters call: one service function per user action."""

from briefs.services.actor import Actor, SystemClock, require_admin
from briefs.services.ask import AskService
from briefs.services.catalog import BriefCatalog, BriefDetail
from briefs.services.ingest import IngestOutcome, IngestService, PreparedBrief

__all__ = [
    "Actor",
    "AskService",
    "BriefCatalog",
    "BriefDetail",
    "IngestOutcome",
    "IngestService",
    "PreparedBrief",
    "SystemClock",
    "require_admin",
]
