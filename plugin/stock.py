"""What the stock widget says: a variant's state, from real stock only.

"Only N left" appears only when the available stock (on hand minus reserved) is at or below
the policy's `low_stock_threshold`, and N is that real number — never an invented one.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from defenceline.plugin.catalogue import Product

__all__ = ["StockState", "StockView", "stock_view"]


class StockState(enum.StrEnum):
    IN_STOCK = "in_stock"
    LOW_STOCK = "low_stock"
    OUT_OF_STOCK = "out_of_stock"
    PREORDER = "preorder"

    @property
    def schema_org(self) -> str:
        """The schema.org availability term for this state."""
        return {
            StockState.IN_STOCK: "https://schema.org/InStock",
            StockState.LOW_STOCK: "https://schema.org/LimitedAvailability",
            StockState.OUT_OF_STOCK: "https://schema.org/OutOfStock",
            StockState.PREORDER: "https://schema.org/PreOrder",
        }[self]


@dataclass(frozen=True)
class StockView:
    sku: str
    state: StockState
    quantity: int | None  # only for low stock: the real number available
    restock_date: dt.date | None

    @property
    def in_stock(self) -> bool:
        return self.state in (StockState.IN_STOCK, StockState.LOW_STOCK)


def stock_view(product: Product, low_stock_threshold: int) -> StockView:
    available = product.available
    if available > low_stock_threshold:
        return StockView(product.sku, StockState.IN_STOCK, None, None)
    if available > 0:
        return StockView(product.sku, StockState.LOW_STOCK, available, None)
    if product.preorder:
        return StockView(product.sku, StockState.PREORDER, None, product.restock_date)
    return StockView(product.sku, StockState.OUT_OF_STOCK, None, product.restock_date)
