"""The OpenAPI 3.1 document for the plugin's JSON API, served at ``{prefix}/openapi.json``.

Every body schema is generated from the pydantic model that validates the request or describes
the answer (`models_json_schema`), so the document cannot drift from the code. What a model
cannot know is the app's configuration: the shop's locales, payment methods and the cart
limits (``DEFENCELINE_MAX_CART_LINES``, ``DEFENCELINE_MAX_QUANTITY``) are filled in per app.
The schemas are exact in both directions — every request they allow gets a 2xx (or the
documented 404/409), every request they forbid a 4xx — and schemathesis checks both.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from flask import Response, current_app, jsonify
from pydantic import BaseModel, TypeAdapter
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from defenceline.plugin.api.blueprint import Routes
from defenceline.plugin.api.problems import Problem
from defenceline.plugin.cart.quote import CartQuote, CartRequest
from defenceline.plugin.cart.tracking import CART_ID, CartIn, OrderIn
from defenceline.plugin.catalogue import Sku
from defenceline.plugin.emails.routes import (
    CartRestore,
    CartState,
    RestoreIn,
    StockAlertAccepted,
    StockAlertIn,
)
from defenceline.plugin.feedback.records import FeedbackIn, PageViewIn
from defenceline.plugin.shipping.routes import EventState, OrderState, ShipmentState
from defenceline.plugin.shipping.service import (
    ID_PATTERN,
    PlacedOrderIn,
    ShipmentEventIn,
    ShipmentIn,
)
from defenceline.plugin.state import state
from defenceline.plugin.widgets.manifesto import ManifestoDocument
from defenceline.plugin.widgets.payloads import DeliveryEstimate, Stock
from defenceline.plugin.widgets.routes import StockUpdate
from defenceline.regions import all_countries

__all__ = ["openapi_document", "register"]

REF = "#/components/schemas/{model}"

# Requests are described as the models validate them, answers as they are written.
_MODELS: list[tuple[type[BaseModel], JsonSchemaMode]] = [
    *((model, "validation") for model in (StockUpdate, CartRequest, FeedbackIn, PageViewIn)),
    *((model, "validation") for model in (CartIn, OrderIn, RestoreIn, StockAlertIn)),
    *((model, "serialization") for model in (Stock, DeliveryEstimate, CartQuote)),
    *((model, "serialization") for model in (ManifestoDocument, Problem, CartState)),
    *((model, "serialization") for model in (CartRestore, StockAlertAccepted)),
    *((model, "validation") for model in (PlacedOrderIn, ShipmentIn, ShipmentEventIn)),
    *((model, "serialization") for model in (OrderState, ShipmentState, EventState)),
]


routes = Routes()
register = routes.add_to


@routes.get("/openapi.json")
def openapi() -> Response:
    st = state()
    config = current_app.config
    document = openapi_document(
        st.url_prefix,
        list(st.policy.shop.locales),
        all_countries(),
        max_lines=int(config["DEFENCELINE_MAX_CART_LINES"]),
        max_quantity=int(config["DEFENCELINE_MAX_QUANTITY"]),
        payment_methods=tuple(method.name for method in st.policy.payment_methods),
    )
    return jsonify(document)


@cache
def _model_schemas() -> dict[str, Any]:
    """Every model's schema, named by the model, with references between them."""
    _, top = models_json_schema(_MODELS, ref_template=REF)
    schemas: dict[str, Any] = top["$defs"]
    return schemas


def _schema(annotation: Any) -> dict[str, Any]:
    schema: dict[str, Any] = TypeAdapter(annotation).json_schema(ref_template=REF)
    return schema


def _ref(model: type[BaseModel]) -> dict[str, Any]:
    return {"$ref": REF.format(model=model.__name__)}


def _json(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(model)}}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref(Problem)}},
    }


def _parameter(
    name: str, where: str, schema: dict[str, Any], description: str = "", required: bool = False
) -> dict[str, Any]:
    """A parameter; one in the path is always required."""
    parameter = {"name": name, "in": where, "required": required or where == "path"}
    if description:
        parameter["description"] = description
    return {**parameter, "schema": schema}


# Problems every write with a bearer token and a JSON body may answer with.
_WRITE = {
    "400": "Malformed JSON or a bad cart id.",
    "401": "Missing or wrong bearer token.",
    "403": "Writes are disabled (no token configured).",
    "413": "The body is too large.",
    "415": "The body is not JSON.",
}


def _operation(
    operation_id: str,
    summary: str,
    answer: tuple[str, str, type[BaseModel] | None],
    problems: dict[str, str],
    *,
    body: type[BaseModel] | None = None,
    body_required: bool = True,
    parameters: list[dict[str, Any]] | None = None,
    description: str | None = None,
    bearer: bool = False,
) -> dict[str, Any]:
    """One operation: its answer (status, description, model), then its problems by status.
    A write with a bearer token may also answer with the `_WRITE` problems, and one with a body
    with a 422 naming its model, unless `problems` words them otherwise."""
    if bearer:
        problems = {**_WRITE, **problems}
    if body is not None:
        problems = {"422": f"The body does not match {body.__name__}.", **problems}
    status, text, model = answer
    operation: dict[str, Any] = {"operationId": operation_id, "summary": summary}
    if description:
        operation["description"] = description
    if bearer:
        operation["security"] = [{"bearer": []}]
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = {"required": body_required, "content": _json(body)}
    success: dict[str, Any] = {"description": text}
    if model is not None:
        success["content"] = _json(model)
    operation["responses"] = {
        status: success,
        # by status, as a reader looks them up (and as Flask serves the document, keys sorted)
        **{code: _problem(problems[code]) for code in sorted(problems)},
    }
    return operation


def _paths(locales: list[str], countries: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    lang = _parameter(
        "lang",
        "query",
        {"enum": locales},
        "Locale of the sentences (default: Accept-Language, else the shop's).",
    )
    sku_path = _parameter("sku", "path", _schema(Sku))
    sku_query = _parameter("sku", "query", _schema(Sku), required=True)
    country = _parameter(
        "country",
        "query",
        {"enum": countries},
        "ISO 3166-1 alpha-2 destination (default: the shop's).",
    )
    cart_id = _parameter(
        "cart_id",
        "path",
        {"type": "string", "pattern": CART_ID},
        "The storefront's own id of the cart.",
    )
    stock = ("200", "The variant's stock state and the sentence to show.", Stock)
    cart_state = ("200", "Recorded.", CartState)
    return {
        **_shipping_paths(),
        "/api/v1/stock/{sku}": {
            "get": _operation(
                "getStock",
                "Stock state of one variant",
                stock,
                {"400": "A bad parameter (locale).", "404": "No product with this SKU."},
                parameters=[sku_path, lang],
            ),
            "put": _operation(
                "updateStock",
                "Update stock on hand, reservations or the restock date",
                stock,
                {
                    "400": "Malformed JSON or a bad parameter.",
                    "404": "No product with this SKU.",
                    "501": "The shop's catalogue is read-only.",
                },
                body=StockUpdate,
                parameters=[sku_path, lang],
                bearer=True,
            ),
        },
        "/api/v1/cart-quote": {
            "post": _operation(
                "quoteCart",
                "Every cost of a cart before checkout, priced from the catalogue",
                ("200", CartQuote.__doc__ or "", CartQuote),
                {
                    "400": "Malformed JSON, or an unknown country or locale.",
                    "404": "A line names a SKU the catalogue does not have.",
                    "409": "The catalogue lacks a weight the rates need.",
                    "413": "The body is too large.",
                    "415": "The body is not JSON.",
                    "422": "A field is wrong: quantity, payment method, too many lines, or a "
                    "price sent by the browser.",
                },
                body=CartRequest,
                description="Prices, VAT classes and weights come from the shop's catalogue; "
                "a price or total in the request is refused (422).",
            ),
        },
        "/api/v1/feedback": {
            "post": _operation(
                "postFeedback",
                "A shopper's 'Was this helpful?' vote from the help centre",
                ("204", "Stored.", None),
                {
                    "400": "Malformed JSON.",
                    "413": "The body is too large.",
                    "415": "The body is not JSON.",
                    "429": "Too many votes from this client; see Retry-After.",
                    "503": "Today's votes are full; see Retry-After.",
                },
                body=FeedbackIn,
            ),
        },
        "/api/v1/pageviews": {
            "post": _operation(
                "postPageView",
                "Count one view of a help-centre page",
                ("204", "Counted.", None),
                {
                    "400": "Malformed JSON.",
                    "413": "The body is too large.",
                    "422": "No page named.",
                    "429": "Too many views from this client; see Retry-After.",
                    "503": "Today's count of new pages is full; see Retry-After.",
                },
                body=PageViewIn,
                description="Browsers' beacons may send the same JSON as text/plain.",
            ),
        },
        "/api/v1/manifesto": {
            "get": _operation(
                "getManifesto",
                "The shop's manifesto as data (format defenceline.manifesto/1)",
                ("200", ManifestoDocument.__doc__ or "", ManifestoDocument),
                {
                    "400": "A bad parameter (locale).",
                    "404": "The shop has no manifesto configured.",
                },
                parameters=[lang],
            ),
        },
        "/api/v1/delivery-estimate": {
            "get": _operation(
                "getDeliveryEstimate",
                "When an order for this variant placed now arrives",
                ("200", "The estimate and the sentence to show.", DeliveryEstimate),
                {
                    "400": "A bad parameter (SKU, country, locale).",
                    "404": "No product with this SKU.",
                },
                parameters=[sku_query, country, lang],
            ),
        },
        "/api/v1/carts/{cart_id}": {
            "post": _operation(
                "trackCart",
                "Record a cart (cart activity) for abandoned-cart reminders",
                cart_state,
                {
                    "409": "The cart was already ordered.",
                },
                body=CartIn,
                parameters=[cart_id],
                bearer=True,
                description="Send it on every change of the cart, and when the shopper gives "
                "an address or consent. Only `lines` is required; a field left out keeps its "
                "earlier value.",
            ),
        },
        "/api/v1/carts/{cart_id}/order": {
            "post": _operation(
                "orderCart",
                "The cart became an order: no reminder is sent for it again",
                cart_state,
                {
                    "404": "No cart with this id was tracked.",
                },
                body=OrderIn,
                body_required=False,
                parameters=[cart_id],
                bearer=True,
            ),
        },
        "/api/v1/cart-restores": {
            "post": _operation(
                "restoreCart",
                "The cart behind a restore link's token, at today's prices",
                ("200", "The cart and what changed.", CartRestore),
                {
                    "404": "The token is not valid.",
                    "410": "The token has expired, or its cart was ordered.",
                },
                body=RestoreIn,
                bearer=True,
                description="For a storefront that handles restore links on its own page "
                "(DEFENCELINE_RESTORE_URL): it receives `?token=` and asks here, then puts the "
                "lines into the visitor's own cart. The original cart's id is never returned: "
                "a forwarded link must not be a key to that cart.",
            ),
        },
        "/api/v1/stock-alerts": {
            "post": _operation(
                "requestStockAlert",
                "Email me when it's back (double opt-in)",
                ("202", "A confirmation email is on its way.", StockAlertAccepted),
                {
                    "400": "Malformed JSON.",
                    "404": "No product with this SKU.",
                    "413": "The body is too large.",
                    "415": "The body is not JSON.",
                    "429": "Too many sign-ups from this client; see Retry-After.",
                },
                body=StockAlertIn,
                description="A confirmation email is sent first; the answer is the same "
                "whether or not the address was known.",
            ),
        },
    }


def _shipping_paths() -> dict[str, dict[str, dict[str, Any]]]:
    """Orders, shipments and carrier events (plugin/shipping/routes.py)."""

    def path_id(name: str, description: str) -> dict[str, Any]:
        return _parameter(name, "path", {"type": "string", "pattern": ID_PATTERN}, description)

    order_id = path_id("order_id", "The shop's own id of the order.")
    conflict = "The call contradicts what was recorded under this id before."
    return {
        "/api/v1/orders/{order_id}": {
            "post": _operation(
                "recordOrder",
                "Record an order and freeze the delivery promise it is measured against",
                ("200", "Recorded (or already recorded with these facts).", OrderState),
                {"409": conflict},
                body=PlacedOrderIn,
                parameters=[order_id],
                bearer=True,
                description="Without `promise` the window the delivery widget would have "
                "shown at `placed_at` is recorded. Idempotent: contact details may be "
                "corrected and `cancelled_at` added; other facts cannot change (409).",
            ),
        },
        "/api/v1/orders/{order_id}/shipments": {
            "post": _operation(
                "recordShipment",
                "Record a parcel of an order (with `lines`: one of several parcels)",
                ("200", "Recorded (or already recorded with these facts).", ShipmentState),
                {
                    "404": "No order with this id was recorded.",
                    "409": conflict + " Or its lines are not in the order.",
                },
                body=ShipmentIn,
                parameters=[order_id],
                bearer=True,
            ),
        },
        "/api/v1/shipments/{shipment_id}/events": {
            "post": _operation(
                "recordShipmentEvent",
                "Record a carrier event; the shipment's state is recomputed from all events",
                ("200", "The event's id, whether it was new, and the shipment.", EventState),
                {
                    "404": "No shipment with this id was recorded.",
                    "409": "The event id was recorded with other facts.",
                },
                body=ShipmentEventIn,
                parameters=[path_id("shipment_id", "The shop's own id of the shipment.")],
                bearer=True,
                description="The same event twice, or events out of order, end in the same "
                "state. Without `event_id` an event is known by its status, time and location.",
            ),
        },
    }


def _cart_limits(
    schemas: dict[str, Any],
    locales: list[str],
    countries: list[str],
    max_lines: int,
    max_quantity: int,
    payment_methods: tuple[str, ...],
) -> None:
    """Fill the app's configuration into the cart quote's request (in place): the cart
    limits, and the countries, payment methods and locales it answers for."""
    request = schemas["CartRequest"]["properties"]
    request["lines"].update(minItems=1, maxItems=max_lines)
    request["country"] = {"enum": countries}
    request["payment_method"] = {"enum": [*payment_methods, None]}
    request["locale"] = {"enum": locales}
    schemas["CartLineIn"]["properties"]["quantity"].update(
        minimum=1,
        maximum=max_quantity,
        description="Lines of one SKU are added up first; their sum may not pass "
        f"{max_quantity} either (422).",
    )


def openapi_document(
    prefix: str,
    locales: list[str],
    countries: list[str],
    max_lines: int = 100,
    max_quantity: int = 999,
    payment_methods: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The document, with paths under `prefix` (the app's ``DEFENCELINE_URL_PREFIX``).

    `locales` are the shop's locales (the API also accepts tags that negotiate to one of them,
    such as ``en-GB``); `countries` every ISO 3166-1 code, since a country the shop does not
    ship to is a valid question with a "not shipped" answer.
    """
    tags = [locale.replace("_", "-") for locale in locales]
    schemas = copy.deepcopy(_model_schemas())
    _cart_limits(schemas, tags, countries, max_lines, max_quantity, payment_methods)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "defenceline storefront API",
            "version": "1",
            "description": (
                "Stock and delivery-time answers computed from the shop's store policy. "
                "Errors are RFC 9457 problem documents."
            ),
        },
        "paths": {prefix + path: item for path, item in _paths(tags, countries).items()},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
    }
