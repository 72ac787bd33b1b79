"""SQLAlchemy 2 declarative models: the schema that migration 0001 creates.

The full-text parts are dialect specific and live only in the migration: on SQLite an FTS5
table `passages_fts` kept in sync with `passages` by triggers, on PostgreSQL a generated
`passages.tsv` column with a GIN index. Repositories query these tables with Core
statements and return the dataclasses from `briefs.models`, never these rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "AuditRow",
    "Base",
    "BriefBandRow",
    "BriefRow",
    "FeedbackRow",
    "PassageEmbeddingRow",
    "PassageRow",
    "QuestionRow",
    "SentenceRow",
    "UTCDateTime",
]


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL stores `timestamptz`; SQLite stores the UTC wall time as text. Naive values
    are rejected on the way in; values always come back aware, in UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: storage needs aware UTC datetimes")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base; `Base.metadata` is Alembic's target metadata."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class BriefRow(Base):
    __tablename__ = "briefs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    original_filename: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[dt.date] = mapped_column(Date, index=True)
    date_origin: Mapped[str] = mapped_column(String(32))
    ingested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    uploaded_by: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(128), unique=True)
    minhash: Mapped[str] = mapped_column(Text)  # JSON list of ints
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("briefs.id", ondelete="SET NULL"), index=True
    )
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    tags: Mapped[list[str]] = mapped_column(JSON)
    body: Mapped[str] = mapped_column(Text)
    balance: Mapped[float | None] = mapped_column(Float)
    top_cooperation: Mapped[list[str]] = mapped_column(JSON)
    top_tension: Mapped[list[str]] = mapped_column(JSON)
    # migration 0003: who is speaking (briefs.provenance); `override` = set by an admin
    provenance_type: Mapped[str] = mapped_column(
        String(32), default="unknown", server_default="unknown", index=True
    )
    provenance_country: Mapped[str | None] = mapped_column(String(2))
    provenance_override: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )


class BriefBandRow(Base):
    __tablename__ = "brief_bands"
    __table_args__ = (Index("ix_brief_bands_band_hash", "band_hash"),)

    brief_id: Mapped[int] = mapped_column(
        ForeignKey("briefs.id", ondelete="CASCADE"), primary_key=True
    )
    band_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    band_hash: Mapped[str] = mapped_column(String(128))


class PassageRow(Base):
    __tablename__ = "passages"
    __table_args__ = (
        UniqueConstraint("brief_id", "ordinal", name="uq_passages_brief_ordinal"),
        CheckConstraint('"start" >= 0 AND "end" >= "start"', name="ck_passages_offsets"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)  # copy of the brief title, for the index
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class PassageEmbeddingRow(Base):
    """One vector per passage and embedding model (migration 0005; the `semantic` extra):
    float32 little-endian bytes, `dim` values."""

    __tablename__ = "passage_embeddings"
    __table_args__ = (PrimaryKeyConstraint("passage_id", "model", name="pk_passage_embeddings"),)

    passage_id: Mapped[int] = mapped_column(ForeignKey("passages.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(Text)
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class SentenceRow(Base):
    __tablename__ = "sentences"
    __table_args__ = (
        Index("ix_sentences_brief_ordinal", "brief_id", "ordinal"),
        Index("ix_sentences_dyad_brief", "dyad", "brief_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    dyad: Mapped[bool] = mapped_column(Boolean)
    label: Mapped[str] = mapped_column(String(32))
    track: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float] = mapped_column(Float)
    model_version: Mapped[str] = mapped_column(String(64))


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    brief_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str] = mapped_column(Text)


class QuestionRow(Base):
    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_answered_asked_at", "answered", "asked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text)
    answered: Mapped[bool] = mapped_column(Boolean)
    top_score: Mapped[float | None] = mapped_column(Float)
    latency_ms: Mapped[float] = mapped_column(Float)
    source_ids: Mapped[list[int]] = mapped_column(JSON)
    asked_by: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(32))


class FeedbackRow(Base):
    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("question_id", "user", name="uq_feedback_question_user"),
        CheckConstraint("vote IN (-1, 1)", name="ck_feedback_vote"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    user: Mapped[str] = mapped_column(String(200))
    vote: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
