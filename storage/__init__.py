"""Storage: SQLAlchemy 2 async repositories, full-text search and migrations.

Implements the ports of `briefs.ports` on SQLite (FTS5) or PostgreSQL (tsvector).
Build one `Database` in the composition root::

    db = await Database.connect(url)
    await db.upgrade()
"""

from storage.audit_log import SqlAuditLog
from storage.brief_repository import SqlBriefRepository
from storage.database import Database
from storage.question_log import SqlQuestionLog
from storage.search_index import SqlSearchIndex
from storage.sentence_repository import SqlSentenceRepository

__all__ = [
    "Database",
    "SqlAuditLog",
    "SqlBriefRepository",
    "SqlQuestionLog",
    "SqlSearchIndex",
    "SqlSentenceRepository",
]
