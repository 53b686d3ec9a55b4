"""The shipping JSON API: orders, their shipments and carrier events (bearer token, like the
cart calls). Each answers with the recorded state; calling again with the same body changes
nothing and gives the same answer.

``POST {prefix}/api/v1/orders/<order_id>``
``POST {prefix}/api/v1/orders/<order_id>/shipments``
``POST {prefix}/api/v1/shipments/<shipment_id>/events``
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, jsonify
from pydantic import BaseModel
from sqlalchemy.orm import Session

from defenceline.plugin.api.blueprint import Routes
from defenceline.plugin.api.headers import no_store
from defenceline.plugin.api.problems import ApiProblem, validated
from defenceline.plugin.api.requests import json_body, require_token
from defenceline.plugin.emails.messages import EmailSetupError
from defenceline.plugin.i18n import negotiate
from defenceline.plugin.shipping.carriers import tracking_link
from defenceline.plugin.shipping.notices import enqueue_due
from defenceline.plugin.shipping.records import OrderRow, ShipmentRow
from defenceline.plugin.shipping.service import (
    ID_PATTERN,
    ID_WORDS,
    Conflict,
    NotFound,
    PlacedOrderIn,
    ShipmentEventIn,
    ShipmentIn,
    cancel_order,
    record_event,
    record_order,
    record_shipment,
)
from defenceline.plugin.state import DefenceLineState, state
from defenceline.policy import Policy

__all__ = [
    "EventState",
    "OrderState",
    "PromiseState",
    "ShipmentState",
    "identifier",
    "order_state",
    "register",
    "save_cancellation",
    "save_event",
    "save_order",
    "save_shipment",
    "shipment_state",
    "shop_locale",
]

_ID = re.compile(ID_PATTERN)
ModelT = TypeVar("ModelT", bound=BaseModel)


routes = Routes()
register = routes.add_to


# --- answers -----------------------------------------------------------------------------------


class PromiseState(BaseModel):
    """The delivery window frozen at order time (null dates: the shop does not ship there)."""

    earliest: dt.date | None
    latest: dt.date | None
    source: str  # shop | estimate | calibrated


class OrderState(BaseModel):
    """A recorded order and the promise it is measured against."""

    order_id: str
    country: str
    zone: str | None
    placed_at: dt.datetime
    promise: PromiseState
    cancelled_at: dt.datetime | None


class ShipmentState(BaseModel):
    """A recorded shipment and the summary of its carrier events (null until they say)."""

    shipment_id: str
    order_id: str
    carrier: str
    tracking_number: str | None
    tracking_url: str | None
    dispatched_at: dt.datetime
    lines: list[dict[str, Any]] | None
    status: str | None
    status_at: dt.datetime | None
    first_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    expected_delivery: dt.date | None
    returned_at: dt.datetime | None
    refunded_at: dt.datetime | None


class EventState(BaseModel):
    """The answer to an event: its id, whether it was new, and the shipment after it."""

    event_id: str
    recorded: bool
    shipment: ShipmentState


def order_state(row: OrderRow) -> OrderState:
    return OrderState(
        order_id=row.order_id,
        country=row.country,
        zone=row.zone,
        placed_at=row.placed_at,
        promise=PromiseState(
            earliest=row.promise_earliest, latest=row.promise_latest, source=row.promise_source
        ),
        cancelled_at=row.cancelled_at,
    )


def shipment_state(policy: Policy, row: ShipmentRow, postcode: str | None) -> ShipmentState:
    # Every field but the link is the row's column of the same name.
    columns = {
        name: getattr(row, name) for name in ShipmentState.model_fields if name != "tracking_url"
    }
    return ShipmentState(
        **columns, tracking_url=tracking_link(policy, row.carrier, row.tracking_number, postcode)
    )


def _answer(model: BaseModel) -> Response:
    return no_store(jsonify(model.model_dump(mode="json")))


# --- views -------------------------------------------------------------------------------------


def shop_locale(st: DefenceLineState, tag: str) -> str:
    """The shop's locale for an order's tag (``en-GB`` -> ``en``); one the shop does not offer
    becomes its default, so an order is never refused over it."""
    supported = list(st.policy.shop.locales)
    return negotiate([tag.strip()], supported) or st.policy.shop.default_locale


def _postcode(st: DefenceLineState, order_id: str) -> str | None:
    with st.storage.sessions()() as session:
        order = session.get(OrderRow, order_id)
        return order.postcode if order is not None else None


def _problem(error: NotFound | Conflict) -> ApiProblem:
    if isinstance(error, NotFound):
        return ApiProblem(404, str(error), **{f"{error.what}_id": error.key})
    return ApiProblem(409, str(error), field=error.field)


def _notify(session: Session, shipment: ShipmentRow, now: dt.datetime) -> None:
    """Queue the shipping messages now due. A shop whose email is not set up (no public URL
    or signing key) still records its shipments: the facts are kept, the messages skipped and
    the reason logged, rather than refusing the carrier's report."""
    try:
        with session.begin_nested():
            enqueue_due(session, shipment, now)
    except EmailSetupError as exc:
        current_app.logger.error(
            "defenceline: shipment %r recorded, but no shipping message was queued: %s",
            shipment.shipment_id,
            exc,
        )


# The calls behind the views and `DefenceLine.record_order` & co. (`NotFound`, `Conflict`).


def save_order(st: DefenceLineState, order_id: str, order: PlacedOrderIn) -> OrderState:
    policy = st.policy
    # The widget's own calibration (apply mode), so the frozen promise is what it showed.
    calibration = st.promise_calibration(policy) if st.promise_calibration else None
    locale = shop_locale(st, order.locale)
    row, _ = record_order(
        st.storage, policy, order_id, order, st.now(), locale=locale, calibration=calibration
    )
    return order_state(row)


def save_shipment(st: DefenceLineState, order_id: str, shipment: ShipmentIn) -> ShipmentState:
    row, _ = record_shipment(st.storage, order_id, shipment, st.now(), _notify)
    return shipment_state(st.policy, row, _postcode(st, order_id))


def save_event(st: DefenceLineState, shipment_id: str, event: ShipmentEventIn) -> EventState:
    row, event_id, created = record_event(st.storage, shipment_id, event, st.now(), _notify)
    shipment = shipment_state(st.policy, row, _postcode(st, row.order_id))
    return EventState(event_id=event_id, recorded=created, shipment=shipment)


def save_cancellation(st: DefenceLineState, order_id: str, at: dt.datetime | None) -> OrderState:
    return order_state(cancel_order(st.storage, order_id, at or st.now()))


def identifier(value: str, parameter: str) -> str:
    """`value` when it is an order or shipment id, else ValueError naming `parameter`."""
    if not _ID.match(value):
        raise ValueError(f"{parameter} {value[:140]!r}: expected {ID_WORDS}")
    return value


def _write(
    parameter: str,
    value: str,
    model: type[ModelT],
    save: Callable[[DefenceLineState, str, ModelT], BaseModel],
) -> Response:
    """A write: the token, the id in the path, the body as `model`, then `save`."""
    st = state()
    require_token(st)
    try:
        key = identifier(value, parameter)
    except ValueError as exc:
        raise ApiProblem(400, str(exc), parameter=parameter) from None
    body = validated(model, json_body())
    try:
        return _answer(save(st, key, body))
    except (NotFound, Conflict) as error:
        raise _problem(error) from None


@routes.post("/api/v1/orders/<order_id>")
def record_order_view(order_id: str) -> Response:
    return _write("order_id", order_id, PlacedOrderIn, save_order)


@routes.post("/api/v1/orders/<order_id>/shipments")
def record_shipment_view(order_id: str) -> Response:
    return _write("order_id", order_id, ShipmentIn, save_shipment)


@routes.post("/api/v1/shipments/<shipment_id>/events")
def record_event_view(shipment_id: str) -> Response:
    return _write("shipment_id", shipment_id, ShipmentEventIn, save_event)
