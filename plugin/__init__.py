"""defenceline.plugin: the Flask extension a storefront embeds.

    from defenceline.plugin import DefenceLine

    app.config["DEFENCELINE_POLICY"] = "store.toml"
    DefenceLine(app)

Stock and delivery-time widgets as a JSON API, HTML fragments, Jinja helpers
(``{{ defenceline.stock(sku) }}``) and web components (``<dl-stock>``,
``<dl-delivery-estimate>``); see `DefenceLine.init_app` for the configuration keys.
"""

from __future__ import annotations

from defenceline.plugin.cart.shapes import CartShapeError
from defenceline.plugin.cart.tracking import CartNotFound, CartOrdered
from defenceline.plugin.catalogue import (
    Catalogue,
    CatalogueError,
    Product,
    SqlCatalogue,
    StockChange,
    WritableCatalogue,
)
from defenceline.plugin.emails.messages import EmailSetupError
from defenceline.plugin.emails.routes import cart_restored
from defenceline.plugin.extension import DefenceLine
from defenceline.plugin.migrations import SchemaError, SchemaOutdated, include_object
from defenceline.plugin.signals import stock_changed
from defenceline.plugin.state import DefenceLineState, state
from defenceline.plugin.widgets.stock import StockState

# The public API: the extension, the catalogue protocol and its values, the signals
# (`stock_changed`, `cart_restored`) and every exception the Python API raises (see
# docs/embedding.md; `track_cart` also raises pydantic's ValidationError for a bad cart), and
# `include_object` for a host's own Alembic sharing the database (docs/plugin.md).
__all__ = [
    "CartNotFound",
    "CartOrdered",
    "CartShapeError",
    "Catalogue",
    "CatalogueError",
    "DefenceLine",
    "DefenceLineState",
    "EmailSetupError",
    "Product",
    "SchemaError",
    "SchemaOutdated",
    "SqlCatalogue",
    "StockChange",
    "StockState",
    "WritableCatalogue",
    "cart_restored",
    "include_object",
    "state",
    "stock_changed",
]
