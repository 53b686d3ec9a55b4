"""The adapter defenceline reads the shop's products through (docs/catalogue.md).

It maps the shop's own `Product` model onto `defenceline.plugin.Product`. The plugin calls it
in requests (widgets, cart summaries) and outside them (``flask defenceline send-due`` writing
back-in-stock emails); in both cases it runs inside an app context with a request context for
``DEFENCELINE_PUBLIC_URL``, so ``db.session`` and ``url_for(..., _external=True)`` work.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from flask import url_for
from sqlalchemy import select

from defenceline.plugin import Product

from .models import Product as ShopProduct
from .models import db

__all__ = ["ShopCatalogue"]


def _product(row: ShopProduct) -> Product:
    return Product(
        sku=row.sku,
        name=row.title,
        price=Decimal(row.price),
        weight_kg=Decimal(row.weight_grams) / 1000,
        stock_on_hand=row.stock,
        # Absolute: the same value serves the page, its structured data and the emails.
        image_url=(
            url_for("static", filename=f"img/{row.image}", _external=True) if row.image else None
        ),
        product_id=str(row.id),
        description=row.summary,
    )


class ShopCatalogue:
    """defenceline's catalogue protocol (`get`, `get_many`) over the shop's `Product`."""

    def get(self, sku: str) -> Product | None:
        row = db.session.execute(
            select(ShopProduct).where(ShopProduct.sku == sku)
        ).scalar_one_or_none()
        return _product(row) if row is not None else None

    def get_many(self, skus: Iterable[str]) -> dict[str, Product]:
        wanted = list(dict.fromkeys(skus))
        if not wanted:
            return {}
        rows = db.session.execute(select(ShopProduct).where(ShopProduct.sku.in_(wanted)))
        return {row.sku: _product(row) for row in rows.scalars()}
