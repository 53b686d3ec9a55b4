"""The data behind each widget, computed once and rendered three ways (JSON, HTML fragment or
macro, web component), so every embedding mode says exactly the same thing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from babel.dates import format_time
from pydantic import BaseModel, Field

from defenceline.delivery import estimate_delivery
from defenceline.plugin.api.problems import ApiProblem
from defenceline.plugin.catalogue import Product
from defenceline.plugin.i18n import TextDirection, gettext_for, is_rtl
from defenceline.plugin.state import DefenceLineState
from defenceline.plugin.widgets.messages import (
    countdown_template,
    delivery_message,
    format_day,
    stock_message,
)
from defenceline.plugin.widgets.stock import StockView, stock_view

__all__ = ["DeliveryEstimate", "Stock", "delivery_payload", "find_product", "stock_payload"]


class Stock(BaseModel):
    """The stock widget's answer (``GET {prefix}/api/v1/stock/<sku>``)."""

    sku: str
    state: Literal["in_stock", "low_stock", "out_of_stock", "preorder"]
    quantity: Annotated[int | None, Field(description="The real number left; only when low.")]
    restock_date: dt.date | None
    message: str
    availability: Annotated[str, Field(json_schema_extra={"format": "uri"})] = ""
    locale: str = ""
    dir: TextDirection = "ltr"


class DeliveryEstimate(BaseModel):
    """The delivery-time widget's answer (``GET {prefix}/api/v1/delivery-estimate``)."""

    sku: str
    status: Literal["ok", "no_restock_date", "not_shipped"]
    country: str
    zone: str | None = None
    carrier: str | None
    dispatch_date: dt.date | None
    earliest: dt.date | None
    latest: dt.date | None
    cutoff: Annotated[
        dt.datetime | None,
        Field(
            description="Order before this moment for this estimate; null when no same-day "
            "cut-off applies."
        ),
    ]
    message: str
    countdown: Annotated[
        str | None,
        Field(
            description="The countdown sentence; '{duration}' is replaced by the time left "
            "until cutoff."
        ),
    ] = None
    carrier_text: str | None = None
    calibrated: Annotated[
        bool,
        Field(
            description="True when the dates use transit days calibrated on the shop's own "
            'deliveries ([shipping.calibration] mode = "apply").'
        ),
    ] = False
    server_time: dt.datetime
    display: dict[str, Any] = {}
    stock_state: str = ""
    locale: str = ""
    dir: TextDirection = "ltr"
    label: str = ""


def find_product(st: DefenceLineState, sku: str) -> Product:
    """The product for `sku`, or a 404 problem naming it."""
    product = st.catalogue.get(sku)
    if product is None:
        raise ApiProblem(404, f"no product with SKU {sku!r} in the catalogue", sku=sku)
    return product


def _text_direction(locale: str) -> str:
    return "rtl" if is_rtl(locale) else "ltr"


def _view(st: DefenceLineState, product: Product) -> StockView:
    return stock_view(product, st.policy.low_stock_threshold, st.now().date())


def stock_payload(st: DefenceLineState, sku: str, locale: str) -> dict[str, Any]:
    """``{"sku", "state", "quantity", "restock_date", "message"}`` plus rendering hints."""
    product = find_product(st, sku)
    view = _view(st, product)
    return {
        "sku": product.sku,
        "state": view.state.value,
        "quantity": view.quantity,
        "restock_date": view.restock_date.isoformat() if view.restock_date else None,
        "message": stock_message(view, locale),
        "availability": view.state.schema_org,
        "locale": locale,
        "dir": _text_direction(locale),
        "label": gettext_for(locale, "Stock"),
    }


def delivery_payload(st: DefenceLineState, sku: str, country: str, locale: str) -> dict[str, Any]:
    """The foundation estimate for this item's stock state, with the field names of
    ``defenceline estimate --json``, plus `message`, the countdown sentence and the server's
    clock (the browser counts down to `cutoff` using the offset to `server_time`)."""
    product = find_product(st, sku)
    view = _view(st, product)
    policy = st.policy
    now = st.now()
    calibration = st.promise_calibration(policy) if st.promise_calibration else None
    estimate = estimate_delivery(
        policy,
        country,
        now,
        in_stock=view.in_stock,
        restock_date=view.restock_date,
        calibration=calibration,
    )
    data = estimate.to_dict()
    display: dict[str, str | None] = {
        "earliest": format_day(estimate.earliest, locale) if estimate.earliest else None,
        "latest": format_day(estimate.latest, locale) if estimate.latest else None,
        "cutoff": (
            format_time(estimate.cutoff, "short", tzinfo=estimate.cutoff.tzinfo, locale=locale)
            if estimate.cutoff
            else None
        ),
    }
    return {
        "sku": product.sku,
        "status": data["status"],
        "country": data["country"],
        "zone": data["zone"],
        "carrier": data["carrier"],
        "dispatch_date": data["dispatch_date"],
        "earliest": data["earliest"],
        "latest": data["latest"],
        "cutoff": data["cutoff"],
        "message": delivery_message(estimate, locale),
        "countdown": countdown_template(estimate, locale),
        "carrier_text": (
            gettext_for(locale, "Delivered by %(carrier)s", carrier=estimate.carrier)
            if estimate.carrier and estimate.earliest
            else None
        ),
        "calibrated": estimate.calibrated,
        "server_time": now.isoformat(timespec="milliseconds"),
        "display": display,
        "stock_state": view.state.value,
        "locale": locale,
        "dir": _text_direction(locale),
        "label": gettext_for(locale, "Delivery"),
    }
