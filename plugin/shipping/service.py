"""Recording orders, shipments and carrier events: the Python API behind the JSON API.

Every call is idempotent. An order is written once, with the delivery promise frozen at that
moment; calling again with the same facts changes nothing, with different facts it is a
`Conflict` (only the shopper's contact details may be corrected, and a cancellation added).
A shipment is the same. A carrier event is stored once per (shipment, event id) - the id the
caller gives, or one derived from status, time and location - and the shipment's summary
(status, first attempt, delivery, expected date, return, refund) is recomputed from all of
its events each time one is accepted, so events that arrive twice or out of order end in the
same row.

Each call is one transaction whose first statement writes: on PostgreSQL that locks the order
or shipment row, on SQLite it takes the database's write lock, so concurrent calls for one
shipment are applied one after the other and none recomputes from a stale set of events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from defenceline.delivery import DeliveryCalibration, estimate_delivery
from defenceline.plugin.api.problems import first_error
from defenceline.plugin.api.requests import PRINTABLE, LocaleTag
from defenceline.plugin.cart.tracking import MAX_LINES, TrackedLineIn, all_zones
from defenceline.plugin.emails.consent import EmailAddress
from defenceline.plugin.emails.privacy import PersonalData, hold_personal_data
from defenceline.plugin.shipping.records import ID_LENGTH, EventRow, OrderRow, ShipmentRow
from defenceline.plugin.shipping.statuses import ShipmentStatus, rank
from defenceline.plugin.storage import Storage
from defenceline.plugin.timestamps import as_utc
from defenceline.policy import Policy
from defenceline.regions import all_countries, is_country

__all__ = [
    "DAY_PATTERN",
    "ID_PATTERN",
    "ID_WORDS",
    "MAX_EVENTS",
    "MOMENT_PATTERN",
    "Conflict",
    "EventFacts",
    "FrozenPromise",
    "NotFound",
    "Notify",
    "PlacedOrderIn",
    "PromiseIn",
    "ShipmentEventIn",
    "ShipmentIn",
    "cancel_order",
    "derived_event_id",
    "export_orders",
    "forget_orders",
    "freeze_promise",
    "insert_missing",
    "parse_input",
    "record_event",
    "record_order",
    "record_shipment",
    "summarise",
]

# What an accepted shipment or event sets off, in its transaction: the shipping messages now
# due (`notices.enqueue_due`, which the JSON and Python APIs pass).
Notify = Callable[[Session, ShipmentRow, dt.datetime], object]

# Events one shipment may have. A parcel's journey has a few dozen; every accepted event
# recomputes the summary from all of them, so a sender looping on one shipment is stopped here.
MAX_EVENTS = 500
# Ids the shop gives: letters, digits and . _ ~ : - (they appear in URL paths), starting with a
# letter or digit, so no id is the path segment "." or ".." that a client's URL library resolves.
ID_PATTERN = rf"^[A-Za-z0-9][A-Za-z0-9._~:\-]{{0,{ID_LENGTH - 1}}}$"
ID_WORDS = f"1 to {ID_LENGTH} letters, digits or . _ ~ : -, starting with a letter or digit"
# RFC 3339 moments and dates in 2000-2099, the years the delivery calendar knows. The JSON
# schema carries the same pattern, so what it allows is exactly what is accepted.
_YEAR_DAY = r"20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
MOMENT_PATTERN = (
    rf"^{_YEAR_DAY}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{{1,6}})?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
DAY_PATTERN = rf"^{_YEAR_DAY}$"
_MOMENT = re.compile(MOMENT_PATTERN)
_DAY = re.compile(DAY_PATTERN)
_MOMENT_WORDS = "a date and time with its UTC offset in 2000-2099, e.g. 2026-11-24T15:00:00+01:00"
_DAY_WORDS = "a date in 2000-2099, e.g. 2026-11-26"


def _moment(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or not 2000 <= value.year <= 2099:
            raise ValueError(f"expected an aware datetime in 2000-2099, got {value!r}")
        return as_utc(value)
    if not isinstance(value, str) or not _MOMENT.fullmatch(value):
        raise ValueError(f"expected {_MOMENT_WORDS}; got {value!r}")
    return as_utc(dt.datetime.fromisoformat(value))  # a day past the month's end: ValueError


def _day(value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if not 2000 <= value.year <= 2099:
            raise ValueError(f"expected {_DAY_WORDS}; got {value!r}")
        return value
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValueError(f"expected {_DAY_WORDS}; got {value!r}")
    return dt.date.fromisoformat(value)


Moment = Annotated[
    dt.datetime,
    BeforeValidator(_moment),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": MOMENT_PATTERN}),
]
Day = Annotated[
    dt.date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN}),
]
Identifier = Annotated[str, Field(pattern=ID_PATTERN)]
Line = Annotated[str, Field(min_length=1, max_length=200, pattern=PRINTABLE)]


# --- what the calls take -----------------------------------------------------------------------


class PromiseIn(BaseModel):
    """The delivery window the shop promised at checkout (both days included)."""

    model_config = ConfigDict(extra="forbid")

    earliest: Day
    latest: Day

    @model_validator(mode="after")
    def _in_order(self) -> PromiseIn:
        if self.earliest > self.latest:
            raise ValueError(
                f"earliest ({self.earliest}) is after latest ({self.latest}); expected "
                "earliest <= latest"
            )
        return self


class PlacedOrderIn(BaseModel):
    """Body of ``POST {prefix}/api/v1/orders/<order_id>`` (and `record_order`'s arguments).

    `placed_at` defaults to now. Without `promise` the window the delivery widget would have
    shown at `placed_at` is recorded. `postcode` fills the tracking links that need it.
    `cancelled_at` cancels the order (no shipping message is sent after it).
    """

    model_config = ConfigDict(extra="forbid")

    lines: Annotated[list[TrackedLineIn], Field(min_length=1, max_length=MAX_LINES)]
    email: EmailAddress
    name: Annotated[str, Field(max_length=200, pattern=PRINTABLE)]
    locale: LocaleTag
    country: Annotated[
        str, Field(min_length=2, max_length=2), WithJsonSchema({"enum": all_countries()})
    ]
    timezone: Annotated[str, Field(max_length=64), WithJsonSchema({"enum": all_zones()})]
    placed_at: Moment | None = None
    promise: PromiseIn | None = None
    postcode: Annotated[str, Field(min_length=1, max_length=16, pattern=PRINTABLE)] | None = None
    cancelled_at: Moment | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        if not value.isupper() or not is_country(value):
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code such as NL")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        if value not in set(all_zones()):
            raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Amsterdam")
        return value

    @field_validator("lines")
    @classmethod
    def _one_line_per_sku(cls, lines: list[TrackedLineIn]) -> list[TrackedLineIn]:
        return _merged(lines)


class ShipmentIn(BaseModel):
    """Body of ``POST {prefix}/api/v1/orders/<order_id>/shipments``. `lines` (a part of the
    order's lines) makes it one of several parcels; left out, it carries the whole order."""

    model_config = ConfigDict(extra="forbid")

    shipment_id: Identifier
    carrier: Annotated[str, Field(min_length=1, max_length=64, pattern=PRINTABLE)]
    tracking_number: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[!-~]+$")]
    dispatched_at: Moment
    lines: Annotated[list[TrackedLineIn], Field(min_length=1, max_length=MAX_LINES)] | None = None

    @field_validator("lines")
    @classmethod
    def _one_line_per_sku(cls, lines: list[TrackedLineIn] | None) -> list[TrackedLineIn] | None:
        return None if lines is None else _merged(lines)


class ShipmentEventIn(BaseModel):
    """Body of ``POST {prefix}/api/v1/shipments/<shipment_id>/events``: one carrier event.

    Without `event_id` the event is known by its status, time and location, so the same
    report sent twice is stored once. `expected_delivery` is the carrier's latest estimate.
    """

    model_config = ConfigDict(extra="forbid")

    status: ShipmentStatus
    at: Moment
    event_id: Identifier | None = None
    location: Line | None = None
    expected_delivery: Day | None = None


def _merged(lines: Iterable[TrackedLineIn]) -> list[TrackedLineIn]:
    """One line per SKU, quantities added (capped like a tracked cart's)."""
    total: dict[str, int] = {}
    for line in lines:
        total[line.sku] = total.get(line.sku, 0) + line.quantity
    return [TrackedLineIn(sku=sku, quantity=min(n, 10_000)) for sku, n in total.items()]


def parse_input(model: type[BaseModel], fields: dict[str, Any]) -> Any:
    """`fields` as a `model` for the Python API; ValueError naming the first wrong field."""
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        field, message = first_error(exc)
        raise ValueError(f"{field}: {message}") from None


# --- errors ------------------------------------------------------------------------------------


class NotFound(LookupError):
    """No order or shipment with this id (the JSON API answers 404)."""

    def __init__(self, what: str, key: str) -> None:
        super().__init__(f"no {what} {key!r}; record it first")
        self.what = what
        self.key = key


class Conflict(ValueError):
    """The call contradicts what was recorded before under the same id (409). `field` names
    the first fact that differs."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


# --- the promise -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrozenPromise:
    """The delivery window an order is measured against, and where it came from."""

    earliest: dt.date | None
    latest: dt.date | None
    source: str  # shop | estimate | calibrated
    zone: str | None


def freeze_promise(
    policy: Policy,
    country: str,
    placed_at: dt.datetime,
    given: PromiseIn | None = None,
    calibration: DeliveryCalibration | None = None,
) -> FrozenPromise:
    """The promise to record: `given` (the shop's), else what the delivery widget showed for
    an item in stock ordered at `placed_at` (with `calibration` when it is applied)."""
    zone = policy.shipping.zone_for(country)
    if given is not None:
        return FrozenPromise(given.earliest, given.latest, "shop", zone.name if zone else None)
    estimate = estimate_delivery(policy, country, placed_at, calibration=calibration)
    source = "calibrated" if estimate.calibrated else "estimate"
    return FrozenPromise(estimate.earliest, estimate.latest, source, estimate.zone)


# --- the calls ---------------------------------------------------------------------------------


def insert_missing(
    session: Session, table: Table | Any, rows: list[dict[str, Any]], key: Any
) -> set[Any]:
    """INSERT … ON CONFLICT DO NOTHING of `rows` (one statement, many rows); the `key` of each
    row this call wrote. Safe against concurrent writers of the same rows."""
    if not rows:
        return set()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).on_conflict_do_nothing().returning(key)
    return set(session.execute(statement, rows).scalars())


def _lines(lines: Sequence[TrackedLineIn]) -> list[dict[str, Any]]:
    return [{"sku": line.sku, "quantity": line.quantity} for line in lines]


def _differs(field: str, recorded: object, given: object, what: str, key: str) -> Conflict:
    return Conflict(
        f"{what} {key!r} was recorded with {field} {recorded!r}; this call says {given!r} "
        f"({field} cannot change once recorded)",
        field,
    )


def record_order(
    storage: Storage,
    policy: Policy,
    order_id: str,
    order: PlacedOrderIn,
    now: dt.datetime,
    *,
    locale: str | None = None,
    calibration: DeliveryCalibration | None = None,
) -> tuple[OrderRow, bool]:
    """Record an order (or confirm it); (the row, True when this call created it).

    `locale` is the shop's locale negotiated from the order's (default: as given). A repeat
    with other lines, country, time or promise raises `Conflict`; contact details given again
    replace the recorded ones, and `cancelled_at` cancels an order not cancelled before.
    """
    placed_at = order.placed_at or as_utc(now)
    promise = freeze_promise(policy, order.country, placed_at, order.promise, calibration)
    contact = {
        "email": order.email,
        "name": order.name,
        "locale": locale or order.locale,
        "timezone": order.timezone,
        **({"postcode": order.postcode} if order.postcode is not None else {}),
    }
    values = {
        "order_id": order_id,
        **contact,
        "country": order.country,
        "lines": _lines(order.lines),
        "placed_at": placed_at,
        "promise_earliest": promise.earliest,
        "promise_latest": promise.latest,
        "promise_source": promise.source,
        "zone": promise.zone,
        "cancelled_at": order.cancelled_at,
        "unsubscribed_optional": False,
        "origin": "api",
        "recorded_at": as_utc(now),
    }
    with storage.sessions().begin() as session:
        created = bool(insert_missing(session, OrderRow.__table__, [values], OrderRow.order_id))
        row = session.get(OrderRow, order_id, populate_existing=True)
        assert row is not None
        if not created:
            _same_order(row, order, placed_at if order.placed_at else None)
            for name, value in contact.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
            if order.cancelled_at is not None and row.cancelled_at is None:
                row.cancelled_at = order.cancelled_at
    return row, created


def _same_order(row: OrderRow, order: PlacedOrderIn, placed_at: dt.datetime | None) -> None:
    """Raise `Conflict` when `order` contradicts the recorded `row`."""
    key = row.order_id
    if row.country != order.country:
        raise _differs("country", row.country, order.country, "order", key)
    given = _lines(order.lines)
    if sorted(row.lines, key=lambda line: str(line["sku"])) != sorted(
        given, key=lambda x: x["sku"]
    ):
        raise _differs("lines", row.lines, given, "order", key)
    if placed_at is not None and row.placed_at != placed_at:
        raise _differs("placed_at", row.placed_at.isoformat(), placed_at.isoformat(), "order", key)
    if order.promise is not None:
        recorded = (row.promise_earliest, row.promise_latest)
        wanted = (order.promise.earliest, order.promise.latest)
        if row.promise_source != "shop" or recorded != wanted:
            raise Conflict(
                f"order {key!r} already has its promise ({_window(*recorded)}, "
                f"{row.promise_source}); the promise is frozen at order time",
                "promise",
            )


def _window(earliest: dt.date | None, latest: dt.date | None) -> str:
    return f"{earliest} to {latest}" if earliest and latest else "none"


def cancel_order(storage: Storage, order_id: str, at: dt.datetime) -> OrderRow:
    """Mark the order cancelled at `at` (an earlier cancellation stands). `NotFound` for an
    order never recorded. No shipping message is sent for it after this."""
    with storage.sessions().begin() as session:
        _lock(session, OrderRow, order_id, "order")
        row = session.get(OrderRow, order_id, populate_existing=True)
        assert row is not None
        if row.cancelled_at is None:
            row.cancelled_at = as_utc(at)
    return row


def _lock(session: Session, model: type[OrderRow] | type[ShipmentRow], key: str, what: str) -> None:
    """The transaction's first write: a no-op update of the row, which locks it (PostgreSQL)
    or takes the write lock (SQLite). `NotFound` when there is no such row."""
    column = model.order_id if model is OrderRow else ShipmentRow.shipment_id
    result = session.execute(update(model).where(column == key).values({column: key}))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound(what, key)


def record_shipment(
    storage: Storage,
    order_id: str,
    shipment: ShipmentIn,
    now: dt.datetime,
    notify: Notify | None = None,
) -> tuple[ShipmentRow, bool]:
    """Record a parcel of an order (or confirm it); (the row, True when this call created
    it). `NotFound` for an unknown order; `Conflict` when the shipment id belongs to another
    order or was recorded with other facts, or when its lines are not in the order (a SKU
    the order lacks, or more items than ordered over all its parcels). A new shipment is
    passed to `notify` in the same transaction."""
    with storage.sessions().begin() as session:
        _lock(session, OrderRow, order_id, "order")
        existing = session.get(ShipmentRow, shipment.shipment_id, populate_existing=True)
        if existing is not None:
            _same_shipment(existing, order_id, shipment)
            return existing, False
        order = session.get(OrderRow, order_id)
        assert order is not None
        if shipment.lines is not None:
            _check_lines(session, order, shipment)
        row = ShipmentRow(
            shipment_id=shipment.shipment_id,
            order_id=order_id,
            carrier=shipment.carrier,
            tracking_number=shipment.tracking_number,
            dispatched_at=shipment.dispatched_at,
            lines=None if shipment.lines is None else _lines(shipment.lines),
            recorded_at=as_utc(now),
        )
        session.add(row)
        session.flush()
        if notify is not None:
            notify(session, row, now)
    return row, True


def _same_shipment(row: ShipmentRow, order_id: str, shipment: ShipmentIn) -> None:
    key = row.shipment_id
    given_lines = None if shipment.lines is None else _lines(shipment.lines)
    for field, recorded, given in (
        ("order_id", row.order_id, order_id),
        ("carrier", row.carrier, shipment.carrier),
        ("tracking_number", row.tracking_number, shipment.tracking_number),
        ("dispatched_at", row.dispatched_at, shipment.dispatched_at),
        ("lines", row.lines, given_lines),
    ):
        if recorded != given:
            shown = (
                (recorded.isoformat(), given.isoformat())  # type: ignore[union-attr]
                if field == "dispatched_at"
                else (recorded, given)
            )
            raise _differs(field, shown[0], shown[1], "shipment", key)


def _check_lines(session: Session, order: OrderRow, shipment: ShipmentIn) -> None:
    ordered = {str(line["sku"]): int(line["quantity"]) for line in order.lines}
    shipped: dict[str, int] = {}
    others = session.scalars(select(ShipmentRow).where(ShipmentRow.order_id == order.order_id))
    for other in others:
        for sent in other.lines or order.lines:
            shipped[str(sent["sku"])] = shipped.get(str(sent["sku"]), 0) + int(sent["quantity"])
    for index, line in enumerate(shipment.lines or ()):
        if line.sku not in ordered:
            raise Conflict(
                f"lines.{index}.sku: order {order.order_id!r} has no SKU {line.sku!r}; "
                f"expected one of {', '.join(sorted(ordered))}",
                f"lines.{index}.sku",
            )
        left = ordered[line.sku] - shipped.get(line.sku, 0)
        if line.quantity > left:
            raise Conflict(
                f"lines.{index}.quantity: {line.quantity} of {line.sku!r}, but only {left} of "
                f"the {ordered[line.sku]} ordered are not in another shipment yet",
                f"lines.{index}.quantity",
            )


def derived_event_id(status: str, at: dt.datetime, location: str | None) -> str:
    """The id of an event sent without one: the same report twice gives the same id."""
    text = f"{status}|{as_utc(at).isoformat()}|{location or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_event(
    storage: Storage,
    shipment_id: str,
    event: ShipmentEventIn,
    now: dt.datetime,
    notify: Notify | None = None,
) -> tuple[ShipmentRow, str, bool]:
    """Record a carrier event; (the shipment with its summary, the event id, True when the
    event is new). A repeated event changes nothing; one reusing an event id with other
    facts raises `Conflict`; `NotFound` for an unknown shipment. After a new event the
    shipment, its summary recomputed, is passed to `notify` in the same transaction."""
    event_id = event.event_id or derived_event_id(event.status, event.at, event.location)
    values = {
        "shipment_id": shipment_id,
        "event_id": event_id,
        "status": event.status.value,
        "at": event.at,
        "location": event.location,
        "expected_delivery": event.expected_delivery,
        "received_at": as_utc(now),
    }
    with storage.sessions().begin() as session:
        _lock(session, ShipmentRow, shipment_id, "shipment")
        try:
            created = bool(insert_missing(session, EventRow.__table__, [values], EventRow.id))
        except IntegrityError:  # pragma: no cover - the lock above found the shipment
            raise NotFound("shipment", shipment_id) from None
        if not created:
            _same_event(session, shipment_id, event_id, values)
        row = session.get(ShipmentRow, shipment_id, populate_existing=True)
        assert row is not None
        if created:
            events = list(
                session.scalars(select(EventRow).where(EventRow.shipment_id == shipment_id))
            )
            if len(events) > MAX_EVENTS:  # the insert above is rolled back with the Conflict
                raise Conflict(
                    f"shipment {shipment_id!r} has {MAX_EVENTS} events already; expected at "
                    f"most {MAX_EVENTS} per shipment (a parcel's journey has a few dozen)",
                    "event_id",
                )
            for name, value in summarise(list(events)).items():
                setattr(row, name, value)
            session.flush()
            if notify is not None:
                notify(session, row, now)
    return row, event_id, created


def _same_event(session: Session, shipment_id: str, event_id: str, values: dict[str, Any]) -> None:
    recorded = session.scalars(
        select(EventRow).where(EventRow.shipment_id == shipment_id, EventRow.event_id == event_id)
    ).one()
    for field in ("status", "at", "location", "expected_delivery"):
        if getattr(recorded, field) != values[field]:
            raise Conflict(
                f"event {event_id!r} of shipment {shipment_id!r} was recorded with {field} "
                f"{getattr(recorded, field)!s}; this call says {values[field]!s} (an event id "
                "names one event)",
                field,
            )


class EventFacts(Protocol):
    """What `summarise` reads of an event (an `EventRow`, or the importer's plain record)."""

    @property
    def status(self) -> str: ...
    @property
    def at(self) -> dt.datetime: ...
    @property
    def event_id(self) -> str: ...
    @property
    def expected_delivery(self) -> dt.date | None: ...


def summarise(events: Sequence[EventFacts]) -> dict[str, Any]:
    """A shipment's summary columns from all its events, in any order.

    `status` is the latest event's (by time; at the same time the later stage, `rank`);
    `first_attempt_at` the first delivery or failed attempt; `delivered_at` the first
    delivery; `expected_delivery` the latest event's that carries one; `returned_at` the first
    ``return_received`` and `refunded_at` the first ``refunded``.
    """

    def order(event: EventFacts) -> tuple[dt.datetime, int, str]:
        return (as_utc(event.at), rank(ShipmentStatus(event.status)), event.event_id)

    def first(*statuses: ShipmentStatus) -> dt.datetime | None:
        moments = [as_utc(e.at) for e in events if e.status in statuses]
        return min(moments) if moments else None

    latest = max(events, key=order, default=None)
    estimates = [e for e in events if e.expected_delivery is not None]
    newest_estimate = max(estimates, key=order, default=None)
    return {
        "status": latest.status if latest else None,
        "status_at": as_utc(latest.at) if latest else None,
        "first_attempt_at": first(ShipmentStatus.DELIVERED, ShipmentStatus.FAILED_ATTEMPT),
        "delivered_at": first(ShipmentStatus.DELIVERED),
        "expected_delivery": newest_estimate.expected_delivery if newest_estimate else None,
        "returned_at": first(ShipmentStatus.RETURN_RECEIVED),
        "refunded_at": first(ShipmentStatus.REFUNDED),
    }


# --- the shopper's personal data (GDPR art. 15 and 17) ----------------------------------------


def _orders_of(session: Session, address: str) -> list[OrderRow]:
    wanted = address.strip().lower()
    query = select(OrderRow).where(func.lower(OrderRow.email) == wanted).order_by(OrderRow.order_id)
    return list(session.scalars(query))


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_orders(session: Session, address: str) -> dict[str, Any]:
    """The orders placed with `address` (any letter case), each with its shipments and their
    carrier events: ``flask defenceline export``'s ``orders`` section."""
    orders = _orders_of(session, address)
    ids = [order.order_id for order in orders]
    shipments = list(
        session.scalars(
            select(ShipmentRow)
            .where(ShipmentRow.order_id.in_(ids))
            .order_by(ShipmentRow.dispatched_at, ShipmentRow.shipment_id)
        )
    )
    events: dict[str, list[EventRow]] = {}
    for event in session.scalars(
        select(EventRow)
        .where(EventRow.shipment_id.in_([s.shipment_id for s in shipments]))
        .order_by(EventRow.at, EventRow.id)
    ):
        events.setdefault(event.shipment_id, []).append(event)

    def shipment_data(row: ShipmentRow) -> dict[str, Any]:
        return {
            "shipment_id": row.shipment_id,
            "carrier": row.carrier,
            "tracking_number": row.tracking_number,
            "dispatched_at": _iso(row.dispatched_at),
            "lines": row.lines,
            "status": row.status,
            "delivered_at": _iso(row.delivered_at),
            "events": [
                {
                    "status": e.status,
                    "at": _iso(e.at),
                    "location": e.location,
                    "expected_delivery": _iso(e.expected_delivery),
                }
                for e in events.get(row.shipment_id, [])
            ],
        }

    return {
        "orders": [
            {
                "order_id": order.order_id,
                "email": order.email,
                "name": order.name,
                "locale": order.locale,
                "country": order.country,
                "timezone": order.timezone,
                "postcode": order.postcode,
                "lines": order.lines,
                "placed_at": _iso(order.placed_at),
                "promise": {
                    "earliest": _iso(order.promise_earliest),
                    "latest": _iso(order.promise_latest),
                    "source": order.promise_source,
                },
                "cancelled_at": _iso(order.cancelled_at),
                "shipments": [
                    shipment_data(row) for row in shipments if row.order_id == order.order_id
                ],
            }
            for order in orders
        ]
    }


def forget_orders(session: Session, address: str) -> dict[str, int]:
    """Erase the shopper from the orders placed with `address`: their email, name and
    postcode, the shipments' tracking numbers (a carrier links them to the delivery address)
    and the events' free-text locations (a depot, or "with the neighbour at no. 12"). What
    the promise report measures stays, anonymous: country, zone, lines, the promise and the
    delivery times. No message goes to such an order again (it has no address)."""
    ids = [order.order_id for order in _orders_of(session, address)]
    shipments = select(ShipmentRow.shipment_id).where(ShipmentRow.order_id.in_(ids))
    options = {"synchronize_session": False}
    orders = session.execute(
        update(OrderRow)
        .where(OrderRow.order_id.in_(ids))
        .values(email=None, name=None, postcode=None, unsubscribed_optional=True)
        .execution_options(**options)
    )
    tracked = session.execute(
        update(ShipmentRow)
        .where(ShipmentRow.order_id.in_(ids))
        .values(tracking_number=None)
        .execution_options(**options)
    )
    located = session.execute(
        update(EventRow)
        .where(EventRow.shipment_id.in_(shipments), EventRow.location.is_not(None))
        .values(location=None)
        .execution_options(**options)
    )
    return {
        "orders_anonymised": int(getattr(orders, "rowcount", 0) or 0),
        "tracking_numbers": int(getattr(tracked, "rowcount", 0) or 0),
        "event_locations": int(getattr(located, "rowcount", 0) or 0),
    }


hold_personal_data(
    "shipping",
    PersonalData(
        export=export_orders,
        forget=forget_orders,
        tables=("dl_orders", "dl_shipments", "dl_shipment_events"),
    ),
)
