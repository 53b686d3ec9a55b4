"""schema.org JSON-LD from the store policy: the same promise, told to search engines.

The product page and the cart say "free shipping from €50, order before 16:00, free returns
within 30 days"; the structured data says it too, from the same `store.toml`, so Google's
shopping results never show a promise the shop does not make.

What is emitted follows Google Search Central's current documentation:

* **Merchant listings** (``merchant-listing``): `Product` with an `Offer` (`price`,
  `priceCurrency`, `availability`, `itemCondition`, `url`) carrying `shippingDetails` — one
  `OfferShippingDetails` per destination country, each with `shippingRate` (a
  `MonetaryAmount`), `shippingDestination` (a `DefinedRegion` with `addressCountry`) and
  `deliveryTime` (a `ShippingDeliveryTime` whose `handlingTime` and `transitTime` are
  `QuantitativeValue`\\s in unit ``DAY``, plus schema.org's `cutoffTime` and `businessDays`) —
  and `hasMerchantReturnPolicy`. Offer-level shipping has no notion of an order-value
  threshold, so a product's rate is what shipping that one item costs: 0 when its own price
  reaches the zone's free-shipping threshold, else the zone's flat rate or the tier that fits
  it (the first, lowest tier when its weight is not given). A destination whose tiers cannot
  carry the item gets `doesNotShip`.
* **Organisation-level shipping policy** (``shipping-policy``, `ShippingService` under
  `hasShippingService`): one `ShippingService` with a `handlingTime` `ServicePeriod` (cut-off,
  business days, duration) and `ShippingConditions` per zone — `shippingDestination`,
  `shippingRate`, `transitTime` (a `ServicePeriod` with the carrier's delivery weekdays) and,
  for the free-shipping threshold, `orderValue` ranges exactly as Google's example does ("rate
  below 50.00: maxValue 49.99"; "free from 50.00: minValue 50.00"). Tiered rates become
  `weight` (unit ``KGM``) and `orderValue` ranges. Google picks the lowest rate when several
  conditions match, while the policy's first fitting tier wins; when a tier table cannot be
  expressed so that both agree, the zone's condition states its highest rate as
  `shippingRate.maxValue` ("at most"), which Google documents, rather than a wrong exact rate.
* **Organisation-level return policy** (``return-policy``, `MerchantReturnPolicy` under
  `hasMerchantReturnPolicy` of an `OnlineStore`): `applicableCountry` (at most 50 per policy
  object, so longer lists are split), `returnPolicyCountry`, `returnPolicyCategory`,
  `merchantReturnDays`, `returnMethod`, `returnFees` (`FreeReturn`, or `ReturnShippingFees`
  with `returnShippingFeesAmount`), and `merchantReturnLink` when given. The offer-level policy
  uses the subset Google lists for merchant listings.

Money is written as decimal strings ("4.95"), which Google accepts for amounts ("no currency
symbols, thousands separators or spaces") and which keep `Decimal` amounts exact; day counts
are integers. The return method is `ReturnByMail`: the policy's `method` is free text for
shoppers, and a web shop's returns travel by parcel. Times are given in the warehouse's zone
with its UTC offset at the moment of rendering (`at`, default now), and the cut-off is the
earliest weekday cut-off, the one that holds every day.

`jsonld_json` and `jsonld_script` serialise the result for a ``<script
type="application/ld+json">`` element, escaping ``<``, ``>`` and ``&`` so that no text from a
catalogue (``</script>``, ``<!--``) can end the element early.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from defenceline.businessdays import check_day
from defenceline.money import minor_unit, parse_money
from defenceline.policy import WEEKDAYS, ContactChannel, Policy, RateTier, Zone
from defenceline.quote import largest_parcel, shipping_cost

__all__ = [
    "AVAILABILITY",
    "ITEM_CONDITIONS",
    "jsonld_json",
    "jsonld_script",
    "merchant_return_policy",
    "offer_shipping_details",
    "product_jsonld",
    "shipping_service",
    "store_jsonld",
]

SCHEMA = "https://schema.org"
AVAILABILITY = frozenset(
    {
        "BackOrder",
        "Discontinued",
        "InStock",
        "InStoreOnly",
        "LimitedAvailability",
        "OnlineOnly",
        "OutOfStock",
        "PreOrder",
        "PreSale",
        "SoldOut",
    }
)
ITEM_CONDITIONS = frozenset({"NewCondition", "RefurbishedCondition", "UsedCondition"})
# Google accepts at most 50 countries in one return policy's applicableCountry.
_MAX_COUNTRIES = 50


# --- ids and small values ----------------------------------------------------------------------


def _ids(policy: Policy) -> tuple[str, str, str]:
    """Stable node ids for the store, its return policy and its shipping service, so product
    pages and the home page describe the same nodes."""
    base = policy.shop.url.rstrip("/")
    return f"{base}/#store", f"{base}/#return-policy", f"{base}/#shipping"


def _term(value: str, allowed: frozenset[str], field: str) -> str:
    """A schema.org enumeration member as its full URL; accepts ``InStock`` or the URL."""
    name = value.strip()
    for prefix in ("https://schema.org/", "http://schema.org/"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    if name not in allowed:
        raise ValueError(
            f"{field}: unknown value {value!r}; expected one of {', '.join(sorted(allowed))}"
        )
    return f"{SCHEMA}/{name}"


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount.quantize(minor_unit(currency)):f}"


def _amount(amount: Decimal, currency: str) -> dict[str, Any]:
    return {"@type": "MonetaryAmount", "value": _money(amount, currency), "currency": currency}


def _number(value: Decimal) -> int | float:
    """A weight as a JSON number (weights are not money: a float's shortest repr is exact
    enough, and `QuantitativeValue` bounds are numbers)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _days(minimum: int, maximum: int) -> dict[str, Any]:
    return {
        "@type": "QuantitativeValue",
        "minValue": minimum,
        "maxValue": maximum,
        "unitCode": "DAY",
    }


def _weekday_urls(days: Sequence[str]) -> list[str]:
    order = sorted(set(days), key=WEEKDAYS.index)
    return [f"{SCHEMA}/{day.capitalize()}" for day in order]


def _dispatch_days(policy: Policy) -> list[str]:
    return _weekday_urls(list(policy.warehouse.cutoff))


def _cutoff_time(policy: Policy, at: dt.datetime | None) -> str:
    """The earliest weekday cut-off with the warehouse's UTC offset at `at`, ISO 8601.

    Raises `DateOutOfRange` (a ValueError naming ``at``) outside the calendar's range, as
    the delivery estimate does, rather than an OverflowError from the zone conversion."""
    zone = policy.warehouse.zone
    if at is not None:
        check_day(at, "at")
    moment = dt.datetime.now(zone) if at is None else at.astimezone(zone)
    earliest = min(policy.warehouse.cutoff.values())
    local = dt.datetime.combine(moment.date(), earliest, tzinfo=zone)
    return local.isoformat(timespec="seconds").split("T", 1)[1]


def _region(country: str) -> dict[str, str]:
    return {"@type": "DefinedRegion", "addressCountry": country}


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def _zone_countries(policy: Policy, zone: Zone) -> list[str]:
    # A country listed in two zones belongs to the first (as `Policy.zone_for` decides).
    return [c for c in zone.countries if policy.zone_for(c) is zone]


# --- return policy -----------------------------------------------------------------------------


def merchant_return_policy(
    policy: Policy, *, organisation: bool = True, link: str | None = None
) -> dict[str, Any] | list[dict[str, Any]]:
    """The policy's return promise as `MerchantReturnPolicy` (a list of them when it covers
    more than 50 countries). `organisation=False` keeps to the offer-level subset of
    properties; `link` is the URL of the shop's return-policy page."""
    returns = policy.returns
    currency = policy.shop.currency
    _, policy_id, _ = _ids(policy)
    countries = policy.return_countries
    chunks = [countries[i : i + _MAX_COUNTRIES] for i in range(0, len(countries), _MAX_COUNTRIES)]
    nodes: list[dict[str, Any]] = []
    for number, chunk in enumerate(chunks, start=1):
        node: dict[str, Any] = {
            "@type": "MerchantReturnPolicy",
            "@id": policy_id if len(chunks) == 1 else f"{policy_id}-{number}",
            "applicableCountry": _one_or_many(chunk),
        }
        if organisation:
            node["returnPolicyCountry"] = policy.warehouse.country
        if returns.window_days == 0:
            node["returnPolicyCategory"] = f"{SCHEMA}/MerchantReturnNotPermitted"
        else:
            node["returnPolicyCategory"] = f"{SCHEMA}/MerchantReturnFiniteReturnWindow"
            node["merchantReturnDays"] = returns.window_days
            node["returnMethod"] = f"{SCHEMA}/ReturnByMail"
            if returns.is_free:
                node["returnFees"] = f"{SCHEMA}/FreeReturn"
            else:
                node["returnFees"] = f"{SCHEMA}/ReturnShippingFees"
                node["returnShippingFeesAmount"] = _amount(returns.cost, currency)
        if organisation and link:
            node["merchantReturnLink"] = link
        nodes.append(node)
    return nodes[0] if len(nodes) == 1 else nodes


# --- offer-level shipping ----------------------------------------------------------------------


def offer_shipping_details(
    policy: Policy,
    price: Decimal,
    *,
    weight_kg: Decimal | None = None,
    at: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """One `OfferShippingDetails` per destination country for an item priced `price` (as
    shown) weighing `weight_kg` (None: the zone's first, lowest tier is assumed)."""
    currency = policy.shop.currency
    warehouse = policy.warehouse
    cutoff = _cutoff_time(policy, at)
    weight = weight_kg if weight_kg is not None else Decimal(0)
    details: list[dict[str, Any]] = []
    for zone in policy.shipping.zones:
        cost = shipping_cost(zone, price, weight)
        for country in _zone_countries(policy, zone):
            node: dict[str, Any] = {
                "@type": "OfferShippingDetails",
                "shippingDestination": _region(country),
            }
            if cost is None:
                node["doesNotShip"] = True
            else:
                node["shippingRate"] = _amount(cost, currency)
                node["deliveryTime"] = {
                    "@type": "ShippingDeliveryTime",
                    "handlingTime": _days(warehouse.handling_days, warehouse.handling_days),
                    "transitTime": _days(zone.transit_days.min, zone.transit_days.max),
                    "cutoffTime": cutoff,
                    "businessDays": {
                        "@type": "OpeningHoursSpecification",
                        "dayOfWeek": _dispatch_days(policy),
                    },
                }
            details.append(node)
    return details


# --- organisation-level shipping ---------------------------------------------------------------


@dataclass(frozen=True)
class _Range:
    """Where one rate applies: weight in (w_lo, w_hi] kg, order value in [v_lo, v_hi)."""

    rate: Decimal
    w_lo: Decimal | None = None
    w_hi: Decimal | None = None
    v_lo: Decimal | None = None
    v_hi: Decimal | None = None
    at_most: bool = False  # the rate is an upper bound (`maxValue`), not exact


def _tier_ranges(tiers: Sequence[RateTier]) -> list[_Range] | None:
    """Each tier's rate with the region where it is the first tier that fits, or None when
    the table cannot be written so that Google's "lowest matching rate" picks the same rate.

    A tier bounded in one dimension only covers everything below its bound, so later tiers
    start where it ends. A tier bounded in both does not cut a box out of later ones; that
    overlap is harmless only when it is not dearer than the later tier.
    """
    ranges: list[_Range] = []
    for index, tier in enumerate(tiers):
        previous = tiers[:index]
        if any(t.max_weight is None and t.max_value is None for t in previous):
            break  # an unbounded tier before this one takes every cart
        w_lo = max(
            (t.max_weight for t in previous if t.max_weight is not None and t.max_value is None),
            default=None,
        )
        v_lo = max(
            (t.max_value for t in previous if t.max_value is not None and t.max_weight is None),
            default=None,
        )
        if w_lo is not None and tier.max_weight is not None and tier.max_weight <= w_lo:
            continue
        if v_lo is not None and tier.max_value is not None and tier.max_value <= v_lo:
            continue
        for t in previous:
            if t.max_weight is None or t.max_value is None:
                continue
            overlaps = (w_lo is None or t.max_weight > w_lo) and (
                v_lo is None or t.max_value > v_lo
            )
            if overlaps and t.rate > tier.rate:
                return None
        ranges.append(_Range(tier.rate, w_lo, tier.max_weight, v_lo, tier.max_value))
    return ranges


def _zone_ranges(zone: Zone) -> list[_Range]:
    """The zone's rates as non-conflicting ranges, the free-shipping threshold included."""
    threshold = zone.free_shipping_from
    if zone.rate is not None:
        paid = [_Range(zone.rate)]
    else:
        # when no exact table exists, say "at most" the dearest tier
        exact = _tier_ranges(zone.tiers)
        paid = exact or [_Range(max(t.rate for t in zone.tiers), at_most=True)]
    ranges: list[_Range] = []
    for item in paid:
        v_hi = item.v_hi
        if threshold is not None:
            v_hi = threshold if v_hi is None else min(v_hi, threshold)
        if item.v_lo is not None and v_hi is not None and item.v_lo >= v_hi:
            continue
        ranges.append(_Range(item.rate, item.w_lo, item.w_hi, item.v_lo, v_hi, item.at_most))
    if threshold is not None:
        max_weight, max_value = largest_parcel(zone) if zone.tiers else (None, None)
        if max_value is None or max_value > threshold:
            ranges.append(_Range(Decimal(0), None, max_weight, threshold, max_value))
    return ranges


def _condition(
    item: _Range, countries: list[str], transit: dict[str, Any], currency: str
) -> dict[str, Any]:
    unit = minor_unit(currency)
    node: dict[str, Any] = {
        "@type": "ShippingConditions",
        "shippingDestination": _one_or_many([_region(c) for c in countries]),
    }
    if item.v_lo is not None or item.v_hi is not None:
        value: dict[str, Any] = {"@type": "MonetaryAmount", "currency": currency}
        if item.v_lo is not None:
            value["minValue"] = _money(item.v_lo, currency)
        if item.v_hi is not None:
            value["maxValue"] = _money(item.v_hi - unit, currency)  # "below 50.00" = 49.99
        node["orderValue"] = value
    if item.w_lo is not None or item.w_hi is not None:
        weight: dict[str, Any] = {"@type": "QuantitativeValue", "unitCode": "KGM"}
        if item.w_lo is not None:
            weight["minValue"] = _number(item.w_lo)
        if item.w_hi is not None:
            weight["maxValue"] = _number(item.w_hi)
        node["weight"] = weight
    if item.at_most:
        node["shippingRate"] = {
            "@type": "MonetaryAmount",
            "maxValue": _money(item.rate, currency),
            "currency": currency,
        }
    else:
        node["shippingRate"] = _amount(item.rate, currency)
    node["transitTime"] = transit
    return node


def shipping_service(policy: Policy, *, at: dt.datetime | None = None) -> dict[str, Any]:
    """The shop's standard shipping as one `ShippingService` for `hasShippingService`."""
    currency = policy.shop.currency
    warehouse = policy.warehouse
    _, _, service_id = _ids(policy)
    conditions: list[dict[str, Any]] = []
    for zone in policy.shipping.zones:
        countries = _zone_countries(policy, zone)
        if not countries:
            continue
        transit = {
            "@type": "ServicePeriod",
            "duration": _days(zone.transit_days.min, zone.transit_days.max),
            "businessDays": _weekday_urls(zone.delivery_weekdays),
        }
        for item in _zone_ranges(zone):
            conditions.append(_condition(item, countries, transit, currency))
    return {
        "@type": "ShippingService",
        "@id": service_id,
        "fulfillmentType": f"{SCHEMA}/FulfillmentTypeDelivery",
        "handlingTime": {
            "@type": "ServicePeriod",
            "cutoffTime": _cutoff_time(policy, at),
            "businessDays": _dispatch_days(policy),
            "duration": _days(warehouse.handling_days, warehouse.handling_days),
        },
        "shippingConditions": conditions,
    }


# --- the documents -----------------------------------------------------------------------------


def product_jsonld(
    policy: Policy,
    *,
    sku: str,
    name: str,
    price: Decimal | str | int,
    availability: str,
    url: str,
    image: str | Sequence[str] | None = None,
    description: str | None = None,
    brand: str | None = None,
    currency: str | None = None,
    weight_kg: Decimal | None = None,
    gtin: str | None = None,
    mpn: str | None = None,
    item_condition: str = "NewCondition",
    return_policy_link: str | None = None,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """A `Product` with its `Offer`, shipping details per destination and return policy.

    `price` is the unit price as the shop shows it (`shop.prices_include_vat`); `availability`
    a schema.org `ItemAvailability` (``"InStock"`` or its URL — the plugin's
    `StockState.schema_org`); `currency` defaults to the shop's and must equal it, because the
    shipping rates are in that currency. Raises ValueError naming the argument for bad input.
    """
    shop_currency = policy.shop.currency
    if currency is not None and currency != shop_currency:
        raise ValueError(f"currency: the policy's amounts are in {shop_currency}; got {currency!r}")
    try:
        amount = parse_money(price)
    except ValueError as error:
        raise ValueError(f"price: {error}") from None
    if amount < 0:
        raise ValueError(f"price: expected 0 or more, got {amount}")
    if not sku.strip() or any(ch.isspace() for ch in sku):
        raise ValueError(f"sku: expected an identifier without spaces, got {sku!r}")
    if not name.strip():
        raise ValueError("name: expected the product's name")
    if weight_kg is not None and weight_kg < 0:
        raise ValueError(f"weight_kg: expected 0 or more, got {weight_kg}")
    store_id, _, _ = _ids(policy)
    offer: dict[str, Any] = {
        "@type": "Offer",
        "url": url,
        "price": _money(amount, shop_currency),
        "priceCurrency": shop_currency,
        "availability": _term(availability, AVAILABILITY, "availability"),
        "itemCondition": _term(item_condition, ITEM_CONDITIONS, "item_condition"),
        "seller": {"@type": "OnlineStore", "@id": store_id, "name": policy.shop.name},
        "shippingDetails": offer_shipping_details(policy, amount, weight_kg=weight_kg, at=at),
        "hasMerchantReturnPolicy": merchant_return_policy(
            policy, organisation=False, link=return_policy_link
        ),
    }
    if not policy.shop.prices_include_vat or policy.vat.at_checkout:
        # The price is before tax (or the checkout computes the tax, as US sales tax): say so,
        # so no one reads it as the final price. Prices with VAT included stay as they were.
        offer["priceSpecification"] = {
            "@type": "UnitPriceSpecification",
            "price": offer["price"],
            "priceCurrency": shop_currency,
            "valueAddedTaxIncluded": False,
        }
    product: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Product",
        "sku": sku,
        "name": name,
    }
    if image:
        product["image"] = [image] if isinstance(image, str) else list(image)
    if description:
        product["description"] = description
    if brand:
        product["brand"] = {"@type": "Brand", "name": brand}
    if gtin:
        product["gtin"] = gtin
    if mpn:
        product["mpn"] = mpn
    if weight_kg is not None:
        product["weight"] = {
            "@type": "QuantitativeValue",
            "value": _number(weight_kg),
            "unitCode": "KGM",
        }
    product["offers"] = offer
    return product


def store_jsonld(
    policy: Policy,
    *,
    logo: str | None = None,
    description: str | None = None,
    return_policy_link: str | None = None,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The shop as an `OnlineStore` with its contact points, return policy and shipping
    service: for the home page, the help centre and the policy pages."""
    store_id, _, _ = _ids(policy)
    store: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "OnlineStore",
        "@id": store_id,
        "name": policy.shop.name,
        "url": policy.shop.url,
    }
    if logo:
        store["logo"] = logo
    if description:
        store["description"] = description
    contacts = [_contact_point(policy, channel) for channel in policy.contact]
    if contacts:
        store["contactPoint"] = contacts
    store["hasMerchantReturnPolicy"] = merchant_return_policy(
        policy, organisation=True, link=return_policy_link
    )
    store["hasShippingService"] = shipping_service(policy, at=at)
    return store


def _contact_point(policy: Policy, channel: ContactChannel) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "ContactPoint", "contactType": "customer service"}
    if channel.kind == "email":
        node["email"] = channel.value
    elif channel.kind == "phone":
        node["telephone"] = channel.value
    else:
        node["url"] = channel.value
    node["availableLanguage"] = [locale.replace("_", "-") for locale in policy.shop.locales]
    if channel.hours:
        node["hoursAvailable"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"{SCHEMA}/{day.capitalize()}",
                "opens": f"{hours.opens:%H:%M}",
                "closes": f"{hours.closes:%H:%M}",
            }
            for day, hours in sorted(channel.hours.items(), key=lambda kv: WEEKDAYS.index(kv[0]))
        ]
    return node


# --- serialising -------------------------------------------------------------------------------

_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def jsonld_json(data: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> str:
    """`data` as compact JSON that is safe inside ``<script type="application/ld+json">``:
    ``<``, ``>`` and ``&`` are written as JSON unicode escapes, so ``</script>`` or ``<!--``
    in a product name cannot end or comment out the element (the JSON value is unchanged)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_ESCAPES)


def jsonld_script(data: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Markup:
    """The whole ``<script type="application/ld+json">`` element, marked safe for Jinja."""
    return Markup(f'<script type="application/ld+json">{jsonld_json(data)}</script>')
