"""The shipment status vocabulary, and the words of tracking services mapped onto it.

One small set of statuses, in the order a parcel normally passes through them. The order is
also the tie-break when two events carry the same time: the later stage wins, so a parcel
reported ``out_for_delivery`` and ``delivered`` in the same second is delivered.

A shop that gets its tracking from Karrio, AfterShip or Sendcloud translates their statuses
with `from_karrio`, `from_aftership` and `from_sendcloud` before it posts an event. Each
answers None for a status that says nothing about where the parcel is (AfterShip's
``Pending``, a cancelled label, "unknown"): such an update is not an event, and the caller
skips it. A value the service does not have raises ValueError naming it. The tables are
taken from each service's own documentation (docs/shipping.md lists them with the sources).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

__all__ = [
    "AFTERSHIP_SUBTAGS",
    "AFTERSHIP_TAGS",
    "KARRIO",
    "SENDCLOUD",
    "ShipmentStatus",
    "from_aftership",
    "from_karrio",
    "from_sendcloud",
    "rank",
]


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


S = ShipmentStatus

# Karrio's `TrackerStatus` (karrio.core.units / the server's serializers): a tracker's status.
KARRIO: Mapping[str, ShipmentStatus | None] = {
    "pending": S.INFO_RECEIVED,
    "in_transit": S.IN_TRANSIT,
    "on_hold": S.EXCEPTION,  # held by the carrier (customs, payment): it will not come on time
    "delivery_delayed": S.DELAYED,
    "out_for_delivery": S.OUT_FOR_DELIVERY,
    "ready_for_pickup": S.AVAILABLE_FOR_PICKUP,
    "delivery_failed": S.FAILED_ATTEMPT,
    "delivered": S.DELIVERED,
    "return_to_sender": S.RETURNED_TO_SENDER,
    "cancelled": None,  # the label was cancelled: cancel the order or shipment instead
    "unknown": None,
}

# AfterShip's delivery statuses (the checkpoint `tag`).
AFTERSHIP_TAGS: Mapping[str, ShipmentStatus | None] = {
    "Pending": None,  # added, no tracking information yet
    "InfoReceived": S.INFO_RECEIVED,
    "InTransit": S.IN_TRANSIT,
    "OutForDelivery": S.OUT_FOR_DELIVERY,
    "AttemptFail": S.FAILED_ATTEMPT,
    "Delivered": S.DELIVERED,
    "AvailableForPickup": S.AVAILABLE_FOR_PICKUP,
    "Exception": S.EXCEPTION,
    "Expired": None,  # no tracking information for 30 days: nothing happened to the parcel
}

# AfterShip sub-statuses (`subtag`) of ``Exception`` that say more than "exception".
AFTERSHIP_SUBTAGS: Mapping[str, ShipmentStatus | None] = {
    "Exception_004": S.DELAYED,  # Delayed (customs clearance)
    "Exception_005": S.DELAYED,  # Delayed (external factors)
    "Exception_010": S.RETURNED_TO_SENDER,  # Returning to sender
    "Exception_011": S.RETURN_RECEIVED,  # Returned to sender: received by the sender
    "Exception_016": S.DELAYED,  # Delayed (processing issue)
    "Exception_017": S.DELAYED,  # Delayed (extreme weather)
    "Exception_019": S.DELAYED,  # Delayed (late flight)
    "Exception_020": None,  # Shipment cancelled
}

# Sendcloud's parcel statuses (``GET /parcels/statuses``): id and the `parent_status` message.
SENDCLOUD: Mapping[int, tuple[str, ShipmentStatus | None]] = {
    1: ("Announced", S.INFO_RECEIVED),
    3: ("En route to sorting center", S.IN_TRANSIT),
    4: ("Delivery delayed", S.DELAYED),
    5: ("Sorted", S.IN_TRANSIT),
    6: ("Not sorted", S.IN_TRANSIT),
    7: ("Being sorted", S.IN_TRANSIT),
    8: ("Delivery attempt failed", S.FAILED_ATTEMPT),
    11: ("Delivered", S.DELIVERED),
    12: ("Awaiting customer pickup", S.AVAILABLE_FOR_PICKUP),
    13: ("Announced: not collected", S.INFO_RECEIVED),
    15: ("Error collecting", S.EXCEPTION),
    22: ("Shipment picked up by driver", S.IN_TRANSIT),
    80: ("Unable to deliver", S.EXCEPTION),
    91: ("Parcel en route", S.IN_TRANSIT),
    92: ("Driver en route", S.OUT_FOR_DELIVERY),
    93: ("Shipment collected by customer", S.DELIVERED),
    94: ("Parcel cancellation failed.", None),
    999: ("No label", None),
    1000: ("Ready to send", S.INFO_RECEIVED),
    1001: ("Being announced", S.INFO_RECEIVED),
    1002: ("Announcement failed", None),
    1337: ("Unknown status - check carrier track & trace page for more insights", None),
    1998: ("Cancelled upstream", None),
    1999: ("Cancellation requested", None),
    2000: ("Cancelled", None),
    2001: ("Submitting cancellation request", None),
    62989: ("At customs", S.IN_TRANSIT),
    62990: ("At sorting centre", S.IN_TRANSIT),
    62991: ("Refused by recipient", S.EXCEPTION),
    62992: ("Returned to sender", S.RETURNED_TO_SENDER),
    # Method, date or address changed: the parcel moves on; a new date belongs in the
    # event's `expected_delivery`, which is what a delay notice compares with the promise.
    62993: ("Delivery method changed", S.IN_TRANSIT),
    62994: ("Delivery date changed", S.IN_TRANSIT),
    62995: ("Delivery address changed", S.IN_TRANSIT),
    62996: ("Exception", S.EXCEPTION),
    62997: ("Address invalid", S.EXCEPTION),
}
_SENDCLOUD_MESSAGES = {message.casefold(): status for message, status in SENDCLOUD.values()}


def _unknown(service: str, value: object, known: object) -> ValueError:
    return ValueError(f"unknown {service} status {value!r}; expected one of {known}")


def from_karrio(status: str) -> ShipmentStatus | None:
    """Karrio's tracker status (``"delivery_failed"``) in this vocabulary."""
    if status not in KARRIO:
        raise _unknown("Karrio", status, ", ".join(KARRIO))
    return KARRIO[status]


def from_aftership(tag: str, subtag: str | None = None) -> ShipmentStatus | None:
    """AfterShip's checkpoint `tag` (``"Exception"``), made precise by its `subtag`
    (``"Exception_011"``, returned to the sender) where the subtag tells more."""
    if tag not in AFTERSHIP_TAGS:
        raise _unknown("AfterShip", tag, ", ".join(AFTERSHIP_TAGS))
    if tag == "Exception" and subtag is not None and subtag in AFTERSHIP_SUBTAGS:
        return AFTERSHIP_SUBTAGS[subtag]
    return AFTERSHIP_TAGS[tag]


def from_sendcloud(status: int | str) -> ShipmentStatus | None:
    """Sendcloud's parcel status, by id (``11``) or by message (``"Delivered"``, any case)."""
    if isinstance(status, int):
        if status not in SENDCLOUD:
            raise _unknown("Sendcloud", status, "an id from GET /parcels/statuses")
        return SENDCLOUD[status][1]
    key = status.strip().casefold()
    if key not in _SENDCLOUD_MESSAGES:
        raise _unknown("Sendcloud", status, "a message from GET /parcels/statuses")
    return _SENDCLOUD_MESSAGES[key]
