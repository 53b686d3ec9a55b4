"""What the stock widget says: a variant's state, from real stock only.

"Only N left" appears only when the available stock (on hand minus reserved) is at or below
the policy's `low_stock_threshold`, and N is that real number — never an invented one.

A restock date further ahead than the core's `RESTOCK_HORIZON_DAYS` is no date at all: ERP
systems write 9999-12-31 (or 2999-01-01) for "unknown", and promising delivery in the year
9999 helps no one. Such an item is out of stock with no restock date, in every widget, email
and quote.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from defenceline.businessdays import FIRST_DAY
from defenceline.delivery import RESTOCK_HORIZON_DAYS
from defenceline.plugin.catalogue import Product

__all__ = ["StockState", "StockView", "known_restock_date", "stock_view"]


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


def known_restock_date(restock_date: dt.date | None, today: dt.date) -> dt.date | None:
    """`restock_date`, or None when it is too far ahead to be a real date (the same horizon
    the delivery estimate uses, so the stock sentence and the estimate agree) or before the
    core's calendar begins (0001-01-01, another placeholder)."""
    if restock_date is None or restock_date < FIRST_DAY:
        return None
    if (restock_date - today).days > RESTOCK_HORIZON_DAYS:
        return None
    return restock_date


def stock_view(product: Product, low_stock_threshold: int, today: dt.date) -> StockView:
    """What to say about `product` on `today` (the shop's date)."""
    available = product.available
    if available > low_stock_threshold:
        return StockView(product.sku, StockState.IN_STOCK, None, None)
    if available > 0:
        return StockView(product.sku, StockState.LOW_STOCK, available, None)
    restock_date = known_restock_date(product.restock_date, today)
    if product.preorder:
        return StockView(product.sku, StockState.PREORDER, None, restock_date)
    return StockView(product.sku, StockState.OUT_OF_STOCK, None, restock_date)
