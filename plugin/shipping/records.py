"""The shipping tables: orders with the promise frozen at order time, their shipments, and
the carrier events that say what happened to each shipment.

Events are the truth; a shipment's ``status`` … ``refunded_at`` columns are a summary of
its events, recomputed from all of them whenever one is accepted (`service.record_event`), so
the same events in any order give the same row. Every moment is aware UTC
(`defenceline.plugin.timestamps.UtcDateTime`).

Tables carry the plugin's ``dl_`` prefix (the migrations and a host's Alembic filter know the
plugin's tables by it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from defenceline.plugin.storage import Base, utcnow
from defenceline.plugin.timestamps import UtcDateTime

__all__ = ["EventRow", "OrderRow", "ShipmentRow"]

# Identifiers the shop gives (order, shipment, event ids) are at most this long.
ID_LENGTH = 100


class OrderRow(Base):
    """An order as the shop reported it, and the delivery window it promised at order time.

    ``promise_source`` says where the window came from: ``"shop"`` (given in the call),
    ``"estimate"`` (what the delivery widget would have shown at ``placed_at``) or
    ``"calibrated"`` (the estimator in calibration's apply mode). The window is null only
    when the policy has no zone for the country. Imported past orders (``origin = "import"``)
    have no shopper details and never get a message.
    """

    __tablename__ = "dl_orders"

    order_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(35))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    timezone: Mapped[str | None] = mapped_column(String(64))  # IANA, the shopper's
    postcode: Mapped[str | None] = mapped_column(String(16))  # for tracking links
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{sku, quantity}]
    placed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    promise_earliest: Mapped[dt.date | None] = mapped_column(Date)
    promise_latest: Mapped[dt.date | None] = mapped_column(Date, index=True)
    promise_source: Mapped[str] = mapped_column(String(16))  # shop | estimate | calibrated
    zone: Mapped[str | None] = mapped_column(String(100))  # the policy zone's name then
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    unsubscribed_optional: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(16), default="api")  # api | import
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class ShipmentRow(Base):
    """One parcel of an order (``lines`` null: the whole order), and the summary of its
    events: the latest status, the first delivery attempt, delivery, the carrier's latest
    expected date, return and refund. All null until the events say otherwise."""

    __tablename__ = "dl_shipments"
    __table_args__ = (Index("ix_dl_shipments_lane", "carrier", "dispatched_at"),)

    shipment_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("dl_orders.order_id"), index=True)
    carrier: Mapped[str] = mapped_column(String(64))
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    dispatched_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    lines: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    status: Mapped[str | None] = mapped_column(String(32))
    status_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    first_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    expected_delivery: Mapped[dt.date | None] = mapped_column(Date)
    returned_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    refunded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class EventRow(Base):
    """One carrier event. ``event_id`` is the sender's, or derived from status, time and
    location, so the same event sent twice is stored once."""

    __tablename__ = "dl_shipment_events"
    __table_args__ = (UniqueConstraint("shipment_id", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shipment_id: Mapped[str] = mapped_column(ForeignKey("dl_shipments.shipment_id"))
    event_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    status: Mapped[str] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    location: Mapped[str | None] = mapped_column(String(200))
    expected_delivery: Mapped[dt.date | None] = mapped_column(Date)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
