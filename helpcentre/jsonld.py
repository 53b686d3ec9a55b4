"""Shop-level structured data (schema.org JSON-LD) from the store policy.

Search engines read the same promise the shop shows: an `OnlineStore` with its return policy
(`MerchantReturnPolicy`), its shipping (`ShippingService` per zone, with rates, free-shipping
thresholds, transit and handling times and the cut-off) and its customer-service contact
points. No FAQPage markup: search engines no longer show FAQ rich results.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from defenceline.policy import WEEKDAYS, ContactChannel, Policy, Zone

__all__ = ["online_store"]

_SCHEMA = "https://schema.org/"


def _money(amount: Decimal, currency: str) -> dict[str, Any]:
    return {"@type": "MonetaryAmount", "value": str(amount), "currency": currency}


def _day(name: str) -> str:
    return _SCHEMA + name.capitalize()


def _handling(policy: Policy) -> dict[str, Any]:
    warehouse = policy.warehouse
    cutoffs = Counter(warehouse.cutoff.values())
    usual = cutoffs.most_common(1)[0][0]
    return {
        "@type": "ServicePeriod",
        "duration": {
            "@type": "QuantitativeValue",
            "minValue": warehouse.handling_days,
            "maxValue": warehouse.handling_days,
            "unitCode": "DAY",
        },
        "businessDays": [_day(d) for d in WEEKDAYS if d in warehouse.cutoff],
        "cutoffTime": usual.strftime("%H:%M:%S"),
    }


def _conditions(zone: Zone, currency: str) -> list[dict[str, Any]]:
    destination = [{"@type": "DefinedRegion", "addressCountry": c} for c in zone.countries]
    transit = {
        "@type": "ServicePeriod",
        "duration": {
            "@type": "QuantitativeValue",
            "minValue": zone.transit_days.min,
            "maxValue": zone.transit_days.max,
            "unitCode": "DAY",
        },
        "businessDays": [_day(d) for d in zone.delivery_weekdays],
    }
    base = {
        "@type": "ShippingConditions",
        "shippingDestination": destination,
        "transitTime": transit,
    }
    conditions: list[dict[str, Any]] = []
    if zone.free_shipping_from is not None:
        conditions.append(
            {
                **base,
                "orderValue": {
                    "@type": "MonetaryAmount",
                    "minValue": str(zone.free_shipping_from),
                    "currency": currency,
                },
                "shippingRate": _money(Decimal(0), currency),
            }
        )
    if zone.rate is not None:
        conditions.append({**base, "shippingRate": _money(zone.rate, currency)})
    for tier in zone.tiers:
        condition: dict[str, Any] = {**base, "shippingRate": _money(tier.rate, currency)}
        if tier.max_weight is not None:
            condition["weight"] = {
                "@type": "QuantitativeValue",
                "maxValue": str(tier.max_weight),
                "unitCode": "KGM",
            }
        if tier.max_value is not None:
            condition["orderValue"] = {
                "@type": "MonetaryAmount",
                "maxValue": str(tier.max_value),
                "currency": currency,
            }
        conditions.append(condition)
    return conditions


def _return_policy(policy: Policy) -> dict[str, Any]:
    returns = policy.returns
    data: dict[str, Any] = {
        "@type": "MerchantReturnPolicy",
        "applicableCountry": policy.return_countries,
        "returnPolicyCategory": _SCHEMA
        + (
            "MerchantReturnFiniteReturnWindow"
            if returns.window_days
            else "MerchantReturnNotPermitted"
        ),
        "merchantReturnDays": returns.window_days,
        "returnMethod": _SCHEMA + "ReturnByMail",
    }
    if returns.is_free:
        data["returnFees"] = _SCHEMA + "FreeReturn"
    else:
        data["returnFees"] = _SCHEMA + "ReturnShippingFees"
        data["returnShippingFeesAmount"] = _money(returns.cost, policy.shop.currency)
    return data


def _contact_point(channel: ContactChannel) -> dict[str, Any]:
    point: dict[str, Any] = {"@type": "ContactPoint", "contactType": "customer service"}
    if channel.kind == "email":
        point["email"] = channel.value
    elif channel.kind == "phone":
        point["telephone"] = channel.value
    else:
        point["url"] = channel.value
    if channel.hours:
        point["hoursAvailable"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": _day(day),
                "opens": hours.opens.strftime("%H:%M"),
                "closes": hours.closes.strftime("%H:%M"),
            }
            for day, hours in sorted(channel.hours.items(), key=lambda i: WEEKDAYS.index(i[0]))
        ]
    return point


def online_store(policy: Policy, today: dt.date | None = None) -> dict[str, Any]:
    """The shop as a schema.org `OnlineStore`, ready for ``json.dumps``."""
    currency = policy.shop.currency
    services = []
    for zone in policy.shipping.zones:
        services.append(
            {
                "@type": "ShippingService",
                "name": f"{zone.name} ({zone.carrier})",
                "handlingTime": _handling(policy),
                "shippingConditions": _conditions(zone, currency),
            }
        )
    return {
        "@context": "https://schema.org",
        "@type": "OnlineStore",
        "name": policy.shop.name,
        "url": policy.shop.url,
        "currenciesAccepted": currency,
        "paymentAccepted": ", ".join(m.name for m in policy.payment_methods),
        "hasMerchantReturnPolicy": _return_policy(policy),
        "hasShippingService": services,
        "contactPoint": [_contact_point(c) for c in policy.contact],
    }
