"""Taxes computed at checkout (US sales tax and similar): `vat.at_checkout` in store.toml.

The quote states no tax and a total before tax, structured data says the price excludes tax,
and a policy that claims prices include a tax the checkout has yet to compute is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from defenceline.policyfile import PolicyError, parse_policy
from defenceline.quote import CartLine, quote_cart
from defenceline.structured_data import product_jsonld

US_SHOP = """
[shop]
name = "Gearhaus"
url = "https://gearhaus.example"
country = "US"
default_locale = "en"
currency = "USD"
prices_include_vat = false

[vat]
at_checkout = true

[warehouse]
country = "US"
timezone = "America/Chicago"
handling_days = 1

[warehouse.cutoff]
monday = "14:00"
tuesday = "14:00"
wednesday = "14:00"
thursday = "14:00"
friday = "14:00"

[[shipping.zones]]
name = "Contiguous US"
countries = ["US"]
carrier = "UPS"
delivery_weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
transit_days = { min = 2, max = 5 }
rate = "7.50"
free_shipping_from = "99.00"

[returns]
window_days = 30
cost = "free"
method = "Use the prepaid label in the box."

[[payment_methods]]
name = "Card"

[[contact]]
kind = "email"
value = "help@gearhaus.example"
response_hours = 24
"""

MONDAY = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)


def test_a_us_policy_needs_no_vat_rates_when_the_checkout_computes_tax() -> None:
    policy = parse_policy(US_SHOP)
    assert policy.vat.at_checkout is True


def test_the_quote_states_no_tax_and_a_total_before_tax() -> None:
    policy = parse_policy(US_SHOP)
    quote = quote_cart(policy, [CartLine("TENT-2", 2, Decimal("40.00"))], "US", at=MONDAY)
    assert quote.tax_at_checkout is True
    assert quote.vat == () and quote.vat_total == 0
    assert quote.total == Decimal("87.50")  # 80.00 + 7.50 shipping, no tax row
    data = quote.to_dict()
    assert data["tax_at_checkout"] is True and data["vat"] == []


def test_an_eu_quote_still_states_vat_and_says_nothing_of_checkout_tax(
    demo_policy_text: str,
) -> None:
    quote = quote_cart(
        parse_policy(demo_policy_text), [CartLine("LAMP", 1, Decimal("24.20"))], "NL", at=MONDAY
    )
    assert quote.tax_at_checkout is False
    assert [row.rate for row in quote.vat] == [Decimal(21)]


def test_prices_cannot_include_a_tax_the_checkout_has_yet_to_compute() -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(US_SHOP.replace("prices_include_vat = false", "prices_include_vat = true"))
    assert "shop.prices_include_vat" in str(caught.value)
    assert "expected prices_include_vat = false" in str(caught.value)


def offer(policy_text: str) -> dict[str, Any]:
    data = product_jsonld(
        parse_policy(policy_text),
        sku="TENT-2",
        name="Two-person tent",
        price=Decimal("40.00"),
        availability="InStock",
        url="https://shop.example/tent",
        at=MONDAY,
    )
    return dict(data["offers"])


def test_structured_data_says_the_price_excludes_tax() -> None:
    data = offer(US_SHOP)
    specification = data["priceSpecification"]
    assert specification["valueAddedTaxIncluded"] is False
    assert specification["price"] == data["price"]


def test_structured_data_of_a_shop_with_vat_included_is_unchanged(demo_policy_text: str) -> None:
    assert "priceSpecification" not in offer(demo_policy_text)
