"""Shipping: orders with their frozen delivery promise, shipments, carrier events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Three new tables, nothing changed in the existing ones (an upgrade from 0001 keeps every row).
As in 0001, columns keep their own types here (a timezone-aware DateTime where the models use
`UtcDateTime`), so a later change to a model never changes what this revision creates.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dl_orders",
        sa.Column("order_id", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("locale", sa.String(length=35), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("postcode", sa.String(length=16), nullable=True),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("promise_earliest", sa.Date(), nullable=True),
        sa.Column("promise_latest", sa.Date(), nullable=True),
        sa.Column("promise_source", sa.String(length=16), nullable=False),
        sa.Column("zone", sa.String(length=100), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unsubscribed_optional", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_dl_orders")),
    )
    op.create_index(op.f("ix_dl_orders_placed_at"), "dl_orders", ["placed_at"], unique=False)
    op.create_index(
        op.f("ix_dl_orders_promise_latest"), "dl_orders", ["promise_latest"], unique=False
    )
    op.create_table(
        "dl_shipments",
        sa.Column("shipment_id", sa.String(length=100), nullable=False),
        sa.Column("order_id", sa.String(length=100), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("tracking_number", sa.String(length=100), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expected_delivery", sa.Date(), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["dl_orders.order_id"],
            name=op.f("fk_dl_shipments_order_id_dl_orders"),
        ),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_dl_shipments")),
    )
    op.create_index(
        "ix_dl_shipments_lane", "dl_shipments", ["carrier", "dispatched_at"], unique=False
    )
    op.create_index(op.f("ix_dl_shipments_order_id"), "dl_shipments", ["order_id"], unique=False)
    op.create_table(
        "dl_shipment_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("shipment_id", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("expected_delivery", sa.Date(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["dl_shipments.shipment_id"],
            name=op.f("fk_dl_shipment_events_shipment_id_dl_shipments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dl_shipment_events")),
        sa.UniqueConstraint(
            "shipment_id", "event_id", name=op.f("uq_dl_shipment_events_shipment_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("dl_shipment_events")
    op.drop_index(op.f("ix_dl_shipments_order_id"), table_name="dl_shipments")
    op.drop_index("ix_dl_shipments_lane", table_name="dl_shipments")
    op.drop_table("dl_shipments")
    op.drop_index(op.f("ix_dl_orders_promise_latest"), table_name="dl_orders")
    op.drop_index(op.f("ix_dl_orders_placed_at"), table_name="dl_orders")
    op.drop_table("dl_orders")
