"""What a careful shopper reads on a product page: price, stock, delivery, shipping, returns.

The package reads each fact from every source that can state it and says which one it used:

- `markup`: the product the structured data describes (JSON-LD, microdata, RDFa, Open Graph);
- `platform`: the product state shop platforms embed (Shopify, WooCommerce, Magento,
  PrestaShop, BigCommerce, Next.js, Nuxt, Wix, Squarespace);
- `buybox`: the price a shopper reads next to the heading and the add-to-cart control;
- `availability`: stock as stated in words, else as the buy control shows it;
- `text`: delivery time, shipping cost and return window in the visible text;
- `images`: the product's photos;
- `provenance`: where each fact was read, with a CSS selector;
- `extract`: putting them together (`extract_facts`).

Shops can point the checker at their own template with CSS selectors (`[checks.selectors]`);
a selector that matches wins over every heuristic.
"""

from __future__ import annotations

from defenceline.checks.facts.availability import (
    AVAILABILITY_TERMS,
    compatible_availability,
    normalise_availability,
)
from defenceline.checks.facts.extract import extract_facts
from defenceline.checks.facts.markup import main_product, markup_number, markup_offers
from defenceline.checks.facts.model import Facts, Found, ProductImage
from defenceline.checks.facts.provenance import Provenance
from defenceline.checks.facts.text import states_cost

__all__ = [
    "AVAILABILITY_TERMS",
    "Facts",
    "Found",
    "ProductImage",
    "Provenance",
    "compatible_availability",
    "extract_facts",
    "main_product",
    "markup_number",
    "markup_offers",
    "normalise_availability",
    "states_cost",
]
