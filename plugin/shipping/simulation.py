"""A year of simulated deliveries, for the tests, the benchmark and the demo.

Orders arrive around the clock over the destinations of a store policy (the shop's own country
takes most of them); each is promised what `estimate_delivery` says at the moment it is placed,
dispatched on the promised dispatch day (a few a warehouse day late), and delivered after a
number of carrier days drawn per carrier:

* a zone whose transit is one day (``min == max``): 95.5% on that day, then 3.5% a day late and
  1% two days late; a zone with a range: 2% a day before it (when it starts after one day),
  about 55% on its first day, the rest of 94% spread over the rest of the range, 3% one day
  past it and 1% two days past;
* one carrier (`late_carrier`; by default the first zone's that delivers on Saturdays) is late
  more often in December (the chance of missing the window four times as high) and on
  Saturdays: a first attempt that falls on a Saturday slips to its next delivery day in 30%
  of cases;
* 2% of first attempts fail (the parcel is delivered a carrier day later), 0.2% of parcels are
  lost, and parcels still on their way at `as_of` have no delivery yet (in transit).

Everything is drawn from one seeded `numpy.random.Generator`, so a seed gives the same year.
The arrays are what `history.DeliveryHistory` is built from, and `insert_deliveries` writes
them into the shipping tables in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, insert

from defenceline.businessdays import next_warehouse_day
from defenceline.delivery import estimate_delivery
from defenceline.plugin.shipping.accuracy import Accuracy, accuracy
from defenceline.plugin.shipping.calibration import (
    LaneCalibration,
    delivery_calibration,
    measure_lanes,
)
from defenceline.plugin.shipping.history import (
    DeliveryHistory,
    carrier_calendar,
    history_from_moments,
    name_codes,
    weekday_of,
)
from defenceline.plugin.shipping.records import EventRow, OrderRow, ShipmentRow
from defenceline.policy import Policy

__all__ = [
    "Backtest",
    "SimulatedDeliveries",
    "backtest",
    "insert_deliveries",
    "simulate_deliveries",
]

# Each destination country's shoppers are in its capital's zone (close enough for a parcel).
_COUNTRY_ZONES = {
    "AT": "Europe/Vienna",
    "BE": "Europe/Brussels",
    "CH": "Europe/Zurich",
    "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen",
    "ES": "Europe/Madrid",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
    "IT": "Europe/Rome",
    "LU": "Europe/Luxembourg",
    "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw",
    "SE": "Europe/Stockholm",
}
_GRID_MINUTES = 5  # orders are placed on a five-minute grid: one estimate per slot and country
_HOME_SHARE = 0.7
_DISPATCH_LATE = 0.02
_FAILED_ATTEMPT = 0.02
_LOST = 0.002
_SATURDAY_SLIP = 0.30
_DECEMBER_FACTOR = 4.0


@dataclass(frozen=True)
class SimulatedDeliveries:
    """One row per shipment (one shipment per order). Moments are UTC ``datetime64[s]``
    (NaT: not yet), promised dates ``datetime64[D]``; `as_of` is the moment the year ends."""

    country: npt.NDArray[np.str_]
    timezone: npt.NDArray[np.str_]
    zone: npt.NDArray[np.str_]
    carrier: npt.NDArray[np.str_]
    placed_at: npt.NDArray[np.datetime64]
    promise_earliest: npt.NDArray[np.datetime64]
    promise_latest: npt.NDArray[np.datetime64]
    dispatched_at: npt.NDArray[np.datetime64]
    first_attempt_at: npt.NDArray[np.datetime64]
    delivered_at: npt.NDArray[np.datetime64]
    as_of: dt.datetime

    def __len__(self) -> int:
        return len(self.country)

    def order_id(self, n: int) -> str:
        return f"SIM-{n:07d}"

    def where(self, rows: npt.NDArray[np.bool_]) -> SimulatedDeliveries:
        """The shipments selected by the mask `rows`."""
        arrays = {
            name: getattr(self, name)[rows]
            for name in self.__dataclass_fields__
            if name not in ("as_of",)
        }
        return replace(self, **arrays)

    def history(self, warehouse_timezone: str, as_of: dt.datetime | None = None) -> DeliveryHistory:
        """What `history.read_history` reads after `insert_deliveries(self)`, seen at `as_of`
        (default: the end of the simulated span), straight from the arrays."""
        moment = as_of or self.as_of
        end = np.datetime64(moment.astimezone(dt.UTC).replace(tzinfo=None), "s")
        keep = self.dispatched_at < end
        attempt = self.first_attempt_at[keep]
        known = ~np.isnat(attempt) & (attempt < end)
        return history_from_moments(
            name_codes(self.zone[keep].tolist()),
            name_codes(self.carrier[keep].tolist()),
            name_codes(self.country[keep].tolist()),
            dispatched=self.dispatched_at[keep].astype(np.int64),
            attempted=np.where(known, attempt.astype(np.int64), -1),
            timezones=name_codes(self.timezone[keep].tolist()),
            earliest=self.promise_earliest[keep],
            latest=self.promise_latest[keep],
            as_of=int(end.astype(np.int64)),
            warehouse_timezone=warehouse_timezone,
        )


def simulate_deliveries(
    policy: Policy,
    *,
    shipments: int = 15_000,
    start: dt.date = dt.date(2025, 1, 1),
    days: int = 365,
    seed: int = 2026,
    late_carrier: str | None = None,
) -> SimulatedDeliveries:
    """`shipments` orders placed over `days` days from `start`, each shipped and delivered as
    the module docstring describes. Destinations outside every zone are never drawn."""
    rng = np.random.default_rng(seed)
    late = late_carrier or _default_late_carrier(policy)
    countries = policy.shipping.countries
    home = policy.shop.country if policy.shop.country in countries else countries[0]
    others = [c for c in countries if c != home]
    weights = [_HOME_SHARE if c == home else (1 - _HOME_SHARE) / len(others) for c in countries]
    if not others:
        weights = [1.0]
    pick = rng.choice(len(countries), size=shipments, p=weights)
    country = np.array(countries)[pick]

    first = np.datetime64(start, "m")
    slot = rng.integers(0, days * 24 * 60 // _GRID_MINUTES, size=shipments)
    placed = first + (slot * _GRID_MINUTES).astype("timedelta64[m]")
    # Dates in the warehouse's zone on the grid are UTC moments: read `start` as UTC.
    as_of = dt.datetime.combine(start, dt.time(0), tzinfo=dt.UTC) + dt.timedelta(days=days)

    n = shipments
    # One estimate per distinct (grid slot, country), spread to the orders by index.
    keys = slot * len(countries) + pick
    unique, inverse = np.unique(keys, return_inverse=True)
    estimates = [
        estimate_delivery(
            policy,
            countries[key % len(countries)],
            dt.datetime.combine(start, dt.time(0), tzinfo=dt.UTC)
            + dt.timedelta(minutes=(key // len(countries)) * _GRID_MINUTES),
        )
        for key in unique.tolist()
    ]
    zone = np.array([e.zone for e in estimates])[inverse]
    carrier = np.array([e.carrier for e in estimates])[inverse]
    earliest = np.array([e.earliest for e in estimates], dtype="datetime64[D]")[inverse]
    latest = np.array([e.latest for e in estimates], dtype="datetime64[D]")[inverse]
    dispatch = np.array([e.dispatch_date for e in estimates], dtype="datetime64[D]")[inverse]

    # A few parcels leave a warehouse day late.
    late_dispatch = rng.random(n) < _DISPATCH_LATE
    days_late, which = np.unique(dispatch[late_dispatch], return_inverse=True)
    next_days = [next_warehouse_day(policy.warehouse, day) for day in days_late.tolist()]
    dispatch[late_dispatch] = np.array(next_days, dtype="datetime64[D]")[which]

    attempt = np.empty(n, dtype="datetime64[D]")
    delivered = np.empty(n, dtype="datetime64[D]")
    for z in policy.shipping.zones:
        for dest in z.countries:
            rows = np.flatnonzero(country == dest)
            if not len(rows):
                continue
            calendar = carrier_calendar(z, dest, dispatch[rows].min(), dispatch[rows].max())
            steps = _transit_draws(rng, z.transit_days.min, z.transit_days.max, len(rows))
            if z.carrier == late:
                december = dispatch[rows].astype("datetime64[M]").astype(int) % 12 == 11
                again = _transit_draws(
                    rng, z.transit_days.min, z.transit_days.max, len(rows), _DECEMBER_FACTOR
                )
                steps = np.where(december, again, steps)
            first_try = calendar.offset(dispatch[rows], steps)
            if z.carrier == late:
                saturday = weekday_of(first_try) == 5
                slip = saturday & (rng.random(len(rows)) < _SATURDAY_SLIP)
                first_try = np.where(slip, calendar.offset(first_try, 1), first_try)
            failed = rng.random(len(rows)) < _FAILED_ATTEMPT
            attempt[rows] = first_try
            delivered[rows] = np.where(failed, calendar.offset(first_try, 1), first_try)

    lost = rng.random(n) < _LOST
    zones_of = [_COUNTRY_ZONES.get(c, policy.warehouse.timezone) for c in countries]
    timezone = np.array(zones_of)[pick]
    dispatched_at = _local_moments(dispatch, policy.warehouse.timezone, 17 * 3600, 7200, rng)
    attempt_at = _moments_by_zone(attempt, timezone, rng)
    delivered_at = np.where(
        delivered == attempt, attempt_at, _moments_by_zone(delivered, timezone, rng)
    )
    end = np.datetime64(as_of.replace(tzinfo=None), "s")
    placed_s = placed.astype("datetime64[s]")
    keep = dispatched_at < end
    not_yet = np.datetime64("NaT", "s")
    attempt_at = np.where(lost | (attempt_at >= end), not_yet, attempt_at)
    delivered_at = np.where(lost | (delivered_at >= end), not_yet, delivered_at)
    return SimulatedDeliveries(
        country=country[keep].astype(str),
        timezone=timezone[keep].astype(str),
        zone=zone[keep].astype(str),
        carrier=carrier[keep].astype(str),
        placed_at=placed_s[keep],
        promise_earliest=earliest[keep],
        promise_latest=latest[keep],
        dispatched_at=dispatched_at[keep],
        first_attempt_at=attempt_at[keep],
        delivered_at=delivered_at[keep],
        as_of=as_of,
    )


@dataclass(frozen=True)
class Backtest:
    """Promises calibrated on the shipments dispatched before `split`, measured on the
    orders placed from `split` on, beside the policy's own promises for the same orders."""

    split: dt.date
    lanes: list[LaneCalibration]
    held_out: int
    calibrated: Accuracy
    uncalibrated: Accuracy
    by_carrier: dict[str, tuple[Accuracy, Accuracy]]  # carrier: (calibrated, uncalibrated)


def backtest(
    policy: Policy, sim: SimulatedDeliveries, split: dt.date, every_days: int | None = None
) -> Backtest:
    """Calibrate on what was known at the start of `split` (apply mode), then give every
    later order the promise the estimator makes with that calibration and measure it.
    With `every_days`, the calibration is made again every so many days from what was known
    then, as a running shop recalibrates (the plugin does so hourly)."""
    timezone = policy.warehouse.timezone
    moment = dt.datetime.combine(split, dt.time(0), tzinfo=policy.warehouse.zone)
    first = measure_lanes(sim.history(timezone, moment), policy)
    later = sim.where(sim.placed_at >= _utc(moment))
    earliest = later.promise_earliest.copy()
    latest = later.promise_latest.copy()
    step = dt.timedelta(days=every_days or 100 * 366)
    start, lanes = moment, first
    while start < later.as_of:
        end = start + step
        if start != moment:
            lanes = measure_lanes(sim.history(timezone, start), policy)
        table = delivery_calibration(lanes)
        rows = np.flatnonzero((later.placed_at >= _utc(start)) & (later.placed_at < _utc(end)))
        for n in rows.tolist():
            placed = later.placed_at[n].astype("datetime64[us]").item().replace(tzinfo=dt.UTC)
            estimate = estimate_delivery(policy, str(later.country[n]), placed, calibration=table)
            earliest[n], latest[n] = estimate.earliest, estimate.latest
        start = end
    promised = replace(later, promise_earliest=earliest, promise_latest=latest)
    calibrated, uncalibrated = promised.history(timezone), later.history(timezone)
    by_carrier = {
        name: (
            accuracy(calibrated.where(calibrated.carrier == code)),
            accuracy(uncalibrated.where(uncalibrated.carrier == code)),
        )
        for code, name in enumerate(calibrated.carriers)
    }
    return Backtest(
        split=split,
        lanes=first,
        held_out=len(later),
        calibrated=accuracy(calibrated),
        uncalibrated=accuracy(uncalibrated),
        by_carrier=by_carrier,
    )


def _utc(moment: dt.datetime) -> np.datetime64:
    return np.datetime64(moment.astimezone(dt.UTC).replace(tzinfo=None), "s")


def _default_late_carrier(policy: Policy) -> str:
    zones = policy.shipping.zones
    saturday = next((z for z in zones if z.delivers_on_weekday(5)), zones[0])
    return saturday.carrier


def _transit_draws(
    rng: np.random.Generator, first: int, last: int, size: int, lateness: float = 1.0
) -> npt.NDArray[np.int64]:
    """Carrier days after dispatch: mostly within ``first..last``, a few past it."""
    late1, late2 = 0.03 * lateness, 0.01 * lateness
    if first == last:
        late1, late2 = 0.035 * lateness, 0.01 * lateness
        values = [first, first + 1, first + 2]
        chances = [1 - late1 - late2, late1, late2]
    else:
        early = 0.02 if first > 1 else 0.0
        inside = 1 - late1 - late2 - early
        rest = list(range(first + 1, last + 1))
        values = [first - 1, first, *rest, last + 1, last + 2]
        share = inside * 0.55 / 0.94
        chances = [early, share, *[(inside - share) / len(rest)] * len(rest), late1, late2]
    return rng.choice(np.array(values), size=size, p=np.array(chances))


def _local_moments(
    days: npt.NDArray[np.datetime64],
    timezone: str,
    second: int,
    spread: int,
    rng: np.random.Generator,
) -> npt.NDArray[np.datetime64]:
    """UTC moments on `days` (local to `timezone`) at `second` of the day plus up to
    `spread` seconds; the offset is the day's at noon (no parcel moves at 2 a.m.)."""
    result = np.full(len(days), np.datetime64("NaT", "s"))
    zone = ZoneInfo(timezone)
    valid = ~np.isnat(days)
    unique, inverse = np.unique(days[valid], return_inverse=True)
    offsets = np.array(
        [
            int(dt.datetime.combine(d, dt.time(12), tzinfo=zone).utcoffset().total_seconds())  # type: ignore[union-attr]
            for d in unique.tolist()
        ],
        dtype=np.int64,
    )
    local = days[valid].astype("datetime64[s]") + (second + rng.integers(0, spread, valid.sum()))
    result[valid] = local - offsets[inverse].astype("timedelta64[s]")
    return result


def _moments_by_zone(
    days: npt.NDArray[np.datetime64], timezone: npt.NDArray[np.str_], rng: np.random.Generator
) -> npt.NDArray[np.datetime64]:
    """Delivery moments between 09:00 and 20:00 in each shopper's zone."""
    result = np.full(len(days), np.datetime64("NaT", "s"))
    for name in np.unique(timezone).tolist():
        rows = timezone == name
        result[rows] = _local_moments(days[rows], name, 9 * 3600, 11 * 3600, rng)
    return result


def _aware(value: np.datetime64) -> dt.datetime | None:
    if np.isnat(value):
        return None
    moment: dt.datetime = value.astype("datetime64[us]").item()
    return moment.replace(tzinfo=dt.UTC)


def _rows(sim: SimulatedDeliveries) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for n in range(len(sim)):
        order_id = sim.order_id(n)
        placed = _aware(sim.placed_at[n])
        attempt = _aware(sim.first_attempt_at[n])
        delivered = _aware(sim.delivered_at[n])
        dispatched = _aware(sim.dispatched_at[n])
        status = "delivered" if delivered else "failed_attempt" if attempt else "in_transit"
        yield (
            {
                "order_id": order_id,
                "country": str(sim.country[n]),
                "timezone": str(sim.timezone[n]),
                "lines": [],
                "placed_at": placed,
                "promise_earliest": sim.promise_earliest[n].item(),
                "promise_latest": sim.promise_latest[n].item(),
                "promise_source": "estimate",
                "zone": str(sim.zone[n]),
                "unsubscribed_optional": False,
                "origin": "import",
                "recorded_at": placed,
            },
            {
                "shipment_id": order_id,
                "order_id": order_id,
                "carrier": str(sim.carrier[n]),
                "tracking_number": f"3S{n:011d}",
                "dispatched_at": dispatched,
                "status": status,
                "status_at": delivered or attempt or dispatched,
                "first_attempt_at": attempt,
                "delivered_at": delivered,
                "recorded_at": dispatched,
            },
        )


def insert_deliveries(
    connection: Connection, sim: SimulatedDeliveries, *, batch: int = 5_000
) -> int:
    """Write `sim` into the shipping tables (orders, shipments with their summary columns,
    and their ``in_transit`` / ``failed_attempt`` / ``delivered`` events) in batches; returns
    the number of shipments. For the demo and tests; the benchmark bulk-loads its own way."""
    orders: list[dict[str, Any]] = []
    shipments: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []

    def flush() -> None:
        if orders:
            connection.execute(insert(OrderRow), orders)
            connection.execute(insert(ShipmentRow), shipments)
        if events:
            connection.execute(insert(EventRow), events)
        for batch_rows in (orders, shipments, events):
            batch_rows.clear()

    for order, shipment in _rows(sim):
        orders.append(order)
        shipments.append(shipment)
        events.extend(_events(shipment))
        if len(orders) >= batch:
            flush()
    flush()
    return len(sim)


def _events(shipment: dict[str, Any]) -> Sequence[dict[str, Any]]:
    found = [("in_transit", shipment["dispatched_at"])]
    if shipment["first_attempt_at"] and shipment["first_attempt_at"] != shipment["delivered_at"]:
        found.append(("failed_attempt", shipment["first_attempt_at"]))
    if shipment["delivered_at"]:
        found.append(("delivered", shipment["delivered_at"]))
    return [
        {
            "shipment_id": shipment["shipment_id"],
            "event_id": f"sim-{status}",
            "status": status,
            "at": at,
            "received_at": at,
        }
        for status, at in found
    ]
