"""The plugin's tables as release 0.1.0 made them with create_all.

Carts, consents and suppressions, the outbox and its one-time tokens, address sequences,
back-in-stock subscriptions and restocks, feedback and page views, and the SQL catalogue's
products.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Columns keep their own types here (a plain timezone-aware DateTime where the models use
`UtcDateTime`, a TypeDecorator over it), so a later change to a model never changes what this
revision creates.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dl_address_sequences",
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("cart_id", sa.String(length=128), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("address_hash", name=op.f("pk_dl_address_sequences")),
    )
    op.create_table(
        "dl_carts",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("address_hash", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("locale", sa.String(length=35), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=1000), nullable=True),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminders_scheduled", sa.Integer(), nullable=False),
        sa.Column("next_reminder_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_reason", sa.String(length=32), nullable=True),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("order_total", sa.String(length=32), nullable=True),
        sa.Column("restored_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dl_carts")),
    )
    op.create_index(op.f("ix_dl_carts_address_hash"), "dl_carts", ["address_hash"], unique=False)
    op.create_index(
        "ix_dl_carts_due",
        "dl_carts",
        ["next_reminder_at"],
        unique=False,
        sqlite_where=sa.text("next_reminder_at IS NOT NULL"),
        postgresql_where=sa.text("next_reminder_at IS NOT NULL"),
    )
    op.create_index(op.f("ix_dl_carts_ordered_at"), "dl_carts", ["ordered_at"], unique=False)
    op.create_table(
        "dl_consents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("method", sa.String(length=300), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dl_consents")),
    )
    op.create_index(
        op.f("ix_dl_consents_address_hash"), "dl_consents", ["address_hash"], unique=False
    )
    op.create_table(
        "dl_email_tokens",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("cart_id", sa.String(length=128), nullable=True),
        sa.Column("subscription_id", sa.Integer(), nullable=True),
        sa.Column("address_hash", sa.String(length=64), nullable=True),
        sa.Column("scope", sa.String(length=32), nullable=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dl_email_tokens")),
    )
    op.create_index(
        op.f("ix_dl_email_tokens_address_hash"), "dl_email_tokens", ["address_hash"], unique=False
    )
    op.create_index(
        op.f("ix_dl_email_tokens_cart_id"), "dl_email_tokens", ["cart_id"], unique=False
    )
    op.create_index(
        op.f("ix_dl_email_tokens_subscription_id"),
        "dl_email_tokens",
        ["subscription_id"],
        unique=False,
    )
    op.create_table(
        "dl_feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("page", sa.String(length=500), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=35), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dl_feedback")),
    )
    op.create_index(op.f("ix_dl_feedback_created_at"), "dl_feedback", ["created_at"], unique=False)
    op.create_index(op.f("ix_dl_feedback_page"), "dl_feedback", ["page"], unique=False)
    op.create_table(
        "dl_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("cart_id", sa.String(length=128), nullable=True),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("subscription_id", sa.Integer(), nullable=True),
        sa.Column("restock_id", sa.Integer(), nullable=True),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=35), nullable=True),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("unconfirmed", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("smtp_reply", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dl_outbox")),
        sa.UniqueConstraint("cart_id", "step", name=op.f("uq_dl_outbox_cart_id")),
        sa.UniqueConstraint(
            "subscription_id", "restock_id", name=op.f("uq_dl_outbox_subscription_id")
        ),
        sa.UniqueConstraint("message_id", name=op.f("uq_dl_outbox_message_id")),
    )
    op.create_index(op.f("ix_dl_outbox_address_hash"), "dl_outbox", ["address_hash"], unique=False)
    op.create_index("ix_dl_outbox_claimable", "dl_outbox", ["status", "due_at"], unique=False)
    op.create_index("ix_dl_outbox_leases", "dl_outbox", ["status", "lease_until"], unique=False)
    op.create_table(
        "dl_page_views",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("page", sa.String(length=500), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dl_page_views")),
        sa.UniqueConstraint("page", "day", name=op.f("uq_dl_page_views_page")),
    )
    op.create_index(op.f("ix_dl_page_views_day"), "dl_page_views", ["day"], unique=False)
    op.create_table(
        "dl_products",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("product_id", sa.String(length=128), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("price", sa.String(length=32), nullable=False),
        sa.Column("vat_class", sa.String(length=32), nullable=False),
        sa.Column("weight_kg", sa.String(length=32), nullable=True),
        sa.Column("stock_on_hand", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("restock_date", sa.Date(), nullable=True),
        sa.Column("preorder", sa.Boolean(), nullable=False),
        sa.Column("image_url", sa.String(length=2000), nullable=True),
        sa.Column("category", sa.String(length=128), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_dl_products")),
    )
    op.create_index(op.f("ix_dl_products_product_id"), "dl_products", ["product_id"], unique=False)
    op.create_table(
        "dl_restocks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_batch_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_reason", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dl_restocks")),
    )
    op.create_index(
        "ux_dl_restocks_open",
        "dl_restocks",
        ["sku"],
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.create_table(
        "dl_stock_subscriptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("locale", sa.String(length=35), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("restock_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dl_stock_subscriptions")),
    )
    op.create_index(
        op.f("ix_dl_stock_subscriptions_address_hash"),
        "dl_stock_subscriptions",
        ["address_hash"],
        unique=False,
    )
    op.create_index(
        "ix_dl_stock_subscriptions_queue",
        "dl_stock_subscriptions",
        ["sku", "status", "created_at"],
        unique=False,
    )
    op.create_index(
        "ux_dl_stock_subscriptions_active",
        "dl_stock_subscriptions",
        ["address_hash", "sku"],
        unique=True,
        sqlite_where=sa.text("status IN ('pending', 'confirmed')"),
        postgresql_where=sa.text("status IN ('pending', 'confirmed')"),
    )
    op.create_table(
        "dl_suppressions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dl_suppressions")),
        sa.UniqueConstraint(
            "address_hash", "purpose", name=op.f("uq_dl_suppressions_address_hash")
        ),
    )


def downgrade() -> None:
    op.drop_table("dl_suppressions")
    op.drop_index(
        "ux_dl_stock_subscriptions_active",
        table_name="dl_stock_subscriptions",
        sqlite_where=sa.text("status IN ('pending', 'confirmed')"),
        postgresql_where=sa.text("status IN ('pending', 'confirmed')"),
    )
    op.drop_index("ix_dl_stock_subscriptions_queue", table_name="dl_stock_subscriptions")
    op.drop_index(
        op.f("ix_dl_stock_subscriptions_address_hash"), table_name="dl_stock_subscriptions"
    )
    op.drop_table("dl_stock_subscriptions")
    op.drop_index(
        "ux_dl_restocks_open",
        table_name="dl_restocks",
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.drop_table("dl_restocks")
    op.drop_index(op.f("ix_dl_products_product_id"), table_name="dl_products")
    op.drop_table("dl_products")
    op.drop_index(op.f("ix_dl_page_views_day"), table_name="dl_page_views")
    op.drop_table("dl_page_views")
    op.drop_index("ix_dl_outbox_leases", table_name="dl_outbox")
    op.drop_index("ix_dl_outbox_claimable", table_name="dl_outbox")
    op.drop_index(op.f("ix_dl_outbox_address_hash"), table_name="dl_outbox")
    op.drop_table("dl_outbox")
    op.drop_index(op.f("ix_dl_feedback_page"), table_name="dl_feedback")
    op.drop_index(op.f("ix_dl_feedback_created_at"), table_name="dl_feedback")
    op.drop_table("dl_feedback")
    op.drop_index(op.f("ix_dl_email_tokens_subscription_id"), table_name="dl_email_tokens")
    op.drop_index(op.f("ix_dl_email_tokens_cart_id"), table_name="dl_email_tokens")
    op.drop_index(op.f("ix_dl_email_tokens_address_hash"), table_name="dl_email_tokens")
    op.drop_table("dl_email_tokens")
    op.drop_index(op.f("ix_dl_consents_address_hash"), table_name="dl_consents")
    op.drop_table("dl_consents")
    op.drop_index(op.f("ix_dl_carts_ordered_at"), table_name="dl_carts")
    op.drop_index(
        "ix_dl_carts_due",
        table_name="dl_carts",
        sqlite_where=sa.text("next_reminder_at IS NOT NULL"),
        postgresql_where=sa.text("next_reminder_at IS NOT NULL"),
    )
    op.drop_index(op.f("ix_dl_carts_address_hash"), table_name="dl_carts")
    op.drop_table("dl_carts")
    op.drop_table("dl_address_sequences")
