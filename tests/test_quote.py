"""The cart quote (`defenceline.quote`): worked examples with the demo policy and policies
derived from it, then hypothesis properties that must hold for every cart."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from defenceline import EstimateStatus, Policy, parse_policy
from defenceline.quote import (
    CartLine,
    Quote,
    QuoteInputError,
    QuoteStatus,
    quote_cart,
    shipping_cost,
    zone_rate,
)

AMS = ZoneInfo("Europe/Amsterdam")
# Tuesday 24 November 2026, 15:00 in Amsterdam: before the 16:00 cut-off.
TUESDAY_3PM = dt.datetime(2026, 11, 24, 15, 0, tzinfo=AMS)
D = Decimal


def derive(text: str, *replacements: tuple[str, str]) -> Policy:
    """The demo policy with each (old, new) replaced once; fails loudly if `old` is absent."""
    for old, new in replacements:
        assert old in text, f"{old!r} not in the demo policy"
        text = text.replace(old, new, 1)
    return parse_policy(text, "derived.toml")


def lamp(quantity: int = 1, **changes: object) -> CartLine:
    fields: dict[str, object] = {
        "sku": "LAMP-1",
        "quantity": quantity,
        "unit_price": D("34.95"),
        "weight_kg": D("0.15"),
        "name": "Front lamp",
    }
    fields.update(changes)
    return CartLine(**fields)  # type: ignore[arg-type]


def line(sku: str, price: str, quantity: int = 1, **changes: object) -> CartLine:
    fields: dict[str, object] = {
        "sku": sku,
        "quantity": quantity,
        "unit_price": D(price),
        "weight_kg": D("0.5"),
    }
    fields.update(changes)
    return CartLine(**fields)  # type: ignore[arg-type]


def quote(policy: Policy, lines: list[CartLine], country: str = "NL", **kwargs: Any) -> Quote:
    return quote_cart(policy, lines, country, at=TUESDAY_3PM, **kwargs)


# --- derived policies --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def excl_vat_policy(demo_policy_text: str) -> Policy:
    return derive(demo_policy_text, ("prices_include_vat = true", "prices_include_vat = false"))


@pytest.fixture(scope="module")
def percent_policy(demo_policy_text: str) -> Policy:
    return derive(
        demo_policy_text, ('name = "PayPal"', 'name = "PayPal"\nsurcharge_percent = "2.9"')
    )


@pytest.fixture(scope="module")
def value_tier_policy(demo_policy_text: str) -> Policy:
    """The Dutch zone priced by order value instead of a flat rate."""
    tiers = (
        'free_shipping_from = "50.00"\n\n'
        '[[shipping.zones.tiers]]\nmax_value = "20.00"\nrate = "6.95"\n\n'
        '[[shipping.zones.tiers]]\nrate = "3.95"\n'
    )
    return derive(
        demo_policy_text,
        ('rate = "4.95"\nfree_shipping_from = "50.00"\n', tiers),
    )


@pytest.fixture(scope="module")
def no_threshold_policy(demo_policy_text: str) -> Policy:
    return derive(demo_policy_text, ('free_shipping_from = "75.00"\n', ""))


@pytest.fixture(scope="module")
def weight_limit_policy(demo_policy_text: str) -> Policy:
    """Belgium and Germany with no tier above 10 kg: heavier carts cannot be sent there."""
    return derive(demo_policy_text, ('[[shipping.zones.tiers]]\nrate = "14.95"\n', ""))


@pytest.fixture(scope="module")
def destination_vat_policy(demo_policy_text: str) -> Policy:
    """The shop charges German VAT on sales to Germany (one-stop shop)."""
    return derive(
        demo_policy_text,
        ("[warehouse]", '[vat.countries.DE]\nstandard = "19"\nreduced = "7"\n\n[warehouse]'),
    )


@pytest.fixture(scope="module")
def yen_policy(demo_policy_text: str) -> Policy:
    """A shop in a currency without minor units."""
    return derive(
        demo_policy_text,
        ('currency = "EUR"', 'currency = "JPY"'),
        ('rate = "4.95"', 'rate = "500"'),
        ('free_shipping_from = "50.00"', 'free_shipping_from = "5000"'),
        ('rate = "2.95"', 'rate = "300"'),
        ('rate = "6.95"', 'rate = "700"'),
        ('rate = "9.95"', 'rate = "1000"'),
        ('rate = "14.95"', 'rate = "1500"'),
        ('free_shipping_from = "75.00"', 'free_shipping_from = "7500"'),
        ('surcharge = "1.50"', 'surcharge = "150"'),
    )


# --- amounts -----------------------------------------------------------------------------------


def test_cart_below_threshold_pays_the_flat_rate_and_shows_what_is_left(
    demo_policy: Policy,
) -> None:
    result = quote(demo_policy, [lamp()])
    assert result.status is QuoteStatus.OK
    assert result.subtotal == D("34.95")
    assert result.shipping == D("4.95")
    assert result.payment_surcharge == D("0.00")
    assert result.total == D("39.90")
    assert result.free_shipping_threshold == D("50.00")
    assert result.free_shipping_remaining == D("15.05")
    # 21% VAT extracted from everything paid: 39.90 × 21/121 = 6.9248 -> 6.92
    assert [(r.rate, r.net, r.vat, r.gross) for r in result.vat] == [
        (D(21), D("32.98"), D("6.92"), D("39.90"))
    ]
    assert result.zone == "Nederland" and result.carrier == "PostNL"


def test_line_total_is_unit_price_times_quantity(demo_policy: Policy) -> None:
    result = quote(demo_policy, [lamp(3)])
    assert result.lines[0].line_total == D("104.85")
    assert result.subtotal == D("104.85")
    assert result.lines[0].name == "Front lamp"


def test_cart_exactly_at_threshold_ships_free(demo_policy: Policy) -> None:
    result = quote(demo_policy, [line("A", "30.00"), line("B", "20.00")])
    assert result.shipping == D("0.00")
    assert result.shipping_is_free
    assert result.free_shipping_remaining == D("0.00")
    assert result.total == D("50.00")


def test_cart_one_cent_below_threshold_pays_shipping(demo_policy: Policy) -> None:
    result = quote(demo_policy, [line("A", "49.99")])
    assert result.shipping == D("4.95")
    assert result.free_shipping_remaining == D("0.01")


@pytest.mark.parametrize(
    ("weight", "rate"),
    [("0.10", "6.95"), ("2", "6.95"), ("2.01", "9.95"), ("10", "9.95"), ("10.5", "14.95")],
)
def test_weight_tiers_pick_the_first_tier_that_fits(
    demo_policy: Policy, weight: str, rate: str
) -> None:
    result = quote(demo_policy, [line("A", "10.00", weight_kg=D(weight))], "BE")
    assert result.shipping == D(rate)
    assert result.weight_kg == D(weight)


def test_weight_counts_every_unit(demo_policy: Policy) -> None:
    # 3 × 0.8 kg = 2.4 kg: over the 2 kg tier although one unit is under it
    result = quote(demo_policy, [line("A", "10.00", 3, weight_kg=D("0.8"))], "DE")
    assert result.weight_kg == D("2.4")
    assert result.shipping == D("9.95")


def test_value_tiers_apply_strictly_below_max_value(value_tier_policy: Policy) -> None:
    assert quote(value_tier_policy, [line("A", "19.99")]).shipping == D("6.95")
    assert quote(value_tier_policy, [line("A", "20.00")]).shipping == D("3.95")
    assert quote(value_tier_policy, [line("A", "50.00")]).shipping == D("0.00")


def test_cart_too_heavy_for_every_tier_cannot_be_shipped(weight_limit_policy: Policy) -> None:
    result = quote(weight_limit_policy, [line("A", "80.00", weight_kg=D("12"))], "DE")
    assert result.status is QuoteStatus.UNSHIPPABLE
    assert not result.ok
    # past the 75.00 threshold, yet free shipping cannot carry what the carrier refuses
    assert result.shipping is None
    assert result.total is None
    assert result.payment_surcharge is None
    assert result.free_shipping_remaining is None
    assert result.limit is not None
    assert result.limit.weight_kg == D("12")
    assert result.limit.max_weight_kg == D("10")
    assert result.limit.max_value is None
    assert result.to_dict()["limit"] == {
        "weight_kg": "12",
        "value": "80.00",
        "max_weight_kg": "10",
        "max_value": None,
    }
    assert result.subtotal == D("80.00")  # the goods are still priced


def test_destination_outside_every_zone_is_a_result_not_an_error(demo_policy: Policy) -> None:
    result = quote(demo_policy, [lamp()], "US", payment_method="PayPal")
    assert result.status is QuoteStatus.NOT_SHIPPED
    assert result.shipping is None and result.total is None and result.zone is None
    assert result.delivery.status is EstimateStatus.NOT_SHIPPED
    assert result.subtotal == D("34.95")
    assert result.payment_method == "PayPal"
    assert result.to_dict()["status"] == "not_shipped"


def test_zone_without_threshold_has_no_remaining_amount(no_threshold_policy: Policy) -> None:
    result = quote(no_threshold_policy, [line("A", "500.00")], "BE")
    assert result.free_shipping_threshold is None
    assert result.free_shipping_remaining is None
    assert result.shipping == D("6.95")


# --- VAT ---------------------------------------------------------------------------------------


def test_prices_excluding_vat_get_vat_added_on_goods_and_shipping(
    excl_vat_policy: Policy,
) -> None:
    result = quote(excl_vat_policy, [lamp()])
    assert result.prices_include_vat is False
    # net 34.95 + 4.95 = 39.90; 21% of it = 8.379 -> 8.38
    assert [(r.rate, r.net, r.vat, r.gross) for r in result.vat] == [
        (D(21), D("39.90"), D("8.38"), D("48.28"))
    ]
    assert result.total == D("48.28")


def test_shipping_vat_is_split_in_proportion_to_the_goods(demo_policy: Policy) -> None:
    lines = [line("A", "20.00"), line("BOOK", "10.00", vat_class="reduced")]
    result = quote(demo_policy, lines)
    rows = {r.rate: r for r in result.vat}
    # 4.95 shipping: two thirds with the 21% goods, one third with the 9% goods
    assert rows[D(21)].gross == D("23.30")
    assert rows[D(9)].gross == D("11.65")
    assert rows[D(21)].vat == D("4.04")  # 23.30 × 21/121 = 4.0438
    assert rows[D(9)].vat == D("0.96")  # 11.65 × 9/109 = 0.9619
    assert result.vat_total == D("5.00")
    assert [r.rate for r in result.vat] == [D(21), D(9)]


def test_split_remainder_cent_goes_to_the_largest_remainder(demo_policy: Policy) -> None:
    # 4.95 × 7/10 = 3.465 and 4.95 × 3/10 = 1.485: a tie, the cent goes to the higher rate
    lines = [line("A", "7.00"), line("BOOK", "3.00", vat_class="reduced")]
    rows = {r.rate: r for r in quote(demo_policy, lines).vat}
    assert rows[D(21)].gross - D("7.00") == D("3.47")
    assert rows[D(9)].gross - D("3.00") == D("1.48")


def test_zero_rated_goods_carry_their_share_of_shipping_untaxed(demo_policy: Policy) -> None:
    lines = [line("A", "10.00"), line("GIFT", "10.00", vat_class="zero")]
    rows = {r.rate: r for r in quote(demo_policy, lines).vat}
    # 4.95 / 2 = 2.475 each: the tied cent goes to the higher rate
    assert rows[D(21)].gross == D("12.48")
    assert rows[D(0)].gross == D("12.47")
    assert rows[D(0)].vat == D("0.00")


def test_free_items_put_shipping_vat_on_the_standard_rate(demo_policy: Policy) -> None:
    result = quote(demo_policy, [line("SAMPLE", "0.00", vat_class="reduced")])
    rows = {r.rate: r for r in result.vat}
    assert rows[D(21)].gross == D("4.95")
    assert rows[D(9)].gross == D("0.00")


def test_destination_vat_rates_apply_when_the_policy_has_them(
    destination_vat_policy: Policy,
) -> None:
    germany = quote(destination_vat_policy, [lamp()], "DE")
    assert germany.lines[0].vat_rate == D(19)
    assert [r.rate for r in germany.vat] == [D(19)]
    # 34.95 + 6.95 = 41.90 × 19/119 = 6.6899 -> 6.69
    assert germany.vat_total == D("6.69")
    belgium = quote(destination_vat_policy, [lamp()], "BE")
    assert belgium.lines[0].vat_rate == D(21)  # no Belgian rates: the shop's own


def test_currency_without_minor_unit_rounds_to_whole_units(yen_policy: Policy) -> None:
    result = quote(yen_policy, [line("A", "1234", 3), line("B", "999", vat_class="reduced")])
    assert result.currency == "JPY"
    assert result.subtotal == D("4701")
    assert result.shipping == D("500")
    for row in result.vat:
        assert row.vat == row.vat.to_integral_value()
    assert result.to_dict()["total"] == "5201"


# --- payment -----------------------------------------------------------------------------------


def test_fixed_surcharge_is_added_and_taxed_with_the_goods(demo_policy: Policy) -> None:
    result = quote(demo_policy, [lamp()], payment_method="Creditcard")
    assert result.payment_surcharge == D("1.50")
    assert result.total == D("41.40")
    assert result.vat[0].gross == D("41.40")


def test_percentage_surcharge_applies_to_goods_plus_shipping(percent_policy: Policy) -> None:
    result = quote(percent_policy, [lamp()], payment_method="paypal")
    # 2.9% of (34.95 + 4.95) = 1.1571 -> 1.16
    assert result.payment_surcharge == D("1.16")
    assert result.total == D("41.06")
    assert result.payment_method == "PayPal"


def test_no_payment_method_means_no_surcharge_yet(demo_policy: Policy) -> None:
    result = quote(demo_policy, [lamp()])
    assert result.payment_method is None
    assert result.to_dict()["payment_surcharge"] == "0.00"


# --- delivery and returns ----------------------------------------------------------------------


def test_cart_arrives_when_its_latest_item_does(demo_policy: Policy) -> None:
    in_stock = quote(demo_policy, [lamp()])
    assert in_stock.delivery.earliest == dt.date(2026, 11, 25)
    assert in_stock.delivery.cutoff == dt.datetime(2026, 11, 24, 16, 0, tzinfo=AMS)
    restocked = line("TAIL-1", "19.95", in_stock=False, restock_date=dt.date(2026, 12, 3))
    mixed = quote(demo_policy, [lamp(), restocked])
    assert mixed.delivery.dispatch_date == dt.date(2026, 12, 3)
    assert mixed.delivery.earliest == dt.date(2026, 12, 4)
    assert mixed.delivery.cutoff is None  # no countdown: the cart waits for the restock


def test_item_without_restock_date_means_no_date_for_the_cart(demo_policy: Policy) -> None:
    lines = [lamp(), line("HELM-L", "59.95", in_stock=False)]
    result = quote(demo_policy, lines)
    assert result.delivery.status is EstimateStatus.NO_RESTOCK_DATE
    assert result.delivery.earliest is None
    assert result.status is QuoteStatus.OK  # the cart can still be priced and ordered


def test_restock_date_of_an_item_in_stock_is_ignored(demo_policy: Policy) -> None:
    result = quote(demo_policy, [lamp(restock_date=dt.date(2027, 3, 1))])
    assert result.delivery.earliest == dt.date(2026, 11, 25)


def test_return_terms_come_from_the_policy(demo_policy: Policy) -> None:
    terms = quote(demo_policy, [lamp()], "BE").returns
    assert terms.window_days == 30
    assert terms.is_free and terms.accepted and terms.applies
    assert terms.cost == D("0.00")
    assert terms.countries == ("NL", "BE", "DE")
    assert terms.to_dict()["free"] is True


def test_return_terms_say_when_the_destination_is_not_covered(demo_policy_text: str) -> None:
    policy = derive(
        demo_policy_text,
        ('countries = ["NL", "BE", "DE"]', 'countries = ["NL"]'),
        ('cost = "free"', 'cost = "4.95"'),
    )
    terms = quote(policy, [lamp()], "DE").returns
    assert not terms.applies
    assert not terms.is_free and terms.cost == D("4.95")


# --- JSON --------------------------------------------------------------------------------------


def test_to_dict_is_json_with_decimal_strings(demo_policy: Policy) -> None:
    data = quote(demo_policy, [lamp(2)], payment_method="iDEAL").to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["subtotal"] == "69.90"
    assert data["shipping"] == "0.00"
    assert data["free_shipping_remaining"] == "0.00"
    assert data["lines"][0] == {
        "sku": "LAMP-1",
        "name": "Front lamp",
        "quantity": 2,
        "unit_price": "34.95",
        "line_total": "69.90",
        "vat_class": "standard",
        "vat_rate": "21",
    }
    assert data["vat"] == [{"rate": "21", "net": "57.77", "vat": "12.13", "gross": "69.90"}]
    assert data["delivery"]["earliest"] == "2026-11-25"
    assert data["returns"]["window_days"] == 30


def test_whole_unit_price_is_shown_with_the_currency_decimals(demo_policy: Policy) -> None:
    data = quote(demo_policy, [line("A", "24")]).to_dict()
    assert data["lines"][0]["unit_price"] == "24.00"


# --- caller mistakes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "kwargs", "field"),
    [
        ([lamp(0)], {}, "lines[0].quantity"),
        ([lamp(-2)], {}, "lines[0].quantity"),
        ([lamp(True)], {}, "lines[0].quantity"),
        ([lamp(1.5)], {}, "lines[0].quantity"),  # type: ignore[arg-type]
        ([lamp(unit_price=34.95)], {}, "lines[0].unit_price"),
        ([lamp(unit_price=D("-1"))], {}, "lines[0].unit_price"),
        ([lamp(unit_price=D("NaN"))], {}, "lines[0].unit_price"),
        ([lamp(weight_kg=D("-0.1"))], {}, "lines[0].weight_kg"),
        ([lamp(sku="")], {}, "lines[0].sku"),
        ([lamp(), lamp()], {}, "lines[1].sku"),
        ([lamp(), line("B", "1.00", vat_class="luxury")], {}, "lines[1].vat_class"),
        ([lamp(vat_class=["standard"])], {}, "lines[0].vat_class"),
        ([lamp(in_stock="yes")], {}, "lines[0].in_stock"),
        ([lamp(restock_date="2026-12-01")], {}, "lines[0].restock_date"),
        (["LAMP-1"], {}, "lines[0]"),
        ([lamp()], {"payment_method": "Bitcoin"}, "payment_method"),
        ([lamp()], {"country": "Nederland"}, "country"),
        ([lamp()], {"country": "XX"}, "country"),
        ([], {}, "lines"),
        ([lamp(), line("B", "1.00", weight_kg=None)], {"country": "BE"}, "lines[1].weight_kg"),
    ],
)
def test_caller_mistakes_raise_value_errors_naming_the_field(
    demo_policy: Policy, lines: list[CartLine], kwargs: dict[str, object], field: str
) -> None:
    country = str(kwargs.pop("country", "NL"))
    with pytest.raises(QuoteInputError) as caught:
        quote(demo_policy, lines, country, **kwargs)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert isinstance(caught.value, ValueError)


def test_unknown_payment_method_error_lists_the_known_ones(demo_policy: Policy) -> None:
    with pytest.raises(QuoteInputError, match="iDEAL, PayPal, Creditcard"):
        quote(demo_policy, [lamp()], payment_method="Bitcoin")


def test_missing_weight_is_fine_where_rates_do_not_depend_on_it(demo_policy: Policy) -> None:
    result = quote(demo_policy, [lamp(weight_kg=None)], "NL")
    assert result.ok and result.weight_kg is None


def test_lower_case_country_is_accepted(demo_policy: Policy) -> None:
    assert quote(demo_policy, [lamp()], "nl").country == "NL"


# --- the rate functions the structured data shares ---------------------------------------------


def test_shipping_cost_matches_the_quote_for_a_single_item(demo_policy: Policy) -> None:
    zone = demo_policy.zone_for("DE")
    assert zone is not None
    assert zone_rate(zone, D("80.00"), D("1")) == D("6.95")
    assert shipping_cost(zone, D("80.00"), D("1")) == 0
    assert shipping_cost(zone, D("20.00"), D("3")) == D("9.95")
    assert zone_rate(zone, D("20.00"), None) == D("14.95")  # unknown weight: unbounded tier


# --- the documentation's example ---------------------------------------------------------------


def test_documented_example_prints_what_the_docs_say(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/quote/README.md shows code and its output; both must stay true."""
    root = Path(__file__).resolve().parent.parent
    text = (root / "docs" / "quote" / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    expected = re.findall(r"```text\n(.*?)```", text, re.S)[0]
    monkeypatch.chdir(root)
    output = io.StringIO()
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(output):
        for block in blocks:
            exec(compile(block, "docs/quote/README.md", "exec"), namespace)
    assert output.getvalue() == expected
    assert str(namespace["html"]).startswith('<script type="application/ld+json">{')


# --- absurd values and dates from a catalogue or a caller -----------------------------------


@pytest.mark.parametrize("price", [D("1E+30"), "1e999999999", "1e-999999999", "9" * 5000])
def test_absurd_unit_price_is_a_named_input_error_not_a_decimal_crash(
    demo_policy: Policy, price: Any
) -> None:
    line = CartLine("BELL-CHR", 1, price)
    with pytest.raises(QuoteInputError) as caught:
        quote_cart(demo_policy, [line], "NL", at=TUESDAY_3PM)
    assert caught.value.field == "lines[0].unit_price"
    assert "expected an amount below" in caught.value.message


def test_cart_with_an_erp_unknown_restock_date_promises_no_delivery_date(
    demo_policy: Policy,
) -> None:
    lines = [
        CartLine("BELL-CHR", 1, D("12.95")),
        CartLine("LAMP", 1, D("34.95"), in_stock=False, restock_date=dt.date(9999, 12, 31)),
    ]
    result = quote_cart(demo_policy, lines, "NL", at=TUESDAY_3PM)
    assert result.ok and result.total == D("52.85")
    assert result.delivery.status is EstimateStatus.NO_RESTOCK_DATE
    assert result.to_dict()["delivery"]["latest"] is None


def test_quote_for_an_order_moment_out_of_range_names_at(demo_policy: Policy) -> None:
    with pytest.raises(QuoteInputError) as caught:
        quote_cart(
            demo_policy, [CartLine("BELL-CHR", 1, D("12.95"))], "NL",
            at=dt.datetime(9999, 12, 31, 15, 0),
        )  # fmt: skip
    assert caught.value.field == "at"
    assert "expected a date from 2000-01-01 to 2099-12-31" in caught.value.message
