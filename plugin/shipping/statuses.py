"""The shipment status vocabulary.

One small set of statuses, in the order a parcel normally passes through them. The order is
also the tie-break when two events carry the same time: the later stage wins, so a parcel
reported ``out_for_delivery`` and ``delivered`` in the same second is delivered.
"""

from __future__ import annotations

import enum

__all__ = ["ShipmentStatus", "rank"]


class ShipmentStatus(enum.StrEnum):
    """Where a shipment is. Values are the API's words (``"in_transit"``)."""

    INFO_RECEIVED = "info_received"
    IN_TRANSIT = "in_transit"
    DELAYED = "delayed"
    EXCEPTION = "exception"
    OUT_FOR_DELIVERY = "out_for_delivery"
    FAILED_ATTEMPT = "failed_attempt"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELIVERED = "delivered"
    RETURNED_TO_SENDER = "returned_to_sender"
    RETURN_RECEIVED = "return_received"
    REFUNDED = "refunded"


_RANKS = {status: number for number, status in enumerate(ShipmentStatus)}


def rank(status: ShipmentStatus) -> int:
    """The status's place in a parcel's life (the tie-break for events at the same time)."""
    return _RANKS[status]
