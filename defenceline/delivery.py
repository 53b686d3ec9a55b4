"""When will this parcel arrive? Delivery estimates from the store policy.

The semantics, which every widget, email and FAQ shares:

* The order moment is converted to the warehouse's time zone (DST included). A *warehouse
  day* is a weekday with a cut-off that is neither a public holiday of the warehouse country
  nor a closure date. An order on a warehouse day strictly before that day's cut-off is
  dispatched that day; otherwise on the next warehouse day. `handling_days` more warehouse
  days are then added.
* A *carrier day* is one of the zone carrier's delivery weekdays that is not a public holiday
  of the destination country. The earliest delivery is the `transit_days.min`-th carrier day
  after the dispatch day; the latest the `max`-th.
* Out of stock with a restock date: the start of that day in the warehouse zone is the order
  moment (or the real order moment, if the restock date has already begun). Out of stock
  without a restock date: no dates. A restock date more than `RESTOCK_HORIZON_DAYS` (two
  years) after the order day counts as no restock date: ERP systems write 9999-12-31 for
  "unknown", and a date that far ahead is no promise a shop can keep. A destination outside
  every zone: not shipped.
* The order moment must fall on a day from `businessdays.FIRST_DAY` to `LAST_DAY` (2000 to
  2099); outside that, `estimate_delivery` raises `businessdays.DateOutOfRange` (a
  `ValueError` naming the field ``at``), which a web API answers with a 4xx and a command
  with a usage error. No other date makes it raise.
* `cutoff` is the aware moment until which this estimate holds for an in-stock item ordered
  now: the cut-off of the order day when the order is before it on a warehouse day (the order
  is dispatched that day when `handling_days` is 0), else None. A countdown is shown only to it.
* With a `DeliveryCalibration` (``[shipping.calibration] mode = "apply"``), a lane (zone ×
  carrier) it measured uses the calibrated transit days instead of the zone's, and a carrier
  it found late on Saturdays is not promised for Saturday (Saturday is not a carrier day of
  that lane). `calibrated` is then True. Express options keep their own transit days.
  The calibration is computed ahead from the shop's deliveries (`defenceline.plugin.shipping
  .calibration`); the estimator only looks it up.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from defenceline.businessdays import (
    check_day,
    is_warehouse_day,
    next_carrier_day,
    next_warehouse_day,
)
from defenceline.policy import WEEKDAYS, Policy, TransitDays, Zone

__all__ = [
    "RESTOCK_HORIZON_DAYS",
    "CalibratedLane",
    "DeliveryCalibration",
    "DeliveryEstimate",
    "EstimateStatus",
    "estimate_delivery",
]

RESTOCK_HORIZON_DAYS = 2 * 365
"""A restock date further than this after the order day means "unknown" (no dates)."""


class EstimateStatus(enum.StrEnum):
    OK = "ok"
    """Dates are known."""
    NO_RESTOCK_DATE = "no_restock_date"
    """Out of stock and nobody knows when it comes back: no dates."""
    NOT_SHIPPED = "not_shipped"
    """The shop does not ship to the destination."""


@dataclass(frozen=True)
class DeliveryEstimate:
    """The answer to "when will it arrive?" for one destination, moment and stock state."""

    status: EstimateStatus
    country: str
    ordered_at: dt.datetime  # the order moment used, in the warehouse zone
    zone: str | None = None
    carrier: str | None = None
    dispatch_date: dt.date | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    cutoff: dt.datetime | None = None
    calibrated: bool = False

    @property
    def ships(self) -> bool:
        return self.status is not EstimateStatus.NOT_SHIPPED

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, dates as ISO 8601 strings (or None)."""
        return {
            "status": self.status.value,
            "country": self.country,
            "zone": self.zone,
            "carrier": self.carrier,
            "dispatch_date": _iso(self.dispatch_date),
            "earliest": _iso(self.earliest),
            "latest": _iso(self.latest),
            "cutoff": _iso(self.cutoff),
            "ordered_at": self.ordered_at.isoformat(),
            "calibrated": self.calibrated,
        }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class CalibratedLane:
    """What the shop's deliveries say about one lane: the transit days that meet the target
    (None: too few deliveries, keep the zone's), and whether Saturday may be promised."""

    transit_days: TransitDays | None = None
    saturday: bool = True


@dataclass(frozen=True)
class DeliveryCalibration:
    """Calibrated lanes by (zone name, carrier), looked up by `estimate_delivery`.

    Built once from the delivery history, then only read: an estimate with calibration costs
    one dictionary look-up more than one without.
    """

    lanes: Mapping[tuple[str, str], CalibratedLane]
    # A zone without Saturday, made once per (policy zone, carrier); the policy zone is held so
    # its id() stays its own while the entry lives.
    _zones: dict[int, tuple[Zone, Zone]] = field(default_factory=dict, compare=False, repr=False)

    def lane_zone(self, zone: Zone, lane: CalibratedLane) -> Zone:
        """`zone`, or a copy whose carrier does not deliver on Saturday when `lane` says so."""
        saturday = WEEKDAYS[5]
        if lane.saturday or saturday not in zone.delivery_weekdays:
            return zone
        entry = self._zones.get(id(zone))
        if entry is None or entry[0] is not zone:
            days = [d for d in zone.delivery_weekdays if d != saturday]
            entry = (zone, Zone.model_validate({**zone.model_dump(), "delivery_weekdays": days}))
            self._zones[id(zone)] = entry
        return entry[1]


def estimate_delivery(
    policy: Policy,
    country: str,
    at: dt.datetime | None = None,
    *,
    in_stock: bool = True,
    restock_date: dt.date | None = None,
    express: str | None = None,
    calibration: DeliveryCalibration | None = None,
) -> DeliveryEstimate:
    """Estimate dispatch and delivery to `country` for an order placed `at` (default now).

    `at` may be in any zone; a naive `at` is read as warehouse-local time. For an item out of
    stock, pass ``in_stock=False`` and its `restock_date` when known. `express` names one of the
    zone's express options, whose transit days and carrier are used instead of the zone's.
    `calibration` (apply mode) replaces a measured lane's transit days and Saturday.
    Raises `DateOutOfRange` (a ValueError) for an `at` outside 2000..2099 and ValueError for
    an unknown express option; every other outcome, any restock date included, is an estimate.
    """
    warehouse = policy.warehouse
    tz = warehouse.zone
    if at is not None:
        check_day(at, "at")  # before any zone arithmetic, which overflows near year 1 or 9999
    if at is None:
        local = dt.datetime.now(tz)
    elif at.tzinfo is None:
        local = at.replace(tzinfo=tz)
    else:
        local = at.astimezone(tz)

    destination = country.upper()
    zone = policy.zone_for(destination)
    if zone is None:
        return DeliveryEstimate(EstimateStatus.NOT_SHIPPED, destination, local)

    transit, carrier = zone.transit_days, zone.carrier
    if express is not None:
        option = zone.express_option(express)
        if option is None:
            names = ", ".join(o.name for o in zone.express) or "none"
            raise ValueError(f"zone {zone.name!r} has no express option {express!r} ({names})")
        transit, carrier = option.transit_days, option.carrier or zone.carrier

    carrier_zone, calibrated = zone, False
    if calibration is not None:
        lane = calibration.lanes.get((zone.name, carrier))
        if lane is not None:
            carrier_zone = calibration.lane_zone(zone, lane)
            calibrated = carrier_zone is not zone
            if lane.transit_days is not None and express is None:
                transit, calibrated = lane.transit_days, True

    if not in_stock and (
        restock_date is None
        or (restock_date - local.date()).days > RESTOCK_HORIZON_DAYS  # 9999-12-31: "unknown"
    ):
        return DeliveryEstimate(
            EstimateStatus.NO_RESTOCK_DATE, destination, local, zone.name, carrier
        )

    start = local
    if not in_stock and restock_date is not None and restock_date > local.date():
        start = dt.datetime.combine(restock_date, dt.time(0), tzinfo=tz)

    day = start.date()
    cut = warehouse.cutoff_on(day)
    same_day = cut is not None and start.time() < cut
    memo = _memo_for(policy)
    key = (day, same_day)
    dispatch = memo.get(key)
    if dispatch is None:
        dispatch = _dispatch_date(policy, day, same_day)
        memo[key] = dispatch
    cutoff: dt.datetime | None = None
    if in_stock and same_day and cut is not None and is_warehouse_day(warehouse, day):
        cutoff = dt.datetime.combine(day, cut, tzinfo=tz)

    # The policy zone's id (it lives as long as the memo's policy) and whether Saturday counts.
    route = (id(zone), carrier_zone is zone, destination, dispatch, transit.min, transit.max)
    dates = memo.get(route)
    if dates is None:
        dates = _delivery_dates(carrier_zone, destination, dispatch, transit.min, transit.max)
        memo[route] = dates
    earliest, latest = dates

    return DeliveryEstimate(
        EstimateStatus.OK,
        destination,
        start,
        zone.name,
        carrier,
        dispatch,
        earliest,
        latest,
        cutoff,
        calibrated,
    )


def _dispatch_date(policy: Policy, day: dt.date, before_cutoff: bool) -> dt.date:
    """The dispatch date for an order on `day` (before or after that day's cut-off)."""
    warehouse = policy.warehouse
    if before_cutoff and is_warehouse_day(warehouse, day):
        dispatch = day
    else:
        dispatch = next_warehouse_day(warehouse, day)
    for _ in range(warehouse.handling_days):
        dispatch = next_warehouse_day(warehouse, dispatch)
    return dispatch


def _delivery_dates(
    zone: Zone, destination: str, dispatch: dt.date, first: int, last: int
) -> tuple[dt.date, dt.date]:
    """The `first`-th and `last`-th carrier days after `dispatch`."""
    delivery = earliest = dispatch
    for count in range(1, last + 1):
        delivery = next_carrier_day(zone, destination, delivery)
        if count == first:
            earliest = delivery
    return earliest, delivery


# Dispatch and delivery dates depend only on the order day, the side of the cut-off and the
# route, so they are remembered per policy object: the widget asks the same question all day.
_MEMO_LIMIT = 50_000
_memos: dict[int, tuple[Policy, dict[Any, Any]]] = {}


def _memo_for(policy: Policy) -> dict[Any, Any]:
    entry = _memos.get(id(policy))
    if entry is None or entry[0] is not policy:
        if len(_memos) >= 32:
            _memos.clear()
        entry = (policy, {})
        _memos[id(policy)] = entry
    memo = entry[1]
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    return memo
