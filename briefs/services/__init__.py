"""Use cases the adapters call: one service function per user action."""

from briefs.services.actor import Actor, SystemClock, require_admin
from briefs.services.ask import AskService
from briefs.services.catalog import BriefCatalog, BriefDetail
from briefs.services.embed import EmbeddingIndexer
from briefs.services.ingest import IngestOutcome, IngestService, Overrides, PreparedBrief
from briefs.services.provenance import ProvenanceService, ReclassifyReport, parse_provenance

__all__ = [
    "Actor",
    "AskService",
    "BriefCatalog",
    "BriefDetail",
    "EmbeddingIndexer",
    "IngestOutcome",
    "IngestService",
    "Overrides",
    "PreparedBrief",
    "ProvenanceService",
    "ReclassifyReport",
    "SystemClock",
    "parse_provenance",
    "require_admin",
]
