"""Properties of the cart quote that must hold for every cart, checked by hypothesis against
the demo policy and policies derived from it (prices without VAT, a percentage surcharge,
destination VAT rates, rates by order value)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from defenceline import Policy, parse_policy
from defenceline.quote import CartLine, Quote, QuoteStatus, quote_cart

AT = dt.datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")

VARIANTS: dict[str, list[tuple[str, str]]] = {
    "demo": [],
    "excl_vat": [("prices_include_vat = true", "prices_include_vat = false")],
    "percent_surcharge": [
        ('name = "PayPal"', 'name = "PayPal"\nsurcharge_percent = "2.9"'),
        ('surcharge = "1.50"', 'surcharge = "0.25"\nsurcharge_percent = "1.75"'),
    ],
    "destination_vat": [
        ("[warehouse]", '[vat.countries.DE]\nstandard = "19"\nreduced = "7"\n\n[warehouse]'),
        ("[warehouse]", '[vat.countries.BE]\nstandard = "21"\nreduced = "6"\n\n[warehouse]'),
    ],
    "value_tiers_excl_vat": [
        ("prices_include_vat = true", "prices_include_vat = false"),
        (
            'rate = "4.95"\nfree_shipping_from = "50.00"\n',
            'free_shipping_from = "50.00"\n\n[[shipping.zones.tiers]]\nmax_value = "20.00"\n'
            'rate = "6.95"\n\n[[shipping.zones.tiers]]\nrate = "3.95"\n',
        ),
    ],
}


@pytest.fixture(scope="module")
def policies(demo_policy_text: str) -> dict[str, Policy]:
    built = {}
    for name, replacements in VARIANTS.items():
        text = demo_policy_text
        for old, new in replacements:
            assert old in text
            text = text.replace(old, new, 1)
        built[name] = parse_policy(text, f"{name}.toml")
    return built


cents = st.integers(0, 25_000).map(lambda c: Decimal(c).scaleb(-2))
# Shops that show prices without VAT often keep net unit prices to four decimals.
fine_prices = st.integers(0, 2_500_000).map(lambda c: Decimal(c).scaleb(-4))
grams = st.integers(0, 4_000).map(lambda g: Decimal(g).scaleb(-3))

lines = st.builds(
    CartLine,
    sku=st.integers(0, 10**6).map(lambda n: f"SKU-{n}"),
    quantity=st.integers(1, 12),
    unit_price=st.one_of(cents, fine_prices),
    vat_class=st.sampled_from(["standard", "standard", "reduced", "zero"]),
    weight_kg=grams,
    in_stock=st.booleans(),
    restock_date=st.one_of(st.none(), st.dates(dt.date(2026, 11, 1), dt.date(2027, 3, 1))),
)
carts = st.lists(lines, min_size=1, max_size=20, unique_by=lambda line: line.sku)
countries = st.sampled_from(["NL", "BE", "DE"])
methods = st.sampled_from([None, "iDEAL", "PayPal", "Creditcard"])


def quote(policy: Policy, cart: list[CartLine], country: str, method: str | None) -> Quote:
    return quote_cart(policy, cart, country, payment_method=method, at=AT)


@pytest.mark.parametrize("variant", list(VARIANTS))
@settings(max_examples=120, deadline=None)
@given(cart=carts, country=countries, method=methods)
def test_total_is_the_sum_of_its_parts_to_the_cent(
    policies: dict[str, Policy],
    variant: str,
    cart: list[CartLine],
    country: str,
    method: str | None,
) -> None:
    policy = policies[variant]
    result = quote(policy, cart, country, method)
    assert result.status is QuoteStatus.OK
    assert result.shipping is not None and result.payment_surcharge is not None
    assert result.total is not None
    charged = result.subtotal + result.shipping + result.payment_surcharge
    if policy.shop.prices_include_vat:
        assert result.total == charged
        assert sum(row.gross for row in result.vat) == charged
    else:
        assert result.total == charged + result.vat_total
        assert sum(row.net for row in result.vat) == charged
    assert result.subtotal == sum(line.line_total for line in result.lines)
    assert result.vat_total == sum(row.vat for row in result.vat)
    data = result.to_dict()
    for key in ("subtotal", "shipping", "payment_surcharge", "vat_total", "total"):
        assert re.fullmatch(r"\d+\.\d\d", data[key]), (key, data[key])
    for row in result.vat:
        assert row.net + row.vat == row.gross
        base = row.gross if policy.shop.prices_include_vat else row.net
        exact = base * row.rate / (100 + row.rate if policy.shop.prices_include_vat else 100)
        assert abs(row.vat - exact) <= HALF_CENT
    for given_line, priced in zip(cart, result.lines, strict=True):
        assert abs(priced.line_total - given_line.unit_price * given_line.quantity) <= HALF_CENT


@pytest.mark.parametrize("variant", ["demo", "excl_vat", "destination_vat"])
@settings(max_examples=120, deadline=None)
@given(cart=carts, country=countries, method=methods)
def test_shipping_vat_stays_within_the_cart_rates(
    policies: dict[str, Policy],
    variant: str,
    cart: list[CartLine],
    country: str,
    method: str | None,
) -> None:
    """Shipping and surcharge are taxed like the goods: their VAT lies between what the
    lowest and the highest rate in the cart would charge on them."""
    policy = policies[variant]
    result = quote(policy, cart, country, method)
    assert result.shipping is not None and result.payment_surcharge is not None
    extras = result.shipping + result.payment_surcharge
    rates = {line.vat_rate for line in result.lines}
    include = policy.shop.prices_include_vat

    def vat_at(amount: Decimal, rate: Decimal) -> Decimal:
        return amount * rate / (100 + rate) if include else amount * rate / 100

    goods_vat = sum((vat_at(line.line_total, line.vat_rate) for line in result.lines), Decimal(0))
    extras_vat = result.vat_total - goods_vat
    slack = HALF_CENT * len(result.vat)
    if result.subtotal == 0:  # nothing to weigh by: the standard rate
        rates = {policy.vat.rate("standard", country)}
    assert vat_at(extras, min(rates)) - slack <= extras_vat <= vat_at(extras, max(rates)) + slack


@pytest.mark.parametrize("variant", ["demo", "excl_vat", "value_tiers_excl_vat"])
@settings(max_examples=150, deadline=None)
@given(cart=carts, country=countries, method=methods)
def test_reaching_the_threshold_makes_shipping_free(
    policies: dict[str, Policy],
    variant: str,
    cart: list[CartLine],
    country: str,
    method: str | None,
) -> None:
    policy = policies[variant]
    result = quote(policy, cart, country, method)
    threshold = result.free_shipping_threshold
    assert threshold is not None
    assert result.free_shipping_remaining == max(Decimal(0), threshold - result.subtotal)
    assert (result.shipping == 0) == (result.subtotal >= threshold)
    if result.free_shipping_remaining:
        # add exactly the amount the widget says is missing: shipping becomes free
        top_up = CartLine("TOP-UP", 1, result.free_shipping_remaining, weight_kg=Decimal(0))
        crossed = quote(policy, [*cart, top_up], country, method)
        assert crossed.shipping == 0
        assert crossed.free_shipping_remaining == 0
        assert crossed.subtotal == threshold
        # and one cent less is not enough
        if result.free_shipping_remaining > CENT:
            short = CartLine("TOP-UP", 1, result.free_shipping_remaining - CENT, weight_kg=0)  # type: ignore[arg-type]
            assert quote(policy, [*cart, short], country, method).shipping != 0


@pytest.mark.parametrize("variant", list(VARIANTS))
@settings(max_examples=100, deadline=None)
@given(
    cart=carts,
    country=st.sampled_from(["NL", "BE", "DE", "US"]),
    method=methods,
    data=st.data(),
)
def test_result_does_not_depend_on_line_order(
    policies: dict[str, Policy],
    variant: str,
    cart: list[CartLine],
    country: str,
    method: str | None,
    data: st.DataObject,
) -> None:
    policy = policies[variant]
    shuffled = data.draw(st.permutations(cart))
    first = quote(policy, cart, country, method).to_dict()
    second = quote(policy, shuffled, country, method).to_dict()
    assert [line["sku"] for line in second["lines"]] == [line.sku for line in shuffled]
    first_lines = sorted(first.pop("lines"), key=lambda line: line["sku"])
    second_lines = sorted(second.pop("lines"), key=lambda line: line["sku"])
    assert first_lines == second_lines
    assert first == second
