"""The shop's own cart, kept in the Flask session as it always was: ``{sku: quantity}`` plus an
opaque cart id. Templates get a `Cart` object; defenceline's ``cart_summary(cart)`` reads its
``items`` (objects with ``sku`` and ``quantity``) directly."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from flask import session
from sqlalchemy import select

from .models import Product, db

__all__ = ["Cart", "CartItem", "add_to_cart", "clear_cart", "current_cart"]


@dataclass(frozen=True)
class CartItem:
    sku: str
    quantity: int
    title: str
    price: Decimal

    @property
    def subtotal(self) -> Decimal:
        return self.price * self.quantity


@dataclass(frozen=True)
class Cart:
    id: str
    items: list[CartItem]

    @property
    def lines(self) -> list[dict[str, object]]:
        """The lines as defenceline's Python API takes them (`track_cart`)."""
        return [{"sku": item.sku, "quantity": item.quantity} for item in self.items]


def _cart_id() -> str:
    # A new id after every order: an ordered cart's id is never reused (docs/embedding.md).
    if "cart_id" not in session:
        session["cart_id"] = secrets.token_urlsafe(16)
    return str(session["cart_id"])


def current_cart() -> Cart:
    quantities: dict[str, int] = session.get("cart", {})
    rows = db.session.execute(select(Product).where(Product.sku.in_(list(quantities)))).scalars()
    by_sku = {row.sku: row for row in rows}
    items = [
        CartItem(sku, quantity, by_sku[sku].title, Decimal(by_sku[sku].price))
        for sku, quantity in quantities.items()
        if sku in by_sku
    ]
    return Cart(_cart_id(), items)


def add_to_cart(sku: str, quantity: int) -> Cart:
    quantities = dict(session.get("cart", {}))
    quantities[sku] = quantities.get(sku, 0) + quantity
    session["cart"] = quantities
    return current_cart()


def clear_cart() -> None:
    session.pop("cart", None)
    session.pop("cart_id", None)
