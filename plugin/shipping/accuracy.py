"""Promise accuracy: did the first delivery attempt come within the window promised at order
time?

For each shipment, *lateness* is the first attempt's day (delivered or failed, in the
shopper's zone) minus the promised latest day: 0 or less is on time. A parcel still in
transit is a censored observation: it is known to be later than the day before `as_of`, no
more. So the on-time rate is the Kaplan–Meier estimate (lifelines) of P(lateness ≤ 0):

    on_time_rate = 1 − S(0),  S(t) = ∏_{t_i ≤ t} (1 − d_i / n_i)

with d_i attempts on lateness day t_i and n_i shipments still without an attempt then. A
parcel still travelling after its promised day is therefore late (it is at risk at day 0 and
has not arrived); one whose promised day has not come yet only leaves the risk set when its
knowledge ends: it counts neither as late nor as on time, and it is not ignored. Without
censoring the estimate is the plain share on time.

Days early and late are calendar days before the promised earliest and after the promised
latest day, over the shipments that have arrived.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt
from lifelines import KaplanMeierFitter

from defenceline.plugin.shipping.history import DeliveryHistory, distinct_rows, weekday_of
from defenceline.policy import WEEKDAYS

__all__ = [
    "Accuracy",
    "GroupAccuracy",
    "accuracy",
    "accuracy_by",
    "kaplan_meier_cdf",
    "rounded",
]

# Lateness beyond this many days either way is pooled in the outermost bin of the histogram.
HISTOGRAM_DAYS = 7


@dataclass(frozen=True)
class Accuracy:
    """The promise kept, for one group of shipments."""

    shipments: int
    delivered: int  # with a first attempt (delivered or failed) by as_of
    in_transit: int
    on_time_rate: float | None  # Kaplan–Meier; None without shipments
    early_rate: float | None  # share of the arrived that came before the earliest day
    days_early: float | None  # mean days before the earliest day, of those early
    days_late: float | None  # mean days after the latest day, of those late
    # arrivals by days after the promised latest day (-7 … 7, outer bins pooled)
    lateness: dict[int, int]

    def to_dict(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        shortened = {name: rounded(values[name], digits) for name, digits in _DIGITS.items()}
        lateness = {str(k): v for k, v in self.lateness.items()}
        return {**values, **shortened, "lateness": lateness}


# What `Accuracy.to_dict` rounds, to how many digits: the rates to four, the means of days to two.
_DIGITS = {"on_time_rate": 4, "early_rate": 4, "days_early": 2, "days_late": 2}


def rounded(value: float | None, digits: int = 4) -> float | None:
    """A rate or mean as the reports give it (a rate to four digits); None stays None."""
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class GroupAccuracy:
    """`accuracy` of the shipments that share `key` (names such as zone, carrier)."""

    key: dict[str, str | int]
    accuracy: Accuracy

    def to_dict(self) -> dict[str, Any]:
        return {**self.key, **self.accuracy.to_dict()}


def kaplan_meier_cdf(
    durations: npt.NDArray[np.int64], observed: npt.NDArray[np.bool_], at: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """P(duration ≤ t) for each t in `at`, by Kaplan–Meier from lifelines; `observed` False
    marks a censored duration (known only to be longer). Durations are whole days, so they
    are fitted as counts per (day, observed) pair: a million shipments are a few dozen rows."""
    if not len(durations):
        return np.full(len(at), np.nan)
    at = np.asarray(at)
    censored = durations[~observed]
    if not len(censored) or censored.min() >= at.max():
        # Nothing censored before the last day asked about: every censored parcel is still at
        # risk there, so Kaplan–Meier is exactly the plain share - no fit needed (a parcel lost
        # months ago, known to be later than its promise, counts as late either way).
        arrived = np.sort(durations[observed])
        return np.searchsorted(arrived, at, side="right") / len(durations)
    shift = 1 - int(durations.min())  # lifelines wants non-negative durations
    pairs, inverse = distinct_rows(durations + shift, observed.astype(np.int64))
    counts = np.bincount(inverse, minlength=pairs.shape[1])
    fitter = KaplanMeierFitter()
    with warnings.catch_warnings():  # weights are counts, the lifelines warning is for others
        warnings.simplefilter("ignore")
        fitter.fit(pairs[0], event_observed=pairs[1], weights=counts)
    survival = fitter.survival_function_at_times(np.asarray(at) + shift).to_numpy()
    return np.asarray(1.0 - survival, dtype=np.float64)


def accuracy(history: DeliveryHistory) -> Accuracy:
    """The on-time rate (Kaplan–Meier, in-transit parcels censored), days early and late."""
    arrived = ~history.in_transit
    lateness = (history.last_seen - history.latest).astype(np.int64)
    # In transit, `last_seen` is the day before as_of: lateness is known to be more than that.
    on_time = float(kaplan_meier_cdf(lateness, arrived, np.array([0]))[0]) if len(history) else None
    late = lateness[arrived]
    early = (history.earliest[arrived] - history.arrived[arrived]).astype(np.int64)
    clipped = np.clip(late, -HISTOGRAM_DAYS, HISTOGRAM_DAYS)
    values, counts = np.unique(clipped, return_counts=True)
    return Accuracy(
        shipments=len(history),
        delivered=int(arrived.sum()),
        in_transit=int((~arrived).sum()),
        on_time_rate=on_time,
        early_rate=float(np.mean(early > 0)) if len(early) else None,
        days_early=float(early[early > 0].mean()) if (early > 0).any() else None,
        days_late=float(late[late > 0].mean()) if (late > 0).any() else None,
        lateness=dict(zip(values.tolist(), counts.tolist(), strict=True)),
    )


def _month_of(days: npt.NDArray[np.datetime64]) -> npt.NDArray[np.int64]:
    return days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01


def _groups(
    history: DeliveryHistory, fields: tuple[str, ...]
) -> Iterator[tuple[dict[str, str | int], npt.NDArray[np.intp]]]:
    """Row indices per distinct combination of `fields` (zone, carrier, weekday, month),
    in the order of the names, then weekday and month."""
    columns: list[npt.NDArray[np.int64]] = []
    for name in fields:
        if name == "weekday":
            columns.append(weekday_of(history.dispatched))
        elif name == "month":
            columns.append(_month_of(history.dispatched))
        else:
            columns.append(getattr(history, name).astype(np.int64))
    if not len(history):
        return
    keys, inverse = distinct_rows(*columns)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(keys.shape[1] + 1))
    for g in range(keys.shape[1]):
        key: dict[str, str | int] = {}
        for name, value in zip(fields, keys[:, g].tolist(), strict=True):
            if name == "zone":
                key[name] = history.zones[value]
            elif name == "carrier":
                key[name] = history.carriers[value]
            elif name == "weekday":
                key[name] = WEEKDAYS[value]
            elif name == "month":
                key[name] = str(np.datetime64(value, "M"))
            else:
                key[name] = value
        yield key, order[bounds[g] : bounds[g + 1]]


def accuracy_by(history: DeliveryHistory, *fields: str) -> list[GroupAccuracy]:
    """`accuracy` per distinct combination of `fields`: any of ``zone``, ``carrier``,
    ``weekday`` (of dispatch) and ``month`` (of dispatch, ``YYYY-MM``)."""
    return [
        GroupAccuracy(key, accuracy(history.where(rows))) for key, rows in _groups(history, fields)
    ]
