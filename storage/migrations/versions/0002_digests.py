"""Digests: subscriptions, exactly-once claims per (subscription, slot), stored digests.

Revision ID: 0002
Revises: 0001
Create Date: 2024-12-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.tables import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("workspace", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(500), nullable=False),
        sa.Column("cadence", sa.String(100), nullable=False),
        sa.Column("at", sa.String(5), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("day_of_month", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("tracks", sa.JSON(), nullable=True),
        sa.Column("quiet", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
    )
    op.create_index(
        "ix_subscriptions_platform_workspace", "subscriptions", ["platform", "workspace"]
    )
    op.create_table(
        "digest_claims",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("slot_start", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(200), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("instance", sa.String(200), nullable=False),
        sa.Column("digest_id", sa.String(64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_digest_claims"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name="fk_digest_claims_subscription_id_subscriptions",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("subscription_id", "slot_start", name="uq_digest_claims_sub_slot"),
    )
    op.create_index("ix_digest_claims_status_claimed_at", "digest_claims", ["status", "claimed_at"])
    op.create_table(
        "digests",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("window_kind", sa.String(16), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("generated_at", UTCDateTime(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_digests"),
    )
    op.create_index("ix_digests_window", "digests", ["window_kind", "window_start"])


def downgrade() -> None:
    op.drop_index("ix_digests_window", table_name="digests")
    op.drop_table("digests")
    op.drop_index("ix_digest_claims_status_claimed_at", table_name="digest_claims")
    op.drop_table("digest_claims")
    op.drop_index("ix_subscriptions_platform_workspace", table_name="subscriptions")
    op.drop_table("subscriptions")
