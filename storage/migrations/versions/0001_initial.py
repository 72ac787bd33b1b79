"""Initial schema: briefs, bands, passages (+ full-text index), sentences, audit, questions.

Revision ID: 0001
Revises:
Create Date: 2024-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.tables import UTCDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE passages_fts USING fts5("
    "title, body, tokenize='porter unicode61')",
    "CREATE TRIGGER passages_fts_ai AFTER INSERT ON passages BEGIN "
    "INSERT INTO passages_fts(rowid, title, body) VALUES (new.id, new.title, new.text); "
    "END",
    "CREATE TRIGGER passages_fts_ad AFTER DELETE ON passages BEGIN "
    "DELETE FROM passages_fts WHERE rowid = old.id; "
    "END",
    "CREATE TRIGGER passages_fts_au AFTER UPDATE OF title, text ON passages BEGIN "
    "UPDATE passages_fts SET title = new.title, body = new.text WHERE rowid = old.id; "
    "END",
)

_POSTGRES_FTS = (
    "ALTER TABLE passages ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'B')) STORED",
    "CREATE INDEX ix_passages_tsv ON passages USING gin (tsv)",
)


def upgrade() -> None:
    op.create_table(
        "briefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("original_filename", sa.Text(), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(200), nullable=True),
        sa.Column("published", sa.Date(), nullable=False),
        sa.Column("date_origin", sa.String(32), nullable=False),
        sa.Column("ingested_at", UTCDateTime(), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("minhash", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("balance", sa.Float(), nullable=True),
        sa.Column("top_cooperation", sa.JSON(), nullable=False),
        sa.Column("top_tension", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["briefs.id"],
            name="fk_briefs_supersedes_id_briefs",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_briefs"),
        sa.UniqueConstraint("content_hash", name="uq_briefs_content_hash"),
    )
    op.create_index("ix_briefs_published", "briefs", ["published"])
    op.create_index("ix_briefs_supersedes_id", "briefs", ["supersedes_id"])

    op.create_table(
        "brief_bands",
        sa.Column("brief_id", sa.Integer(), nullable=False),
        sa.Column("band_no", sa.Integer(), nullable=False),
        sa.Column("band_hash", sa.String(128), nullable=False),
        sa.ForeignKeyConstraint(
            ["brief_id"], ["briefs.id"], name="fk_brief_bands_brief_id_briefs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("brief_id", "band_no", name="pk_brief_bands"),
    )
    op.create_index("ix_brief_bands_band_hash", "brief_bands", ["band_hash"])

    op.create_table(
        "passages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brief_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brief_id"], ["briefs.id"], name="fk_passages_brief_id_briefs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_passages"),
        sa.UniqueConstraint("brief_id", "ordinal", name="uq_passages_brief_ordinal"),
        sa.CheckConstraint('"start" >= 0 AND "end" >= "start"', name="ck_passages_offsets"),
    )

    op.create_table(
        "sentences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("brief_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("dyad", sa.Boolean(), nullable=False),
        sa.Column("label", sa.String(32), nullable=False),
        sa.Column("track", sa.String(64), nullable=False),
        sa.Column("mode", sa.String(32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["brief_id"], ["briefs.id"], name="fk_sentences_brief_id_briefs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_sentences"),
    )
    op.create_index("ix_sentences_brief_ordinal", "sentences", ["brief_id", "ordinal"])
    op.create_index("ix_sentences_dyad_brief", "sentences", ["dyad", "brief_id"])

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("brief_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_brief_id", "audit_log", ["brief_id"])

    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("top_score", sa.Float(), nullable=True),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("source_ids", sa.JSON(), nullable=False),
        sa.Column("asked_by", sa.String(200), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_questions"),
    )
    op.create_index("ix_questions_answered_asked_at", "questions", ["answered", "asked_at"])

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("vote", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name="fk_feedback_question_id_questions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
        sa.UniqueConstraint("question_id", "user", name="uq_feedback_question_user"),
        sa.CheckConstraint("vote IN (-1, 1)", name="ck_feedback_vote"),
    )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_FTS:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in _POSTGRES_FTS:
            op.execute(statement)
    else:  # pragma: no cover - only the two supported backends
        raise RuntimeError(f"unsupported database dialect {dialect!r}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS passages_fts_au")
        op.execute("DROP TRIGGER IF EXISTS passages_fts_ad")
        op.execute("DROP TRIGGER IF EXISTS passages_fts_ai")
        op.execute("DROP TABLE IF EXISTS passages_fts")
    op.drop_table("feedback")
    op.drop_table("questions")
    op.drop_table("audit_log")
    op.drop_table("sentences")
    op.drop_table("passages")
    op.drop_table("brief_bands")
    op.drop_table("briefs")
