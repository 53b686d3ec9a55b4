"""Stock changes reaching the plugin: from its own stock API and catalogue imports (a
`StockChange` with the state before and after) or from the shop's own code
(`DefenceLine.stock_changed(sku, available)`: the new level only). One announcement for all:
the `stock_changed` signal, to which back-in-stock alerts listen."""

from __future__ import annotations

import dataclasses

from flask import Flask, current_app

from defenceline.plugin.background import background_context
from defenceline.plugin.catalogue import MAX_STOCK, StockChange
from defenceline.plugin.signals import stock_changed
from defenceline.plugin.state import state

__all__ = ["announce", "report_stock"]


def announce(change: StockChange, app: Flask | None = None) -> None:
    """Tell every listener (alerts, the shop's own receivers) about `change`."""
    stock_changed.send(app or current_app._get_current_object(), change=change)  # type: ignore[attr-defined]


def report_stock(sku: str, available: int, app: Flask | None = None) -> StockChange:
    """`DefenceLine.stock_changed`: the shop says `sku` now has `available` sellable units."""
    if not isinstance(sku, str) or not sku.strip():
        raise ValueError(f"sku: expected the SKU as text, got {sku!r}")
    if isinstance(available, bool) or not isinstance(available, int):
        raise ValueError(f"available: expected a whole number of units, got {available!r}")
    if not 0 <= available <= MAX_STOCK:
        raise ValueError(f"available: expected 0 to {MAX_STOCK}, got {available}")
    with background_context(app):
        st = state(app)
        product = st.catalogue.get(sku)
        if product is None:
            raise LookupError(f"no product with SKU {sku!r} in the catalogue")
        # The shop's number wins over a catalogue that may lag behind it (a cache, a replica).
        after = dataclasses.replace(product, stock_on_hand=available + product.reserved)
        change = StockChange(sku, None, after)
        announce(change, app)
        return change
