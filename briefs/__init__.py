"""The core of the briefing bot: ingestion, retrieval, answering, indicators and digests.

Imports nothing from `bot`, `storage`, chat platforms or database libraries.
"""
