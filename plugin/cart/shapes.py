"""The cart shapes the Jinja helper ``cart_summary(cart)`` accepts, read into the cart-quote
API's request body.

A host passes the cart it already has: a mapping with ``lines`` (the API's own shape), a list
of lines, or an object with ``lines`` or ``items`` (a dataclass, an ORM model, a session
wrapper); a line is a mapping or an object with ``sku`` and ``quantity``. Anything else is a
`CartShapeError` whose message says what was given and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["CartShapeError", "cart_request"]

_CART_FIELDS = ("country", "payment_method", "locale")
EXPECTED = (
    "expected a mapping with 'lines', a list of lines, or an object with 'lines' or 'items'; "
    "each line a mapping or an object with 'sku' and 'quantity'"
)


class CartShapeError(ValueError):
    """A cart the helper cannot read; the message names what was wrong."""


def _field(source: object, name: str) -> Any:
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def _line(index: int, line: object) -> dict[str, Any]:
    sku, quantity = _field(line, "sku"), _field(line, "quantity")
    if sku is None or quantity is None:
        raise CartShapeError(
            f"line {index} ({type(line).__name__}) has no 'sku' and 'quantity'; {EXPECTED}"
        )
    return {"sku": sku, "quantity": quantity}


def cart_request(cart: object) -> dict[str, Any]:
    """`cart` in any documented shape, as the cart-quote API's request body."""
    lines: object
    source: object = cart
    if isinstance(cart, Mapping):
        lines = cart.get("lines")
    elif isinstance(cart, list | tuple):
        lines, source = cart, None
    else:
        lines = _field(cart, "lines")
        if lines is None or callable(lines):
            lines = _field(cart, "items")
    if (
        callable(lines)
        or isinstance(lines, str | bytes | Mapping)
        or not isinstance(lines, Iterable)
    ):
        raise CartShapeError(f"cannot read a cart from {type(cart).__name__}; {EXPECTED}")
    body: dict[str, Any] = {"lines": [_line(i, line) for i, line in enumerate(lines)]}
    for name in _CART_FIELDS:
        value = _field(source, name) if source is not None else None
        if isinstance(value, str) and value:
            body[name] = value
    return body
