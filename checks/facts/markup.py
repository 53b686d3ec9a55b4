"""The product the structured data describes: its name, price, currency and availability.

Real pages carry more than one product in their markup: an `@graph` with the page's product
and the ones it links to, related products nested under `isRelatedTo`, a `ProductGroup` whose
`hasVariant` lists every size and colour, Shopify's one `Offer` per variant, an
`AggregateOffer` with a low and a high price. The main product is the one named like the page's
heading (else the one with offers, else the first), never one nested under another product's
related-items properties. Of its offers, the one a shopper lands on is the first that can be
bought — the variant shop platforms select by default — else the first.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from bs4 import Tag

from defenceline.checks.amounts import parse_amount
from defenceline.checks.facts.availability import normalise_availability
from defenceline.checks.facts.model import DeclaredProduct
from defenceline.checks.page import Page
from defenceline.checks.structured import first_value, types_of

__all__ = ["main_product", "markup_number", "markup_offers", "read_markup"]

# Properties under which a product names other products: not the page's product.
_OTHER_PRODUCTS = frozenset(
    [
        "isRelatedTo",
        "isSimilarTo",
        "isAccessoryOrSparePartFor",
        "isConsumableFor",
        "isVariantOf",
        "itemListElement",
        "review",
        "hasVariant",
        "mentions",
    ]
)
_PLAIN_NUMBER = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")
_BUYABLE = frozenset(["InStock", "LimitedAvailability", "OnlineOnly", "InStoreOnly", "MadeToOrder"])


def markup_number(value: Any) -> Decimal | None:
    """A price or count as markup writes it: 29.95, "29.95", "29,95", "1.299,00", "€ 29,95"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        if _PLAIN_NUMBER.match(value):
            try:
                return Decimal(value.strip())
            except InvalidOperation:
                return None
        return parse_amount(value)
    return None


def markup_offers(product: dict[str, Any]) -> list[dict[str, Any]]:
    """The product's offers as a flat list: its own, an AggregateOffer's (or the aggregate
    itself), and those of a ProductGroup's variants."""
    raw = product.get("offers")
    items = raw if isinstance(raw, list) else [raw]
    offers: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        inner = item.get("offers")
        if "AggregateOffer" in types_of(item) and isinstance(inner, list | dict):
            inner_list = inner if isinstance(inner, list) else [inner]
            offers.extend(o for o in inner_list if isinstance(o, dict))
            if not inner_list:
                offers.append(item)
        else:
            offers.append(item)
    if not offers and "ProductGroup" in types_of(product):
        variants = product.get("hasVariant")
        for variant in variants if isinstance(variants, list) else [variants]:
            if isinstance(variant, dict):
                offers.extend(markup_offers(variant))
    return offers


def _candidates(page: Page) -> list[tuple[dict[str, Any], str]]:
    """Products and product groups the markup declares, not those nested as other products."""
    found: list[tuple[dict[str, Any], str]] = []
    seen: set[int] = set()
    structured = page.structured
    for top in structured.nodes:
        source = structured.source_of.get(id(top), "json-ld")
        stack: list[tuple[Any, int]] = [(top, 0)]
        while stack:
            node, depth = stack.pop()
            if depth > 12:
                continue
            if isinstance(node, list):
                stack.extend((item, depth + 1) for item in reversed(node))
                continue
            if not isinstance(node, dict) or id(node) in seen:
                continue
            seen.add(id(node))
            if types_of(node) & {"Product", "ProductGroup", "IndividualProduct", "ProductModel"}:
                found.append((node, source))
            for key, value in node.items():
                if key not in _OTHER_PRODUCTS and isinstance(value, dict | list):
                    stack.append((value, depth + 1))
    return found


def _name_of(node: dict[str, Any]) -> str:
    name = first_value(node, "name")
    return " ".join(name.split()).lower() if isinstance(name, str) else ""


def main_product(page: Page) -> tuple[dict[str, Any], str] | None:
    """The product the page is about (several products: the one named like the heading)."""
    found = _candidates(page)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    heading = page.text_of(page.main_heading).lower() if page.main_heading else ""
    heading = " ".join(heading.split())
    if heading:
        named = [item for item in found if _name_of(item[0]) and _name_of(item[0]) in heading]
        named = named or [item for item in found if heading and heading in _name_of(item[0])]
        if named:
            # The longest name that fits: "Bell" and "Bell Deluxe" both fit "Bell Deluxe".
            return max(named, key=lambda item: len(_name_of(item[0])))
    with_offers = [item for item in found if markup_offers(item[0])]
    return (with_offers or found)[0]


def _offer_price(offer: dict[str, Any]) -> tuple[Decimal | None, str | None]:
    currency = first_value(offer, "priceCurrency")
    price = markup_number(first_value(offer, "price", "lowPrice"))
    if price is None:
        specs = offer.get("priceSpecification")
        for spec in specs if isinstance(specs, list) else [specs]:
            if not isinstance(spec, dict):
                continue
            kind = str(spec.get("priceType") or "")
            if "Strikethrough" in kind or "ListPrice" in kind or spec.get("referenceQuantity"):
                continue  # an old price or a unit price, not what this costs
            price = markup_number(spec.get("price"))
            currency = currency or first_value(spec, "priceCurrency")
            if price is not None:
                break
    return price, currency.strip().upper() if isinstance(currency, str) else None


def _from_product(page: Page, product: dict[str, Any], source: str) -> DeclaredProduct:
    found = DeclaredProduct(source, page.structured.element_for(product))
    name = first_value(product, "name")
    if isinstance(name, str) and name.strip():
        found.name = " ".join(name.split())
    images = product.get("image")
    image_list = images if isinstance(images, list) else [images] if images else []
    found.image_count = len([image for image in image_list if image])
    chosen: tuple[Decimal | None, str | None, str | None] | None = None
    for offer in markup_offers(product):
        price, currency = _offer_price(offer)
        if price is not None and price <= 0:
            price = None  # "0.00" on a variable product or a price on request: no price
        high = markup_number(first_value(offer, "highPrice"))
        if price is not None:
            found.prices.append(price)
        if high is not None:
            found.prices.append(high)
        availability = normalise_availability(first_value(offer, "availability"))
        better = chosen is not None and chosen[2] not in _BUYABLE and availability in _BUYABLE
        if chosen is None or (better and price is not None):
            chosen = (price, currency, availability)
        if found.currency is None and currency:
            found.currency = currency
    if chosen is not None:
        found.price = chosen[0] if chosen[0] is not None else next(iter(found.prices), None)
        found.currency = chosen[1] or found.currency
        found.availability = chosen[2]
    if found.availability is None:
        # Some templates put availability on the product instead of its offer (Magento Luma's
        # microdata): not what schema.org says, but what the shop meant.
        found.availability = normalise_availability(first_value(product, "availability"))
    return found


def _first_meta(page: Page, *names: str) -> tuple[str, Tag] | None:
    for meta in page.elements("meta"):
        key = meta.get("property") or meta.get("name")
        content = meta.get("content")
        if (
            isinstance(key, str)
            and key.strip().lower() in names
            and isinstance(content, str)
            and content.strip()
        ):
            return content.strip(), meta
    return None


def read_markup(page: Page) -> DeclaredProduct | None:
    """The page's product as its structured data (any syntax) and Open Graph tags describe it."""
    chosen = main_product(page)
    structured = page.structured
    if chosen is None:
        # An offer without its product (a theme that dropped the Product scope but kept the
        # price's microdata): the page's one offer is still the product's.
        offers = structured.of_type_with_source("Offer", "AggregateOffer")
        if len(offers) == 1:
            chosen = ({"offers": offers[0][0]}, offers[0][1])
    found = _from_product(page, *chosen) if chosen is not None else None
    if not structured.opengraph:
        return found
    og = found or DeclaredProduct("opengraph")
    if og.price is None:
        amount = _first_meta(page, "product:price:amount", "og:price:amount")
        price = markup_number(amount[0]) if amount else None
        if amount is not None and price is not None:
            og.price = price
            og.prices.append(price)
            if found is None:
                og.element = amount[1]
    if og.currency is None:
        currency = structured.og("product:price:currency") or structured.og("og:price:currency")
        if currency:
            og.currency = currency.strip().upper()
    if og.availability is None:
        availability = structured.og("product:availability") or structured.og("og:availability")
        og.availability = normalise_availability(availability)
    if og.name is None and found is None:
        title = structured.og("og:title")
        og.name = " ".join(title.split()) if title else None
    if found is None and og.price is None and og.availability is None and og.name is None:
        return None
    return og
