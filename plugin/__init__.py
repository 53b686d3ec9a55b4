"""defenceline.plugin: the Flask extension a storefront embeds.

    from defenceline.plugin import DefenceLine

    app.config["DEFENCELINE_POLICY"] = "store.toml"
    DefenceLine(app)

Stock and delivery-time widgets as a JSON API, HTML fragments, Jinja helpers
(``{{ defenceline.stock(sku) }}``) and web components (``<dl-stock>``,
``<dl-delivery-estimate>``); see `DefenceLine.init_app` for the configuration keys.
"""

from __future__ import annotations

from defenceline.plugin.catalogue import Catalogue, Product, SqlCatalogue, StockChange
from defenceline.plugin.extension import DefenceLine
from defenceline.plugin.migrations import SchemaError, SchemaOutdated, include_object
from defenceline.plugin.signals import stock_changed
from defenceline.plugin.state import DefenceLineState, state
from defenceline.plugin.widgets.stock import StockState

__all__ = [
    "Catalogue",
    "DefenceLine",
    "DefenceLineState",
    "Product",
    "SchemaError",
    "SchemaOutdated",
    "SqlCatalogue",
    "StockChange",
    "StockState",
    "include_object",
    "state",
    "stock_changed",
]
