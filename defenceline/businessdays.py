"""Which days a warehouse dispatches and a carrier delivers.

Public holidays come from python-holidays, never from lists of our own. Each country's
holidays for a year are turned into a frozenset once and cached, so an estimate costs a few set
look-ups rather than a calendar rebuild.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from defenceline.policy import Warehouse, Zone

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "DateOutOfRange",
    "check_day",
    "is_carrier_day",
    "is_public_holiday",
    "is_warehouse_day",
    "next_carrier_day",
    "next_warehouse_day",
]

# The days an order moment may fall on. A calendar answers for any year, but a date that a
# shop's ERP or a shopper's request makes up (9999-12-31 for "unknown") would otherwise run the
# day arithmetic off the end of `datetime`; a promise decades ahead means nothing either.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)


class DateOutOfRange(ValueError):
    """A date outside FIRST_DAY..LAST_DAY; `field` names the input it came from.

    A `ValueError`, so callers that already turn bad input into a clear error keep doing so; a
    web API maps it to a 4xx answer naming `field`, a command to a usage error naming the flag.
    """

    def __init__(self, field: str, value: dt.date | dt.datetime) -> None:
        self.field = field
        self.value = value
        self.message = (
            f"{value.isoformat()} is out of range; expected a date from "
            f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
        )
        super().__init__(f"{field}: {self.message}")


def check_day(value: dt.date | dt.datetime, field: str) -> None:
    """Raise `DateOutOfRange` naming `field` unless `value` falls on FIRST_DAY..LAST_DAY."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateOutOfRange(field, value)


# No policy needs a dispatch or delivery day more than this far ahead; past it the policy is
# unsatisfiable (say, every dispatch weekday closed) and we stop rather than loop.
_HORIZON_DAYS = 3 * 366


@lru_cache(maxsize=512)
def _holiday_dates(country: str, year: int) -> frozenset[dt.date]:
    """Public holidays of `country` that fall in `year`, as python-holidays defines them.

    Neighbouring years are generated too, because a holiday of one year can be observed on a
    day of the next (New Year's Day moved to 31 December).
    """
    try:
        calendar = holidays.country_holidays(country, years=(year - 1, year, year + 1))
    except NotImplementedError:
        return frozenset()
    return frozenset(day for day in calendar if day.year == year)


def is_public_holiday(country: str, day: dt.date) -> bool:
    """True when `day` is a public holiday in `country`."""
    return day in _holiday_dates(country, day.year)


def is_warehouse_day(warehouse: Warehouse, day: dt.date) -> bool:
    """A weekday with a cut-off that is neither a public holiday nor one of the closures."""
    return (
        warehouse.cutoff_on(day) is not None
        and not warehouse.is_closed(day)
        and not is_public_holiday(warehouse.country, day)
    )


def is_carrier_day(zone: Zone, destination: str, day: dt.date) -> bool:
    """One of the carrier's delivery weekdays that is not a holiday at the destination."""
    return zone.delivers_on_weekday(day.weekday()) and not is_public_holiday(destination, day)


def next_warehouse_day(warehouse: Warehouse, day: dt.date) -> dt.date:
    """The first warehouse day strictly after `day`."""
    for offset in range(1, _HORIZON_DAYS):
        candidate = day + dt.timedelta(days=offset)
        if is_warehouse_day(warehouse, candidate):
            return candidate
    raise ValueError(f"the warehouse has no dispatch day within {_HORIZON_DAYS} days of {day}")


def next_carrier_day(zone: Zone, destination: str, day: dt.date) -> dt.date:
    """The first carrier day strictly after `day`."""
    for offset in range(1, _HORIZON_DAYS):
        candidate = day + dt.timedelta(days=offset)
        if is_carrier_day(zone, destination, candidate):
            return candidate
    raise ValueError(f"carrier {zone.carrier} has no delivery day within {_HORIZON_DAYS} days")
