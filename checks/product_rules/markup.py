"""Structured data for search engines and shopping surfaces: the product, its shipping and
return policy, and whether the markup says what the page shows."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from bs4 import Tag

from defenceline.checks.amounts import symbol_allows
from defenceline.checks.facts import (
    compatible_availability,
    main_product,
    markup_number,
    markup_offers,
    normalise_availability,
)
from defenceline.checks.facts.provenance import BUY_BUTTON
from defenceline.checks.registry import Context, Hit, register
from defenceline.checks.structured import first_value, types_of
from defenceline.regions import is_currency

__all__: list[str] = []


def _valid_currency(value: Any) -> bool:
    return isinstance(value, str) and len(value.strip()) == 3 and is_currency(value.strip())


def _number(value: Any) -> Decimal | None:
    return markup_number(value)


@register("structured-data-product")
def structured_data_product(ctx: Context) -> Iterator[Hit]:
    page = ctx.page
    for error in page.structured.errors:
        yield Hit(error.message, error.element, snippet=(error.element.string or "")[:200])
    chosen = main_product(page)
    if chosen is None:
        yield Hit("no schema.org Product in JSON-LD or microdata", None)
        return
    product = chosen[0]
    evidence = _evidence(ctx, chosen[1])
    if not first_value(product, "name"):
        yield Hit("Product has no name", evidence)
    if not first_value(product, "image"):
        yield Hit("Product has no image", evidence)
    offers = markup_offers(product)
    if not offers:
        if "ProductGroup" in types_of(product):
            return
        yield Hit("Product has no offers (price, currency, availability)", evidence)
        return
    offer = offers[0]
    price = _number(_offer_value(offer, "price", "lowPrice"))
    if price is None:
        yield Hit("Offer has no price", evidence)
    elif price <= 0:
        yield Hit(f"Offer price is {price}; it must be greater than zero", evidence)
    currency = _offer_value(offer, "priceCurrency")
    if currency is None:
        yield Hit("Offer has no priceCurrency", evidence)
    elif not _valid_currency(currency):
        yield Hit(f"priceCurrency {currency!r} is not an ISO 4217 code such as EUR", evidence)
    availability = first_value(offer, "availability")
    if availability is None:
        yield Hit("Offer has no availability", evidence, severity="warning")
    elif normalise_availability(availability) is None:
        yield Hit(
            f"availability {availability!r} is not a schema.org ItemAvailability term "
            "(e.g. https://schema.org/InStock)",
            evidence,
            severity="warning",
        )


def _evidence(ctx: Context, source: str) -> Tag | None:
    if source == "microdata":
        return ctx.page.item_scopes[0] if ctx.page.item_scopes else None
    for script in ctx.page.elements("script"):
        if str(script.get("type", "")).lower() == "application/ld+json" and "Product" in (
            script.string or ""
        ):
            return script
    return None


def _offer_value(offer: dict[str, Any], key: str, *more: str) -> Any:
    """The offer's first value of `key` (or of `more`), else its price specification's."""
    value = first_value(offer, key, *more)
    if value is None:
        spec = offer.get("priceSpecification")
        spec = spec[0] if isinstance(spec, list) and spec else spec
        value = first_value(spec, key) if isinstance(spec, dict) else None
    return value


def _declared(ctx: Context, key: str, *organisation_keys: str) -> list[dict[str, Any]]:
    """The objects the main product's offers declare under `key`, and those the shop's
    organisation declares under `organisation_keys` (default: `key` too): either may hold
    shipping details and return policies."""
    sources: list[tuple[dict[str, Any], tuple[str, ...]]] = [
        (offer, (key,)) for offer in _offers(ctx)
    ]
    sources += [(org, organisation_keys or (key,)) for org in _organisations(ctx)]
    found: list[dict[str, Any]] = []
    for node, keys in sources:
        for name in keys:
            value = node.get(name)
            values = value if isinstance(value, list) else [value]
            found.extend(v for v in values if v and isinstance(v, dict))
    return found


def _missing(node: dict[str, Any], *keys: str) -> list[str]:
    """The `keys` that `node` has no value for, in order."""
    return [key for key in keys if not first_value(node, key)]


def _not_on_this_page(what: str, pronoun: str) -> Hit:
    """`what` is missing from the page's markup, which is only worth knowing: the shop's
    organisation may declare it once, on another page."""
    return Hit(
        f"no {what} in the structured data; {pronoun} may be defined at organisation level "
        "(OnlineStore / Organization) on another page",
        None,
        severity="info",
    )


def _offers(ctx: Context) -> list[dict[str, Any]]:
    chosen = main_product(ctx.page)
    return markup_offers(chosen[0]) if chosen else []


def _organisations(ctx: Context) -> list[dict[str, Any]]:
    return ctx.page.structured.of_type("Organization", "OnlineStore", "OnlineBusiness", "Store")


@register("structured-data-shipping")
def structured_data_shipping(ctx: Context) -> Iterator[Hit]:
    details = _declared(ctx, "shippingDetails", "hasShippingService", "shippingDetails")
    if not details:
        yield _not_on_this_page("shipping details", "they")
        return
    for detail in details:
        if "ShippingService" in types_of(detail):
            continue
        missing = _missing(detail, "shippingRate", "shippingDestination", "deliveryTime")
        if missing:
            yield Hit(f"OfferShippingDetails lacks {', '.join(missing)}", None)


@register("structured-data-returns")
def structured_data_returns(ctx: Context) -> Iterator[Hit]:
    policies = _declared(ctx, "hasMerchantReturnPolicy")
    if not policies:
        yield _not_on_this_page("return policy", "it")
        return
    for policy in policies:
        missing = _missing(policy, "applicableCountry", "returnPolicyCategory")
        category = first_value(policy, "returnPolicyCategory")
        if category and "FiniteReturnWindow" in str(category):
            missing += _missing(policy, "merchantReturnDays")
        if missing:
            yield Hit(f"MerchantReturnPolicy lacks {', '.join(missing)}", None)


@register("markup-matches-page")
def markup_matches_page(ctx: Context) -> Iterator[Hit]:
    facts = ctx.facts
    visible = facts.visible_price
    if visible is not None and facts.markup.prices:
        value, currency = visible.value
        if all(abs(value - price) > Decimal("0.01") for price in facts.markup.prices):
            shown = ", ".join(str(p) for p in facts.markup.prices[:3])
            yield Hit(
                f"the page shows {value} but the structured data says {shown}",
                visible.element,
                snippet=visible.text,
            )
        if (
            currency
            and facts.markup.currency
            and not symbol_allows(facts.visible_symbol, facts.markup.currency)
        ):
            yield Hit(
                f"the page shows {currency} but the structured data says {facts.markup.currency}",
                visible.element,
                snippet=visible.text,
            )
    stock = facts.visible_stock
    markup = facts.markup.availability
    if stock is not None and stock.source == BUY_BUTTON:
        return  # inferred from the button's state: the page states nothing to compare
    if stock is not None and markup and not compatible_availability(markup, str(stock.value)):
        yield Hit(
            f"the page says {stock.value} but the structured data says {markup}",
            stock.element,
            snippet=stock.text,
        )
