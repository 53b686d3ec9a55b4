"""Routes for the stock, delivery-time and manifesto widgets: the JSON API
(``{prefix}/api/v1/stock/<sku>``, ``/api/v1/delivery-estimate``, ``/api/v1/manifesto``) and the
HTML fragments (``{prefix}/fragments/...``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from flask import Response, jsonify, render_template, request
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from defenceline.plugin.api.blueprint import Routes
from defenceline.plugin.api.headers import no_store
from defenceline.plugin.api.problems import ApiProblem, validated
from defenceline.plugin.api.requests import (
    json_body,
    request_country,
    request_locale,
    require_token,
    sku_parameter,
    whole_number,
)
from defenceline.plugin.catalogue import MAX_STOCK, WritableCatalogue
from defenceline.plugin.state import state
from defenceline.plugin.widgets.manifesto import manifesto_fragment, manifesto_json
from defenceline.plugin.widgets.payloads import delivery_payload, find_product, stock_payload
from defenceline.plugin.widgets.stock_changes import announce

__all__ = ["StockUpdate", "register"]


routes = Routes()
register = routes.add_to


# --- JSON API ----------


@routes.get("/api/v1/stock/<dl_sku:sku>")
def stock(sku: str) -> Response:
    st = state()
    payload = stock_payload(st, sku_parameter(sku), request_locale(st, request.args.get("lang")))
    return no_store(jsonify(_public_stock(payload)))


def _public_stock(payload: dict[str, Any]) -> dict[str, Any]:
    keys = ("sku", "state", "quantity", "restock_date", "message", "availability", "locale", "dir")
    return {key: payload[key] for key in keys}


# The bounds before the whole-number check, so that the JSON schema carries them.
Count = Annotated[int, Field(ge=0, le=MAX_STOCK), BeforeValidator(whole_number)]


class StockUpdate(BaseModel):
    """Body of ``PUT /api/v1/stock/<sku>``: any of the fields; `restock_date` null clears it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    stock_on_hand: Count | None = None
    reserved: Count | None = None
    restock_date: dt.date | None = None


@routes.put("/api/v1/stock/<dl_sku:sku>")
def update_stock(sku: str) -> Response:
    st = state()
    require_token(st)
    sku = sku_parameter(sku)
    body = json_body()
    unknown = "unknown field; expected stock_on_hand, reserved or restock_date"
    update = validated(StockUpdate, body, unknown)
    if not update.model_fields_set:
        raise ApiProblem(422, "nothing to update; expected stock_on_hand, reserved or restock_date")
    catalogue = st.catalogue
    if not isinstance(catalogue, WritableCatalogue):
        raise ApiProblem(501, "this shop's catalogue is read-only; update stock at its source")
    find_product(st, sku)
    kwargs: dict[str, Any] = {
        "stock_on_hand": update.stock_on_hand,
        "reserved": update.reserved,
    }
    if "restock_date" in update.model_fields_set:
        kwargs["restock_date"] = update.restock_date
    change = catalogue.update_stock(sku, **kwargs)
    if change is None:
        raise ApiProblem(404, f"no product with SKU {sku!r} in the catalogue", sku=sku)
    announce(change)
    locale = request_locale(st, request.args.get("lang"))
    return no_store(jsonify(_public_stock(stock_payload(st, sku, locale))))


@routes.get("/api/v1/delivery-estimate")
def delivery_estimate() -> Response:
    return no_store(jsonify(_requested_delivery()))


def _requested_delivery() -> dict[str, Any]:
    """The delivery widget's data for the SKU, country and locale the query names."""
    st = state()
    return delivery_payload(
        st,
        sku_parameter(request.args.get("sku")),
        request_country(st, request.args.get("country")),
        request_locale(st, request.args.get("lang")),
    )


# --- HTML fragments ----------


@routes.get("/fragments/stock/<dl_sku:sku>")
def stock_fragment(sku: str) -> Response:
    st = state()
    payload = stock_payload(st, sku_parameter(sku), request_locale(st, request.args.get("lang")))
    return no_store(Response(render_template("defenceline/stock.html", s=payload)))


@routes.get("/fragments/delivery-estimate")
def delivery_fragment() -> Response:
    payload = _requested_delivery()
    return no_store(Response(render_template("defenceline/delivery_estimate.html", d=payload)))


@routes.get("/api/v1/manifesto")
def manifesto() -> Response:
    st = state()
    locale = request_locale(st, request.args.get("lang"))
    data = manifesto_json(st.manifestos, locale, st.policy.shop.default_locale)
    return jsonify(data)


@routes.get("/fragments/manifesto")
def manifesto_fragment_view() -> Response:
    st = state()
    locale = request_locale(st, request.args.get("lang"))
    level = request.args.get("level", "2")
    if level not in {"1", "2", "3", "4", "5", "6"}:
        raise ApiProblem(
            400, f"level {level!r}: expected a heading level 1 to 6", parameter="level"
        )
    html = manifesto_fragment(
        st.manifestos, locale, st.policy.shop.default_locale, heading_level=int(level)
    )
    return Response(str(html), mimetype="text/html")
