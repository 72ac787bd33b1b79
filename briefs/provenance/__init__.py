"""Provenance: who is speaking — state media, wire, press, think tank, government, blog."""

from briefs.provenance.model import UNKNOWN_PROVENANCE, Provenance, SourceType
from briefs.provenance.table import ProvenanceTable, SourceEntry, classify_source, default_table

__all__ = [
    "UNKNOWN_PROVENANCE",
    "Provenance",
    "ProvenanceTable",
    "SourceEntry",
    "SourceType",
    "classify_source",
    "default_table",
]
