"""The pages the product rules' failing and passing examples are built from.

Every rule documents a failing and a passing example (shown in the rule reference and run by
the tests). Most start from the same bare product page — a heading, a price, a buy button —
and add what the rule looks for; the structured-data rules add a Product in JSON-LD, written
here as data so it is always valid JSON.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["OFFER", "PRODUCT_PAGE", "json_ld"]

PRODUCT_PAGE = "<h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button>"
"""The bare product page: a heading, a price and a buy button, nothing else."""

OFFER: dict[str, Any] = {"@type": "Offer", "price": "49.95", "priceCurrency": "EUR"}
"""The product page's offer as schema.org markup."""


def json_ld(product: dict[str, Any]) -> str:
    """A JSON-LD script declaring the schema.org Product with `product`'s properties."""
    data = {"@context": "https://schema.org", "@type": "Product", **product}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
