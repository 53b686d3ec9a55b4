"""The demo's deliveries: a year of simulated history, a simulated carrier for the orders placed
in the demo, and the promise report at ``/_promise``.

* **History.** A new demo database gets a year of simulated deliveries
  (`defenceline.plugin.shipping.simulation`: PostNL late more often in December and on
  Saturdays), written once through the shipping feature's bulk import path
  (`importing.load_deliveries`, what ``flask defenceline import-shipments`` uses), in the
  background so the shop is up at once. A database that already holds them is left alone.
* **The carrier.** Each order placed in the demo is dispatched, taken out for delivery and
  delivered by a simulated carrier on a compressed clock (`STEPS`: seconds instead of days),
  through the plugin's Python API as a shop's carrier integration would report it. The demo's
  sender pass follows each step, so the dispatched, out-for-delivery and delivered emails are
  in ``/_outbox`` within two minutes of the order.
* **The report.** ``/_promise`` is the page ``flask defenceline promise-report --html``
  writes, over the last year: how often the promised window was kept, per lane, weekday and
  month, and what the deliveries support promising.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from flask import Blueprint, Flask, Response, current_app, render_template
from sqlalchemy import select

from defenceline.plugin import DefenceLine, state
from defenceline.plugin.emails.dispatch import BackgroundSender
from defenceline.plugin.shipping.history import read_history
from defenceline.plugin.shipping.importing import PastDelivery, load_deliveries
from defenceline.plugin.shipping.records import OrderRow, ShipmentRow
from defenceline.plugin.shipping.report import build_report, render_html
from defenceline.plugin.shipping.simulation import SimulatedDeliveries, simulate_deliveries
from defenceline.plugin.shipping.statuses import ShipmentStatus
from defenceline.plugin.timestamps import as_utc

__all__ = [
    "STEPS",
    "DemoRounds",
    "SimulatedYear",
    "advance_orders",
    "deliveries",
    "record_demo_order",
    "seed_history",
    "start_rounds",
]

# A small shop's year: about 16 parcels a day. The seed fixes the year, so every demo shows
# the same history.
HISTORY_SHIPMENTS = 6_000
HISTORY_SEED = 2026
HISTORY_DAYS = 365
# Where the carrier is after an order was placed: days compressed into seconds, far enough
# apart that the demo's sender pass (every `ROUND_SECONDS`) sends each email before the next
# step (a dispatched email is not sent once the parcel is delivered).
STEPS = (
    (dt.timedelta(seconds=20), ShipmentStatus.IN_TRANSIT),
    (dt.timedelta(seconds=50), ShipmentStatus.OUT_FOR_DELIVERY),
    (dt.timedelta(seconds=80), ShipmentStatus.DELIVERED),
)
ROUND_SECONDS = 5.0
ORDER_PREFIX = "TK-"

deliveries = Blueprint("deliveries", __name__)


# --- the simulated year ------------------------------------------------------------------------


@dataclass
class SimulatedYear:
    """The demo database's simulated year: whether it is loaded, and how that went."""

    status: str = "loading"  # then "ready" or "failed"; "off" when the demo runs without it
    shipments: int = 0
    message: str = ""
    done: threading.Event = field(default_factory=threading.Event)

    def load(self, app: Flask) -> None:
        try:
            with app.app_context():
                self.shipments = seed_history()
            self.status = "ready"
        except Exception as exc:  # a demo must keep serving the shop whatever happens here
            app.logger.exception("demo: the delivery history was not loaded")
            self.message = f"{type(exc).__name__}: {exc}"
            self.status = "failed"
        finally:
            self.done.set()

    def start(self, app: Flask, background: bool) -> None:
        if background:
            threading.Thread(target=self.load, args=(app,), daemon=True).start()
        else:
            self.load(app)


def seed_history() -> int:
    """Write the simulated year into the demo database unless it holds it already; returns
    the number of shipments written. Needs an app context."""
    st = state()
    now = st.now()
    sessions = st.storage.sessions()
    with sessions() as session:
        seeded = session.scalars(
            select(OrderRow.order_id).where(OrderRow.order_id.like("SIM-%")).limit(1)
        ).first()
    if seeded is not None:
        return 0
    start = (now - dt.timedelta(days=HISTORY_DAYS)).date()
    year = simulate_deliveries(
        st.policy, shipments=HISTORY_SHIPMENTS, start=start, days=HISTORY_DAYS, seed=HISTORY_SEED
    )
    with sessions.begin() as session:  # all or nothing: a half-written year is never shown
        report = load_deliveries(session, st.policy, _past_deliveries(year), now)
    return report.orders


def _past_deliveries(year: SimulatedDeliveries) -> Iterator[PastDelivery]:
    for n in range(len(year)):
        delivered = year.delivered_at[n]
        yield PastDelivery(
            order_id=year.order_id(n),
            ordered_at=_utc(year.placed_at[n]),
            country=str(year.country[n]),
            carrier=str(year.carrier[n]),
            dispatched_at=_utc(year.dispatched_at[n]),
            delivered_at=None if np.isnat(delivered) else _utc(delivered),  # NaT: in transit
        )


def _utc(moment: Any) -> dt.datetime:
    value: dt.datetime = moment.astype("datetime64[us]").item()
    return value.replace(tzinfo=dt.UTC)


# --- the orders placed in the demo, and their carrier ------------------------------------------


def record_demo_order(
    lines: list[dict[str, Any]],
    *,
    email: str,
    name: str,
    country: str,
    postcode: str,
    timezone: str,
) -> str:
    """Record a demo checkout as an order (its promise frozen now), as a shop's order system
    would through the plugin's Python API; returns the order number."""
    order_id = f"{ORDER_PREFIX}{secrets.token_hex(4).upper()}"
    DefenceLine.record_order(
        order_id,
        lines=lines,
        email=email,
        name=name,
        locale="nl",
        country=country,
        postcode=postcode,
        timezone=timezone,
    )
    return order_id


def advance_orders() -> int:
    """Move every demo order that is not delivered yet through the `STEPS` that are due by
    now, as the carrier would report them; returns how many orders moved. Every call is
    idempotent (the plugin keeps each event once), so a step is never reported twice."""
    st = state()
    now = st.now()
    with st.storage.sessions()() as session:
        waiting = session.execute(
            select(OrderRow.order_id, OrderRow.placed_at, OrderRow.country, ShipmentRow.status)
            .outerjoin(ShipmentRow, ShipmentRow.order_id == OrderRow.order_id)
            .where(
                OrderRow.order_id.like(f"{ORDER_PREFIX}%"),
                OrderRow.cancelled_at.is_(None),
                (ShipmentRow.status.is_(None))
                | (ShipmentRow.status != ShipmentStatus.DELIVERED.value),
            )
        ).all()
    moved = 0
    for order_id, placed, country, status in waiting:
        placed_at = as_utc(placed)
        reached = [(after, step) for after, step in STEPS if placed_at + after <= now]
        zone = st.policy.zone_for(country)
        if not reached or zone is None or reached[-1][1].value == status:
            continue  # nothing new, or a country the shop no longer ships to
        dispatched = placed_at + STEPS[0][0]
        DefenceLine.record_shipment(
            order_id,
            shipment_id=order_id,
            carrier=zone.carrier,
            tracking_number=f"3STKR{order_id.removeprefix(ORDER_PREFIX)}",
            dispatched_at=dispatched.isoformat(),
        )
        for after, step in reached:
            moment = (placed_at + after).isoformat()
            DefenceLine.record_event(order_id, status=step.value, at=moment)
        moved += 1
    return moved


class DemoRounds(BackgroundSender):
    """The demo's cron: every few seconds the simulated carrier moves the orders on, then the
    plugin's send pass writes and sends what is due (reminders, alerts, shipping emails)."""

    def run_once(self) -> None:
        with self.app.app_context():
            try:
                advance_orders()
            except Exception:  # a bad round must not stop the next one
                self.app.logger.exception("demo: the simulated carrier failed")
        super().run_once()


def start_rounds(app: Flask) -> DemoRounds:
    rounds = DemoRounds(app, ROUND_SECONDS)
    rounds.start()
    return rounds


# --- /_promise ---------------------------------------------------------------------------------


@deliveries.get("/_promise")
def promise_report() -> Response | tuple[str, int, dict[str, str]]:
    history: SimulatedYear = current_app.extensions["demo_history"]
    if history.status == "loading":
        page = render_template("promise_status.html", loading=True, message="")
        return page, 503, {"Retry-After": "3", "Refresh": "3"}
    if history.status == "failed":
        page = render_template("promise_status.html", loading=False, message=history.message)
        return page, 500, {}
    st = state()
    now = st.now()
    with st.storage.engine.connect() as connection:
        measured = read_history(
            connection,
            st.policy.warehouse.timezone,
            as_of=now,
            since=now - dt.timedelta(days=HISTORY_DAYS),
        )
    page = render_html(build_report(measured, st.policy), st.policy.shop.name)
    return Response(page, mimetype="text/html")
