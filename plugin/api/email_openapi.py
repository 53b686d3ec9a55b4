"""The email features' part of the OpenAPI document (merged in by `openapi_document`).

The schemas describe exactly what the routes accept: every request they allow gets a 2xx
(or 404/409 for a cart or product that does not exist), every request they forbid a 4xx —
schemathesis checks both directions.
"""

from __future__ import annotations

from typing import Any

from defenceline.plugin.cart.tracking import (
    CART_ID,
    LOCALE_PATTERN,
    MAX_LINES,
    MAX_QUANTITY,
    PRINTABLE,
    SKU_PATTERN,
    all_zones,
)
from defenceline.regions import all_countries

__all__ = ["add_email_api"]

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _PROBLEM_REF}},
    }


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


_EMAIL = {"type": "string", "format": "email", "maxLength": 320}
_LOCALE = {"type": "string", "maxLength": 35, "pattern": LOCALE_PATTERN}
_SKU = {"type": "string", "minLength": 1, "maxLength": 64, "pattern": SKU_PATTERN}
_CART_PATH = {
    "name": "cart_id",
    "in": "path",
    "required": True,
    "description": "The storefront's own id of the cart.",
    "schema": {"type": "string", "pattern": CART_ID},
}
_WRITE_ERRORS = {
    "400": _problem("Malformed JSON or a bad cart id."),
    "401": _problem("Missing or wrong bearer token."),
    "403": _problem("Writes are disabled (no token configured)."),
    "413": _problem("The body is too large."),
    "415": _problem("The body is not JSON."),
}


def add_email_api(document: dict[str, Any], prefix: str) -> None:
    """Add the email routes' paths and schemas to `document` (in place)."""
    document["paths"].update(
        {
            f"{prefix}/api/v1/carts/{{cart_id}}": {
                "post": {
                    "operationId": "trackCart",
                    "summary": "Record a cart (cart activity) for abandoned-cart reminders",
                    "description": (
                        "Send it on every change of the cart, and when the shopper gives an "
                        "address or consent. Only `lines` is required; a field left out keeps "
                        "its earlier value."
                    ),
                    "security": [{"bearer": []}],
                    "parameters": [_CART_PATH],
                    "requestBody": {"required": True, "content": _json("CartTrack")},
                    "responses": {
                        "200": {"description": "Recorded.", "content": _json("CartState")},
                        **_WRITE_ERRORS,
                        "409": _problem("The cart was already ordered."),
                        "422": _problem("The body does not match CartTrack."),
                    },
                }
            },
            f"{prefix}/api/v1/carts/{{cart_id}}/order": {
                "post": {
                    "operationId": "orderCart",
                    "summary": "The cart became an order: no reminder is sent for it again",
                    "security": [{"bearer": []}],
                    "parameters": [_CART_PATH],
                    "requestBody": {"required": False, "content": _json("CartOrder")},
                    "responses": {
                        "200": {"description": "Recorded.", "content": _json("CartState")},
                        **_WRITE_ERRORS,
                        "404": _problem("No cart with this id was tracked."),
                        "422": _problem("The body does not match CartOrder."),
                    },
                }
            },
            f"{prefix}/api/v1/cart-restores": {
                "post": {
                    "operationId": "restoreCart",
                    "summary": "The cart behind a restore link's token, at today's prices",
                    "description": (
                        "For a storefront that handles restore links on its own page "
                        "(DEFENCELINE_RESTORE_URL): it receives `?token=` and asks here, then "
                        "puts the lines into the visitor's own cart. The original cart's id "
                        "is never returned: a forwarded link must not be a key to that cart."
                    ),
                    "security": [{"bearer": []}],
                    "requestBody": {"required": True, "content": _json("CartRestoreRequest")},
                    "responses": {
                        "200": {
                            "description": "The cart and what changed.",
                            "content": _json("CartRestore"),
                        },
                        **_WRITE_ERRORS,
                        "404": _problem("The token is not valid."),
                        "410": _problem("The token has expired, or its cart was ordered."),
                        "422": _problem("The body does not match CartRestoreRequest."),
                    },
                }
            },
            f"{prefix}/api/v1/stock-alerts": {
                "post": {
                    "operationId": "requestStockAlert",
                    "summary": "Email me when it's back (double opt-in)",
                    "description": (
                        "A confirmation email is sent first; the answer is the same whether "
                        "or not the address was known."
                    ),
                    "requestBody": {"required": True, "content": _json("StockAlertRequest")},
                    "responses": {
                        "202": {
                            "description": "A confirmation email is on its way.",
                            "content": _json("StockAlertAccepted"),
                        },
                        "400": _problem("Malformed JSON."),
                        "404": _problem("No product with this SKU."),
                        "413": _problem("The body is too large."),
                        "415": _problem("The body is not JSON."),
                        "422": _problem("The body does not match StockAlertRequest."),
                        "429": _problem("Too many sign-ups from this client; see Retry-After."),
                    },
                }
            },
        }
    )
    countries = all_countries()
    document["components"]["schemas"].update(
        {
            "CartTrack": {
                "type": "object",
                "additionalProperties": False,
                "required": ["lines"],
                "properties": {
                    "lines": {
                        "type": "array",
                        "maxItems": MAX_LINES,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["sku", "quantity"],
                            "properties": {
                                "sku": _SKU,
                                "quantity": {
                                    "type": "integer",
                                    "minimum": 1,
                                    "maximum": MAX_QUANTITY,
                                },
                            },
                        },
                    },
                    "email": _nullable(_EMAIL),
                    "name": _nullable({"type": "string", "maxLength": 200, "pattern": PRINTABLE}),
                    "locale": _nullable(_LOCALE),
                    "country": _nullable({"enum": countries}),
                    "timezone": _nullable({"enum": all_zones()}),
                    "consent": {"type": ["boolean", "null"]},
                    "user_agent": _nullable(
                        {"type": "string", "maxLength": 1000, "pattern": PRINTABLE}
                    ),
                },
            },
            "CartOrder": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "total": _nullable(
                        {"type": "string", "pattern": "^[0-9]{1,12}(\\.[0-9]{1,4})?$"}
                    ),
                    "order_id": _nullable(
                        {"type": "string", "maxLength": 128, "pattern": PRINTABLE}
                    ),
                },
            },
            "CartState": {
                "type": "object",
                "required": ["cart_id", "lines", "ordered", "next_reminder_at"],
                "properties": {
                    "cart_id": {"type": "string"},
                    "lines": {"type": "integer"},
                    "has_address": {"type": "boolean"},
                    "ordered": {"type": "boolean"},
                    "next_reminder_at": {"type": ["string", "null"], "format": "date-time"},
                    "stopped_reason": {"type": ["string", "null"]},
                },
            },
            "CartRestoreRequest": {
                "type": "object",
                "additionalProperties": False,
                "required": ["token"],
                "properties": {
                    "token": {"type": "string", "minLength": 1, "maxLength": 500},
                    "locale": _nullable(_LOCALE),
                },
            },
            "CartRestore": {
                "type": "object",
                "required": ["lines", "changes"],
                "properties": {
                    "locale": {"type": "string"},
                    "lines": {"type": "array", "items": {"type": "object"}},
                    "changes": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["sku", "change"],
                            "properties": {
                                "sku": {"type": "string"},
                                "change": {
                                    "enum": ["price", "out_of_stock", "quantity", "removed"]
                                },
                            },
                        },
                    },
                    "quote": {"type": ["object", "null"]},
                },
            },
            "StockAlertRequest": {
                "type": "object",
                "additionalProperties": False,
                "required": ["email", "sku", "consent"],
                "properties": {
                    "email": _EMAIL,
                    "sku": _SKU,
                    "locale": _nullable(_LOCALE),
                    "consent": {
                        "const": True,
                        "description": "The shopper ticked the box themselves; never pre-ticked.",
                    },
                },
            },
            "StockAlertAccepted": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"const": "confirmation_requested"},
                    "message": {"type": "string"},
                    "locale": {"type": "string"},
                    "dir": {"enum": ["ltr", "rtl"]},
                },
            },
        }
    )
