"""The OpenAPI 3.1 document for the plugin's JSON API, served at ``{prefix}/openapi.json``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from defenceline.plugin.api.email_openapi import add_email_api
from defenceline.plugin.cart.tracking import LOCALE_PATTERN
from defenceline.plugin.feedback.records import TITLE_PATTERN, URL_PATTERN
from defenceline.plugin.state import state
from defenceline.regions import all_countries

__all__ = ["openapi_document", "register"]


def register(blueprint: Blueprint) -> None:
    """Add ``{prefix}/openapi.json`` to the plugin's blueprint."""
    blueprint.get("/openapi.json")(openapi)


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


_DATE = {"type": ["string", "null"], "format": "date"}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _PROBLEM_REF}},
    }


_ESTIMATE_REQUIRED = [
    "sku",
    "status",
    "country",
    "carrier",
    "dispatch_date",
    "earliest",
    "latest",
    "cutoff",
    "message",
    "server_time",
]
# A SKU is printable text: no control characters, and it does not start with a slash.
_SKU_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": 64,
    "pattern": "^[^/\\x00-\\x20\\x7f][^\\x00-\\x1f\\x7f]*$",
}
_PAGE = {
    "type": "string",
    "minLength": 1,
    "maxLength": 500,
    "pattern": "^[^\\x00-\\x1f\\x7f]+$",
}
_DECIMAL = {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"}
_DECIMAL_OR_NULL = {"anyOf": [_DECIMAL, {"type": "null"}]}
_SKU_PATH = {"name": "sku", "in": "path", "required": True, "schema": _SKU_SCHEMA}


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
    _LANG = {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": "Locale of the sentences (default: Accept-Language, else the shop's).",
        "schema": {"enum": [locale.replace("_", "-") for locale in locales]},
    }
    stock_response = {
        "description": "The variant's stock state and the sentence to show.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Stock"}}},
    }
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "defenceline storefront API",
            "version": "1",
            "description": (
                "Stock and delivery-time answers computed from the shop's store policy. "
                "Errors are RFC 9457 problem documents."
            ),
        },
        "paths": {
            f"{prefix}/api/v1/stock/{{sku}}": {
                "get": {
                    "operationId": "getStock",
                    "summary": "Stock state of one variant",
                    "parameters": [_SKU_PATH, _LANG],
                    "responses": {
                        "200": stock_response,
                        "400": _problem("A bad parameter (locale)."),
                        "404": _problem("No product with this SKU."),
                    },
                },
                "put": {
                    "operationId": "updateStock",
                    "summary": "Update stock on hand, reservations or the restock date",
                    "security": [{"bearer": []}],
                    "parameters": [_SKU_PATH, _LANG],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/StockUpdate"}
                            }
                        },
                    },
                    "responses": {
                        "200": stock_response,
                        "400": _problem("Malformed JSON or a bad parameter."),
                        "401": _problem("Missing or wrong bearer token."),
                        "403": _problem("Writes are disabled (no token configured)."),
                        "404": _problem("No product with this SKU."),
                        "413": _problem("The body is too large."),
                        "415": _problem("The body is not JSON."),
                        "422": _problem("The body does not match StockUpdate."),
                        "501": _problem("The shop's catalogue is read-only."),
                    },
                },
            },
            f"{prefix}/api/v1/cart-quote": {
                "post": {
                    "operationId": "quoteCart",
                    "summary": "Every cost of a cart before checkout, priced from the catalogue",
                    "description": "Prices, VAT classes and weights come from the shop's "
                    "catalogue; a price or total in the request is refused (422).",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/CartRequest"}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The quote; amounts as decimal strings, and "
                            "`display` with the same amounts formatted for the locale.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/CartQuote"}
                                }
                            },
                        },
                        "400": _problem("Malformed JSON, or an unknown country or locale."),
                        "404": _problem("A line names a SKU the catalogue does not have."),
                        "409": _problem("The catalogue lacks a weight the rates need."),
                        "413": _problem("The body is too large."),
                        "415": _problem("The body is not JSON."),
                        "422": _problem(
                            "A field is wrong: quantity, payment method, too many lines, "
                            "or a price sent by the browser."
                        ),
                    },
                },
            },
            f"{prefix}/api/v1/feedback": {
                "post": {
                    "operationId": "postFeedback",
                    "summary": "A shopper's 'Was this helpful?' vote from the help centre",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Feedback"}
                            }
                        },
                    },
                    "responses": {
                        "204": {"description": "Stored."},
                        "400": _problem("Malformed JSON."),
                        "413": _problem("The body is too large."),
                        "415": _problem("The body is not JSON."),
                        "422": _problem("The body does not match Feedback."),
                        "429": _problem("Too many votes from this client; see Retry-After."),
                        "503": _problem("Today's votes are full; see Retry-After."),
                    },
                },
            },
            f"{prefix}/api/v1/pageviews": {
                "post": {
                    "operationId": "postPageView",
                    "summary": "Count one view of a help-centre page",
                    "description": "Browsers' beacons may send the same JSON as text/plain.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["page"],
                                    "properties": {"page": _PAGE},
                                }
                            },
                        },
                    },
                    "responses": {
                        "204": {"description": "Counted."},
                        "400": _problem("Malformed JSON."),
                        "413": _problem("The body is too large."),
                        "422": _problem("No page named."),
                        "429": _problem("Too many views from this client; see Retry-After."),
                        "503": _problem("Today's count of new pages is full; see Retry-After."),
                    },
                },
            },
            f"{prefix}/api/v1/manifesto": {
                "get": {
                    "operationId": "getManifesto",
                    "summary": "The shop's manifesto as data (format defenceline.manifesto/1)",
                    "parameters": [_LANG],
                    "responses": {
                        "200": {
                            "description": "Title, parts and statements (text and safe HTML).",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Manifesto"}
                                }
                            },
                        },
                        "400": _problem("A bad parameter (locale)."),
                        "404": _problem("The shop has no manifesto configured."),
                    },
                },
            },
            f"{prefix}/api/v1/delivery-estimate": {
                "get": {
                    "operationId": "getDeliveryEstimate",
                    "summary": "When an order for this variant placed now arrives",
                    "parameters": [
                        {
                            "name": "sku",
                            "in": "query",
                            "required": True,
                            "schema": _SKU_SCHEMA,
                        },
                        {
                            "name": "country",
                            "in": "query",
                            "required": False,
                            "description": "ISO 3166-1 alpha-2 destination (default: the shop's).",
                            "schema": {"enum": countries},
                        },
                        _LANG,
                    ],
                    "responses": {
                        "200": {
                            "description": "The estimate and the sentence to show.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/DeliveryEstimate"}
                                }
                            },
                        },
                        "400": _problem("A bad parameter (SKU, country, locale)."),
                        "404": _problem("No product with this SKU."),
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Stock": {
                    "type": "object",
                    "required": ["sku", "state", "quantity", "restock_date", "message"],
                    "properties": {
                        "sku": {"type": "string"},
                        "state": {"enum": ["in_stock", "low_stock", "out_of_stock", "preorder"]},
                        "quantity": {
                            "type": ["integer", "null"],
                            "description": "The real number left; only when stock is low.",
                        },
                        "restock_date": _DATE,
                        "message": {"type": "string"},
                        "availability": {"type": "string", "format": "uri"},
                        "locale": {"type": "string"},
                        "dir": {"enum": ["ltr", "rtl"]},
                    },
                },
                "StockUpdate": {
                    "type": "object",
                    "additionalProperties": False,
                    "minProperties": 1,
                    "properties": {
                        "stock_on_hand": {"type": "integer", "minimum": 0, "maximum": 1000000000},
                        "reserved": {"type": "integer", "minimum": 0, "maximum": 1000000000},
                        "restock_date": _DATE,
                    },
                },
                "DeliveryEstimate": {
                    "type": "object",
                    "required": _ESTIMATE_REQUIRED,
                    "properties": {
                        "sku": {"type": "string"},
                        "status": {"enum": ["ok", "no_restock_date", "not_shipped"]},
                        "country": {"type": "string"},
                        "zone": {"type": ["string", "null"]},
                        "carrier": {"type": ["string", "null"]},
                        "dispatch_date": _DATE,
                        "earliest": _DATE,
                        "latest": _DATE,
                        "cutoff": {
                            "type": ["string", "null"],
                            "format": "date-time",
                            "description": "Order before this moment for this estimate; null "
                            "when no same-day cut-off applies.",
                        },
                        "message": {"type": "string"},
                        "countdown": {
                            "type": ["string", "null"],
                            "description": "The countdown sentence; '{duration}' is replaced "
                            "by the time left until cutoff.",
                        },
                        "carrier_text": {"type": ["string", "null"]},
                        "server_time": {"type": "string", "format": "date-time"},
                        "display": {"type": "object"},
                        "stock_state": {"type": "string"},
                        "locale": {"type": "string"},
                        "dir": {"enum": ["ltr", "rtl"]},
                        "label": {"type": "string"},
                    },
                },
                "CartRequest": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["lines"],
                    "properties": {
                        "lines": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": max_lines,
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["sku", "quantity"],
                                "properties": {
                                    "sku": _SKU_SCHEMA,
                                    "quantity": {
                                        "type": "integer",
                                        "minimum": 1,
                                        "maximum": max_quantity,
                                        "description": (
                                            "Lines of one SKU are added up first; their sum "
                                            f"may not pass {max_quantity} either (422)."
                                        ),
                                    },
                                },
                            },
                        },
                        "country": {"enum": countries},
                        "payment_method": {"enum": [*payment_methods, None]},
                        "locale": {"enum": [locale.replace("_", "-") for locale in locales]},
                    },
                },
                "CartQuote": {
                    "type": "object",
                    "required": [
                        "status",
                        "currency",
                        "lines",
                        "subtotal",
                        "shipping",
                        "payment_surcharge",
                        "vat",
                        "total",
                        "free_shipping_remaining",
                        "delivery",
                        "returns",
                        "display",
                    ],
                    "properties": {
                        "status": {"enum": ["ok", "not_shipped", "unshippable"]},
                        "currency": {"type": "string"},
                        "lines": {"type": "array", "items": {"type": "object"}},
                        "subtotal": _DECIMAL,
                        "shipping": _DECIMAL_OR_NULL,
                        "payment_surcharge": _DECIMAL_OR_NULL,
                        "vat": {"type": "array", "items": {"type": "object"}},
                        "total": _DECIMAL_OR_NULL,
                        "free_shipping_remaining": _DECIMAL_OR_NULL,
                        "delivery": {"type": "object"},
                        "returns": {"type": "object"},
                        "display": {"type": "object"},
                    },
                },
                "Feedback": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["page", "helpful"],
                    "properties": {
                        "page": _PAGE,
                        "helpful": {"type": "boolean"},
                        "url": {
                            "type": ["string", "null"],
                            "maxLength": 2000,
                            "pattern": URL_PATTERN,
                        },
                        "title": {
                            "type": ["string", "null"],
                            "maxLength": 300,
                            "pattern": TITLE_PATTERN,
                        },
                        "locale": {
                            "type": ["string", "null"],
                            "maxLength": 35,
                            "pattern": LOCALE_PATTERN,
                        },
                    },
                },
                "Manifesto": {
                    "type": "object",
                    "required": ["format", "language", "dir", "parts"],
                    "properties": {
                        "format": {"const": "defenceline.manifesto/1"},
                        "language": {"type": "string"},
                        "dir": {"enum": ["ltr", "rtl"]},
                        "title": {"type": ["string", "null"]},
                        "parts": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                    },
                },
            },
        },
    }
    add_email_api(document, prefix)
    return document
