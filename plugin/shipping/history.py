"""The delivery history as numpy arrays: one row per shipment, the promise frozen at order
time beside what happened.

The measurement works on days: the dispatch day in the warehouse's zone, the day of the first
delivery attempt (delivered or failed) in the shopper's zone, and the promised window. A
shipment with no attempt yet is *in transit*: the day it was last known to be on its way is
the day before `as_of`, and `accuracy` and `calibration` treat it as censored there.

`read_history` reads the shipping tables with one query whose moments come back as epoch
seconds and dates as day numbers, so a million shipments never become a million `datetime`
objects. `CarrierCalendar` counts carrier days the way `defenceline.delivery` does (the
zone's delivery weekdays, the destination's public holidays), as numpy business days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, and_, cast, func, select
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import BigInteger, Integer

from defenceline.businessdays import is_public_holiday
from defenceline.plugin.shipping.records import OrderRow, ShipmentRow
from defenceline.policy import WEEKDAYS, Policy, Zone

__all__ = [
    "CarrierCalendar",
    "DeliveryHistory",
    "carrier_calendar",
    "distinct_rows",
    "history_from_moments",
    "local_days",
    "name_codes",
    "policy_calendars",
    "read_history",
    "weekday_of",
]

Days = npt.NDArray[np.datetime64]
Codes = npt.NDArray[np.int32]
_CHUNK_ROWS = 10_000
Calendars = dict[tuple[int, int, int], "CarrierCalendar"]
_NAT = np.datetime64("NaT", "D")


def _date(value: dt.date | np.datetime64) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value.astype("datetime64[D]")))


@dataclass(frozen=True)
class CarrierCalendar:
    """The carrier days of one zone to one destination country, for numpy."""

    calendar: np.busdaycalendar

    def offset(self, days: Days, steps: npt.NDArray[np.int64] | int) -> Days:
        """The `steps`-th carrier day after each day (a day that is not a carrier day counts
        from the carrier day before it, so the first step is the next carrier day)."""
        return np.busday_offset(days, steps, roll="backward", busdaycal=self.calendar)

    def count(self, begin: Days, end: Days) -> npt.NDArray[np.int64]:
        """Carrier days after `begin` up to and including `end` (negative when `end` is
        before `begin`)."""
        return np.busday_count(begin + 1, end + 1, busdaycal=self.calendar)


def carrier_calendar(
    zone: Zone,
    destination: str,
    first: dt.date | np.datetime64,
    last: dt.date | np.datetime64,
    *,
    saturday: bool = True,
) -> CarrierCalendar:
    """`zone`'s carrier days to `destination` around `first`..`last` (a year's margin on
    either side); `saturday=False` leaves Saturday out, as a lane not promised for Saturday."""
    weekmask = [zone.delivers_on_weekday(d) for d in range(7)]
    if not saturday:
        weekmask[WEEKDAYS.index("saturday")] = False
    start, end = _date(first) - dt.timedelta(days=366), _date(last) + dt.timedelta(days=366)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days)]
    holidays = [day for day in days if is_public_holiday(destination, day)]
    if not any(weekmask):  # a lane without any delivery weekday: no day is a carrier day
        weekmask = [True] * 7
        holidays = days
    return CarrierCalendar(np.busdaycalendar(weekmask=weekmask, holidays=holidays))


@dataclass(frozen=True)
class DeliveryHistory:
    """Shipments as parallel arrays. `zone`, `carrier` and `country` are codes into the
    name tuples; days are ``datetime64[D]``; `arrived` is NaT while in transit."""

    zones: tuple[str, ...]
    carriers: tuple[str, ...]
    countries: tuple[str, ...]
    zone: Codes
    carrier: Codes
    country: Codes
    dispatched: Days
    arrived: Days
    earliest: Days
    latest: Days
    as_of: np.datetime64

    def __len__(self) -> int:
        return len(self.zone)

    @property
    def in_transit(self) -> npt.NDArray[np.bool_]:
        return np.isnat(self.arrived)

    @property
    def last_seen(self) -> Days:
        """The day each shipment was last known: its arrival, or the day before `as_of`."""
        return np.where(self.in_transit, self.as_of - 1, self.arrived)

    def where(self, rows: npt.NDArray[np.bool_] | npt.NDArray[np.intp]) -> DeliveryHistory:
        """The shipments selected by `rows` (a mask or indices), names kept."""
        return replace(
            self,
            zone=self.zone[rows],
            carrier=self.carrier[rows],
            country=self.country[rows],
            dispatched=self.dispatched[rows],
            arrived=self.arrived[rows],
            earliest=self.earliest[rows],
            latest=self.latest[rows],
        )

    def transit_days(self, calendars: Calendars) -> TransitTimes:
        """Carrier days from dispatch to arrival (or to the last day seen, censored), using
        the calendar of each row's (zone, country, carrier) codes; rows without one are left
        out (`TransitTimes.rows` says which are in)."""
        days = np.zeros(len(self), dtype=np.int64)
        covered = np.zeros(len(self), dtype=np.bool_)
        seen = self.last_seen
        for (zone, country, carrier), calendar in calendars.items():
            rows = (self.zone == zone) & (self.country == country) & (self.carrier == carrier)
            if rows.any():
                days[rows] = calendar.count(self.dispatched[rows], seen[rows])
                covered |= rows
        return TransitTimes(
            days=np.maximum(days[covered], 0),
            observed=~self.in_transit[covered],
            rows=np.flatnonzero(covered),
        )


@dataclass(frozen=True)
class TransitTimes:
    """Carrier days per shipment; `observed` False: still in transit after that many."""

    days: npt.NDArray[np.int64]
    observed: npt.NDArray[np.bool_]
    rows: npt.NDArray[np.intp]


def weekday_of(days: Days) -> npt.NDArray[np.int64]:
    """0 = Monday … 6 = Sunday, as `datetime.date.weekday` (1970-01-01 was a Thursday)."""
    return (days.astype("datetime64[D]").astype(np.int64) + 3) % 7


def distinct_rows(
    *columns: npt.NDArray[np.int64] | Codes,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """The distinct combinations of non-negative integer `columns` (one per column of the 2-D
    result, in sorted order) and each row's index among them. The columns are folded into one
    int64 key first: one sort of a million integers, where numpy's ``unique(axis=1)`` sorts
    rows lexically and takes ten times as long."""
    bases = [int(column.max()) + 1 if len(column) else 1 for column in columns]
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, base in zip(columns, bases, strict=True):
        key = key * base + column
    unique, inverse = np.unique(key, return_inverse=True)
    decoded = []
    for base in reversed(bases):
        decoded.append(unique % base)
        unique = unique // base
    return np.stack(decoded[::-1]), inverse.reshape(-1)


def name_codes(
    values: Iterable[str], index: dict[str, int] | None = None
) -> tuple[tuple[str, ...], Codes]:
    """The distinct names in order of appearance, and each value's index among them; pass
    the same `index` to code several chunks of one column alike."""
    index = {} if index is None else index
    codes = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int32)
    return tuple(index), codes


def _days_from_seconds(seconds: npt.NDArray[np.int64], timezone: str) -> Days:
    """The local day of each UTC epoch second in `timezone` (an offset per distinct hour:
    zones change offset on the hour)."""
    hours, inverse = np.unique(seconds // 3600, return_inverse=True)
    zone = ZoneInfo(timezone)
    offsets = np.array(
        [
            int(
                dt.datetime.fromtimestamp(int(h) * 3600, dt.UTC)
                .astimezone(zone)
                .utcoffset()
                .total_seconds()  # type: ignore[union-attr]
            )
            for h in hours.tolist()
        ],
        dtype=np.int64,
    )
    return ((seconds + offsets[inverse]) // 86400).astype("datetime64[D]")


def local_days(seconds: npt.NDArray[np.int64], timezones: tuple[tuple[str, ...], Codes]) -> Days:
    """Local days of UTC epoch seconds (negative: none, NaT), each in its own zone
    (`timezones`: the zone names and each second's code among them)."""
    result = np.full(len(seconds), _NAT)
    names, codes = timezones
    known = seconds >= 0
    for code, name in enumerate(names):
        rows = known & (codes == code)
        if rows.any():
            result[rows] = _days_from_seconds(seconds[rows], name)
    return result


def _epoch_seconds(column: QueryableAttribute[Any], dialect: str) -> ColumnElement[int]:
    if dialect == "sqlite":  # stored as UTC text: strftime('%s') reads it as UTC
        return cast(func.strftime("%s", column), Integer)
    # floor: a cast alone rounds 23:59:59.6 up into the next day
    return cast(func.floor(func.extract("epoch", column)), BigInteger)


def _day_number(
    column: ColumnElement[Any] | QueryableAttribute[Any], dialect: str
) -> ColumnElement[int]:
    if dialect == "sqlite":
        return cast(func.julianday(column) - 2440587.5, Integer)
    return cast(column - func.date("1970-01-01"), Integer)  # PostgreSQL: date - date = days


def read_history(
    connection: Connection,
    warehouse_timezone: str,
    *,
    as_of: dt.datetime,
    since: dt.datetime | None = None,
) -> DeliveryHistory:
    """Every shipment of a not-cancelled order with a promise, dispatched before `as_of`
    (and from `since`), as a `DeliveryHistory` seen at `as_of`."""
    dialect = connection.dialect.name
    none = -1
    attempt = _epoch_seconds(ShipmentRow.first_attempt_at, dialect)
    query = (
        select(
            OrderRow.zone,
            ShipmentRow.carrier,
            OrderRow.country,
            func.coalesce(OrderRow.timezone, warehouse_timezone),
            _epoch_seconds(ShipmentRow.dispatched_at, dialect),
            func.coalesce(attempt, none),
            _day_number(func.coalesce(OrderRow.promise_earliest, OrderRow.promise_latest), dialect),
            _day_number(OrderRow.promise_latest, dialect),
        )
        .join(OrderRow, OrderRow.order_id == ShipmentRow.order_id)
        .where(
            and_(
                OrderRow.cancelled_at.is_(None),
                OrderRow.promise_latest.is_not(None),
                OrderRow.zone.is_not(None),
                ShipmentRow.dispatched_at < as_of,
            )
        )
    )
    if since is not None:
        query = query.where(ShipmentRow.dispatched_at >= since)
    # Read in chunks, each turned into arrays at once: a million result rows held together
    # as Python objects would take several hundred megabytes.
    indexes: list[dict[str, int]] = [{}, {}, {}, {}]
    chunks: list[list[npt.NDArray[Any]]] = [[] for _ in range(8)]
    result = connection.execution_options(yield_per=_CHUNK_ROWS).execute(query)
    for part in result.partitions():
        columns = list(zip(*part, strict=True))
        for n in range(4):
            chunks[n].append(name_codes(columns[n], indexes[n])[1])
        for n in range(4, 8):
            chunks[n].append(np.fromiter(columns[n], dtype=np.int64, count=len(part)))
    zone, carrier, country, timezone, dispatched, attempted, earliest, latest = (
        np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64) for parts in chunks
    )
    end = int(as_of.timestamp())
    attempted[attempted >= end] = none  # an attempt after as_of is not known yet
    names = [tuple(index) for index in indexes]
    return history_from_moments(
        (names[0], zone.astype(np.int32, copy=False)),
        (names[1], carrier.astype(np.int32, copy=False)),
        (names[2], country.astype(np.int32, copy=False)),
        dispatched=dispatched,
        attempted=attempted,
        timezones=(names[3], timezone.astype(np.int32, copy=False)),
        earliest=earliest.astype("datetime64[D]"),
        latest=latest.astype("datetime64[D]"),
        as_of=end,
        warehouse_timezone=warehouse_timezone,
    )


def history_from_moments(
    zone: tuple[tuple[str, ...], Codes],
    carrier: tuple[tuple[str, ...], Codes],
    country: tuple[tuple[str, ...], Codes],
    *,
    dispatched: npt.NDArray[np.int64],
    attempted: npt.NDArray[np.int64],
    timezones: tuple[tuple[str, ...], Codes],
    earliest: Days,
    latest: Days,
    as_of: int,
    warehouse_timezone: str,
) -> DeliveryHistory:
    """A `DeliveryHistory` from UTC epoch seconds (`attempted` -1: none yet): dispatch days
    in the warehouse's zone, attempt days in each shopper's (`timezones`), `as_of` the
    warehouse's day of that second."""
    warehouse = ((warehouse_timezone,), np.zeros(len(dispatched), dtype=np.int32))
    return DeliveryHistory(
        zones=zone[0],
        carriers=carrier[0],
        countries=country[0],
        zone=zone[1],
        carrier=carrier[1],
        country=country[1],
        dispatched=local_days(dispatched, warehouse),
        arrived=local_days(attempted, timezones),
        earliest=earliest,
        latest=latest,
        as_of=local_days(np.array([as_of], dtype=np.int64), (warehouse[0], warehouse[1][:1]))[0],
    )


def policy_calendars(
    history: DeliveryHistory,
    policy: Policy,
    *,
    no_saturday: frozenset[tuple[str, str]] = frozenset(),
) -> Calendars:
    """A carrier calendar per (zone, country, carrier) codes of `history` whose zone the
    policy still has; lanes (zone name, carrier) in `no_saturday` without Saturday."""
    if not len(history):
        return {}
    first, last = history.dispatched.min(), history.as_of
    by_name = {zone.name: zone for zone in policy.shipping.zones}
    calendars: Calendars = {}
    pairs, _ = distinct_rows(history.zone, history.country, history.carrier)
    for zone_code, country_code, carrier_code in pairs.T.tolist():
        zone = by_name.get(history.zones[zone_code])
        if zone is None:
            continue
        lane = (zone.name, history.carriers[carrier_code])
        saturday = lane not in no_saturday
        calendars[(zone_code, country_code, carrier_code)] = carrier_calendar(
            zone, history.countries[country_code], first, last, saturday=saturday
        )
    return calendars
