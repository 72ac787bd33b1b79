"""Provenance per brief: source type, country and whether an admin overrode it.

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-27

Adding nullable/defaulted columns needs no table rebuild on SQLite (``ALTER TABLE ADD
COLUMN``), and a rebuild would cascade deletes through foreign keys. Existing briefs
start as ``unknown``; ``python -m bot briefs reclassify`` derives them from the table.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN on every dialect. Never a batch rebuild here: on SQLite
    # that drops and re-creates `briefs`, and with foreign keys on the drop cascades into
    # passages and sentences (a test upgrades a populated 0002 database to guard this).
    op.add_column(
        "briefs",
        sa.Column("provenance_type", sa.String(32), nullable=False, server_default="unknown"),
    )
    op.add_column("briefs", sa.Column("provenance_country", sa.String(2), nullable=True))
    op.add_column(
        "briefs",
        sa.Column("provenance_override", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_briefs_provenance_type", "briefs", ["provenance_type"])


def downgrade() -> None:
    op.drop_index("ix_briefs_provenance_type", table_name="briefs")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite ≥ 3.35 drops columns in place; a batch rebuild of `briefs` would cascade
        # deletes into passages and sentences through their foreign keys.
        for name in ("provenance_override", "provenance_country", "provenance_type"):
            op.execute(sa.text(f"ALTER TABLE briefs DROP COLUMN {name}"))
        return
    op.drop_column("briefs", "provenance_override")
    op.drop_column("briefs", "provenance_country")
    op.drop_column("briefs", "provenance_type")
