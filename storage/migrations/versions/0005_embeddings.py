"""Passage embeddings for the optional semantic retrieval (the `semantic` extra).

Revision ID: 0005
Revises: 0004
Create Date: 2025-02-03

- ``passage_embeddings``: one vector per passage and embedding model, float32
  little-endian bytes (BLOB on SQLite, bytea on PostgreSQL), deleted with its passage.
  A new table only: nothing existing is rebuilt. Empty unless ``SEMANTIC_SEARCH`` is on
  or ``python -m bot index embed`` has run.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "passage_embeddings",
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("dim", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["passage_id"],
            ["passages.id"],
            name="fk_passage_embeddings_passage_id_passages",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("passage_id", "model", name="pk_passage_embeddings"),
    )


def downgrade() -> None:
    op.drop_table("passage_embeddings")
