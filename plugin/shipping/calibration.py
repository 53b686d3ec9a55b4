"""Calibration: the transit days a lane can keep, measured on the shop's own deliveries.

For a lane (zone × carrier) the shipments dispatched in the last `window_days` give, per
shipment, the carrier days from dispatch to the first delivery attempt (the zone's delivery
weekdays, the destination's public holidays: the days the estimator counts). A parcel still in
transit is censored at the carrier days it has travelled so far. Kaplan–Meier (lifelines) then
gives F(t), the share that arrived within t carrier days, and

    max = min { t ≥ 1 : F(t) ≥ target }        min = min { t ≥ 1 : F(t) ≥ 1 − target }

(min capped at max). A lane with fewer than `min_samples` shipments is measured on its whole
zone (every carrier in it); a zone with fewer keeps the policy's days.

Saturday: a lane whose parcels due on a Saturday (the policy's `max` carrier days after the
day they left falls on a Saturday) arrived by that day less often than `target` (Kaplan–Meier
as in `accuracy`, at least `min_samples` of them) is not promised for Saturday; its transit
days are then counted without Saturday.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from defenceline.delivery import CalibratedLane, DeliveryCalibration
from defenceline.plugin.shipping.accuracy import accuracy, kaplan_meier_cdf, rounded
from defenceline.plugin.shipping.history import (
    DeliveryHistory,
    distinct_rows,
    policy_calendars,
    read_history,
    weekday_of,
)
from defenceline.plugin.storage import Storage
from defenceline.policy import Calibration, Policy, TransitDays

__all__ = [
    "CalibrationCache",
    "LaneCalibration",
    "calibrate",
    "delivery_calibration",
    "measure_lanes",
]

_log = logging.getLogger(__name__)
MAX_TRANSIT_DAYS = 60  # what store.toml accepts (`TransitDays`)
SATURDAY = 5


@dataclass(frozen=True)
class LaneCalibration:
    """What the deliveries of the window say about one lane."""

    zone: str
    carrier: str
    shipments: int  # this lane's, in the window
    basis: Literal["lane", "zone", "policy"]  # what the days were measured on
    basis_shipments: int
    policy_transit: TransitDays | None  # the zone's, when this is the zone's own carrier
    transit_min: int | None  # None: keep the policy's (too few shipments, or never reached)
    transit_max: int | None
    # P(arrived within k carrier days) for k = 1 … a day past the larger max: the on-time
    # rate each transit `max` would have had.
    on_time_by_max: dict[int, float]
    saturday_shipments: int  # due on a Saturday by the policy's days (see the module doc)
    saturday_on_time_rate: float | None
    saturday: bool  # may the lane be promised for Saturday?

    @property
    def on_time_rate(self) -> float | None:
        """The rate the calibrated max would have had."""
        return None if self.transit_max is None else self.on_time_by_max.get(self.transit_max)

    @property
    def policy_on_time_rate(self) -> float | None:
        """The rate the policy's max would have had, counted the same way."""
        if self.policy_transit is None:
            return None
        return self.on_time_by_max.get(self.policy_transit.max)

    def suggestion(self) -> str | None:
        """The line to write in store.toml, or None when the policy's days stay."""
        if self.transit_min is None or self.transit_max is None:
            return None
        return f"transit_days = {{ min = {self.transit_min}, max = {self.transit_max} }}"

    def to_dict(self) -> dict[str, Any]:
        days = (
            {"min": self.transit_min, "max": self.transit_max}
            if self.transit_max is not None
            else None
        )
        policy = self.policy_transit
        return {
            "basis": self.basis,
            "basis_shipments": self.basis_shipments,
            "calibrated_transit_days": days,
            "calibrated_on_time_rate": rounded(self.on_time_rate),
            "policy_transit_days": None
            if policy is None
            else {"min": policy.min, "max": policy.max},
            "policy_transit_on_time_rate": rounded(self.policy_on_time_rate),
            "on_time_rate_by_max": {str(k): round(v, 4) for k, v in self.on_time_by_max.items()},
            "suggestion": self.suggestion(),
            "saturday_shipments": self.saturday_shipments,
            "saturday_on_time_rate": rounded(self.saturday_on_time_rate),
            "saturday_promised": self.saturday,
        }


def _lanes(history: DeliveryHistory, policy: Policy) -> list[tuple[str, str]]:
    """Every lane with shipments, then the policy's lanes without any."""
    found = {
        (history.zones[z], history.carriers[c])
        for z, c in distinct_rows(history.zone, history.carrier)[0].T.tolist()
    }
    seen = sorted(found)
    for zone in policy.shipping.zones:
        if (zone.name, zone.carrier) not in found:
            seen.append((zone.name, zone.carrier))
    return seen


def _rows(history: DeliveryHistory, zone: str, carrier: str | None) -> npt.NDArray[np.bool_]:
    rows = history.zone == (history.zones.index(zone) if zone in history.zones else -1)
    if carrier is not None:
        code = history.carriers.index(carrier) if carrier in history.carriers else -1
        rows &= history.carrier == code
    return np.asarray(rows, dtype=np.bool_)


def _due_days(window: DeliveryHistory, policy: Policy) -> npt.NDArray[np.datetime64]:
    """The day each parcel was due by the policy's transit days (its zone's `max`, carrier
    days with Saturday) counted from the day it left; NaT where the zone is gone.

    The Saturday rule measures parcels *due* on a Saturday this way rather than parcels
    *promised* for one: once apply mode stops promising Saturday there are no such promises
    left to measure, and the rule would flip back and forth."""
    due = np.full(len(window), np.datetime64("NaT", "D"))
    zones = {zone.name: zone for zone in policy.shipping.zones}
    for (z, c, k), calendar in policy_calendars(window, policy).items():
        rows = (window.zone == z) & (window.country == c) & (window.carrier == k)
        due[rows] = calendar.offset(
            window.dispatched[rows], zones[window.zones[z]].transit_days.max
        )
    return due


def _calibrated_days(cdf: npt.NDArray[np.float64], target: float) -> tuple[int, int] | None:
    """(min, max) from F(t) for t = 0 … MAX_TRANSIT_DAYS, or None when F never reaches target."""
    reached = np.flatnonzero(cdf[1:] >= target)
    if not len(reached):
        return None
    most = int(reached[0]) + 1
    fewest = int(np.flatnonzero(cdf[1:] >= 1 - target)[0]) + 1
    return min(fewest, most), most


def measure_lanes(
    history: DeliveryHistory, policy: Policy, settings: Calibration | None = None
) -> list[LaneCalibration]:
    """A `LaneCalibration` per lane from the shipments of the window ending at `as_of`."""
    settings = settings or policy.shipping.calibration
    window = history.where(history.dispatched >= history.as_of - settings.window_days)
    lanes = _lanes(window, policy)
    zones = {zone.name: zone for zone in policy.shipping.zones}

    saturday: dict[tuple[str, str], tuple[int, float | None, bool]] = {}
    due = _due_days(window, policy)
    due_saturday = ~np.isnat(due) & (weekday_of(due) == SATURDAY)
    for zone, carrier in lanes:
        rows = _rows(window, zone, carrier) & due_saturday
        count = int(rows.sum())
        rate = (
            accuracy(replace(window.where(rows), latest=due[rows])).on_time_rate if count else None
        )
        keep = count < settings.min_samples or rate is None or rate >= settings.target
        saturday[(zone, carrier)] = (count, rate, keep)
    no_saturday = frozenset(lane for lane, (_, _, keep) in saturday.items() if not keep)

    transit = window.transit_days(policy_calendars(window, policy, no_saturday=no_saturday))
    measured = window.where(transit.rows)
    steps = np.arange(MAX_TRANSIT_DAYS + 1)
    result: list[LaneCalibration] = []
    for zone, carrier in lanes:
        lane_rows = _rows(measured, zone, carrier)
        basis: Literal["lane", "zone", "policy"] = "lane"
        rows = lane_rows
        if rows.sum() < settings.min_samples:
            basis, rows = "zone", _rows(measured, zone, None)
        if rows.sum() < settings.min_samples:
            basis = "policy"
        policy_zone = zones.get(zone)
        policy_transit = (
            policy_zone.transit_days
            if policy_zone is not None and policy_zone.carrier == carrier
            else None
        )
        days: tuple[int, int] | None = None
        by_max: dict[int, float] = {}
        if basis != "policy":
            cdf = kaplan_meier_cdf(transit.days[rows], transit.observed[rows], steps)
            days = _calibrated_days(cdf, settings.target)
            top = max(days[1] if days else 1, policy_transit.max if policy_transit else 1)
            by_max = {k: float(cdf[k]) for k in range(1, min(top + 1, MAX_TRANSIT_DAYS) + 1)}
        count, rate, keep = saturday[(zone, carrier)]
        result.append(
            LaneCalibration(
                zone=zone,
                carrier=carrier,
                shipments=int(_rows(window, zone, carrier).sum()),
                basis=basis,
                basis_shipments=int(rows.sum()) if basis != "policy" else 0,
                policy_transit=policy_transit,
                transit_min=days[0] if days else None,
                transit_max=days[1] if days else None,
                on_time_by_max=by_max,
                saturday_shipments=count,
                saturday_on_time_rate=rate,
                saturday=keep,
            )
        )
    return result


def delivery_calibration(lanes: list[LaneCalibration]) -> DeliveryCalibration:
    """The estimator's look-up table (apply mode) from measured lanes."""
    table: dict[tuple[str, str], CalibratedLane] = {}
    for lane in lanes:
        days = None
        if lane.transit_min is not None and lane.transit_max is not None:
            days = TransitDays(min=lane.transit_min, max=lane.transit_max)
        if days is not None or not lane.saturday:
            table[(lane.zone, lane.carrier)] = CalibratedLane(days, lane.saturday)
    return DeliveryCalibration(table)


def calibrate(
    storage: Storage, policy: Policy, now: dt.datetime
) -> tuple[DeliveryHistory, list[LaneCalibration]]:
    """Read the window's history from the shipping tables and measure every lane."""
    settings = policy.shipping.calibration
    since = now - dt.timedelta(days=settings.window_days + 1)
    with storage.engine.connect() as connection:
        history = read_history(connection, policy.warehouse.timezone, as_of=now, since=since)
    return history, measure_lanes(history, policy, settings)


class CalibrationCache:
    """The estimator's calibration for one app, computed ahead and only looked up.

    `current(policy)` answers at once: None unless the policy says ``mode = "apply"``, else the
    last table computed. The first call in apply mode, and any call once the table is older than
    `refresh_seconds`, starts a background thread that recomputes it (until the first one is
    done, estimates use the policy's days); a request never waits for the history.
    """

    def __init__(
        self,
        storage: Storage,
        now: Callable[[], dt.datetime],
        refresh_seconds: float = 3600.0,
    ) -> None:
        self._storage = storage
        self._now = now
        self._refresh = refresh_seconds
        self._table: DeliveryCalibration | None = None
        self._policy: Policy | None = None
        self._computed = -float("inf")
        self._lock = threading.Lock()
        self._running = False

    def current(self, policy: Policy) -> DeliveryCalibration | None:
        if policy.shipping.calibration.mode != "apply":
            return None
        stale = policy is not self._policy or time.monotonic() - self._computed > self._refresh
        if stale and not self._running:
            self._start(policy)
        return self._table  # an edited policy keeps the last table until the new one is ready

    def _start(self, policy: Policy) -> None:
        with self._lock:
            if self._running:
                return
            self._running = True
        thread = threading.Thread(
            target=self.refresh, args=(policy,), name="defenceline-calibration", daemon=True
        )
        thread.start()

    def refresh(self, policy: Policy) -> DeliveryCalibration | None:
        """Recompute now (the thread's work; also for commands and tests). A failure (say,
        the database is down) is logged and tried again after `refresh_seconds`; estimates
        go on with the last table, or the policy's days."""
        try:
            _, lanes = calibrate(self._storage, policy, self._now())
            self._table = delivery_calibration(lanes)
        except Exception:  # a background thread: log, never take the widget down
            _log.exception("defenceline: computing the delivery calibration failed")
        finally:
            self._policy, self._computed = policy, time.monotonic()
            self._running = False
        return self._table
