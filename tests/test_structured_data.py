"""schema.org JSON-LD from the policy (`defenceline.structured_data`): the emitted JSON is
parsed back and checked per type against Google's merchant-listing, shipping-policy and
return-policy documentation, against schema.org's vocabulary, and against the cart quote —
the markup must promise what the cart charges."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from defenceline import Policy, load_policy, parse_policy
from defenceline.demoshop.app import create_app
from defenceline.helpcentre import build_site, create_help_centre
from defenceline.quote import CartLine, quote_cart, shipping_cost
from defenceline.regions import all_countries
from defenceline.structured_data import (
    jsonld_json,
    jsonld_script,
    product_jsonld,
    store_jsonld,
)

AMS = ZoneInfo("Europe/Amsterdam")
DEMO_POLICY = Path(__file__).resolve().parent.parent / "examples" / "demo-shop" / "store.toml"
WINTER = dt.datetime(2026, 11, 24, 15, 0, tzinfo=AMS)
SUMMER = dt.datetime(2026, 7, 7, 15, 0, tzinfo=AMS)
D = Decimal
DAY_URLS = {
    f"https://schema.org/{d}"
    for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
}

# Properties schema.org defines for each type we emit (own and inherited), from schema.org's
# type pages. A typo such as "shippingDestinaton" would pass JSON parsing but not this.
VOCABULARY: dict[str, set[str]] = {
    "Product": {"sku", "name", "image", "description", "brand", "gtin", "mpn", "weight", "offers"},
    "Brand": {"name"},
    "Offer": {
        "url",
        "price",
        "priceCurrency",
        "availability",
        "itemCondition",
        "seller",
        "shippingDetails",
        "hasMerchantReturnPolicy",
    },
    "OfferShippingDetails": {"shippingDestination", "shippingRate", "deliveryTime", "doesNotShip"},
    "DefinedRegion": {"addressCountry"},
    "MonetaryAmount": {"value", "currency", "minValue", "maxValue"},
    "ShippingDeliveryTime": {"handlingTime", "transitTime", "cutoffTime", "businessDays"},
    "QuantitativeValue": {"value", "minValue", "maxValue", "unitCode"},
    "OpeningHoursSpecification": {"dayOfWeek", "opens", "closes"},
    "MerchantReturnPolicy": {
        "applicableCountry",
        "returnPolicyCountry",
        "returnPolicyCategory",
        "merchantReturnDays",
        "returnMethod",
        "returnFees",
        "returnShippingFeesAmount",
        "merchantReturnLink",
    },
    "OnlineStore": {
        "name",
        "url",
        "logo",
        "description",
        "contactPoint",
        "hasMerchantReturnPolicy",
        "hasShippingService",
    },
    "ContactPoint": {
        "contactType",
        "email",
        "telephone",
        "url",
        "availableLanguage",
        "hoursAvailable",
    },
    "ShippingService": {"fulfillmentType", "handlingTime", "shippingConditions"},
    "ServicePeriod": {"cutoffTime", "businessDays", "duration"},
    "ShippingConditions": {
        "shippingDestination",
        "orderValue",
        "weight",
        "shippingRate",
        "transitTime",
        "doesNotShip",
    },
}


def derive(text: str, *replacements: tuple[str, str]) -> Policy:
    for old, new in replacements:
        assert old in text, f"{old!r} not in the demo policy"
        text = text.replace(old, new, 1)
    return parse_policy(text, "derived.toml")


def roundtrip(data: Any) -> Any:
    """What a search engine reads: the serialised JSON, parsed with exact decimals."""
    return json.loads(jsonld_json(data), parse_float=Decimal)


def lamp_jsonld(policy: Policy, **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "sku": "LAMP-1",
        "name": "Front lamp",
        "price": D("34.95"),
        "availability": "InStock",
        "url": "https://trapkracht.example/products/lamp-1",
        "image": "https://trapkracht.example/img/lamp-1.jpg",
        "description": "A bright front lamp.",
        "brand": "Trapkracht",
        "weight_kg": D("0.15"),
        "at": WINTER,
    }
    fields.update(changes)
    return roundtrip(product_jsonld(policy, **fields))


def nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in `value`, depth first."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from nodes(child)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def by_country(details: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["shippingDestination"]["addressCountry"]: d for d in details}


# --- policies ----------------------------------------------------------------------------------

NO_CATCH_ALL = ('[[shipping.zones.tiers]]\nrate = "14.95"\n', "")
VALUE_TIERS = (
    'rate = "4.95"\nfree_shipping_from = "50.00"\n',
    'free_shipping_from = "50.00"\n\n[[shipping.zones.tiers]]\nmax_value = "20.00"\n'
    'rate = "6.95"\n\n[[shipping.zones.tiers]]\nrate = "3.95"\n',
)
TWO_D_TIERS = (
    '[[shipping.zones.tiers]]\nmax_weight = "2"\nrate = "6.95"\n\n'
    '[[shipping.zones.tiers]]\nmax_weight = "10"\nrate = "9.95"\n\n'
    '[[shipping.zones.tiers]]\nrate = "14.95"\n',
    '[[shipping.zones.tiers]]\nmax_value = "20.00"\nmax_weight = "5"\nrate = "4.95"\n\n'
    '[[shipping.zones.tiers]]\nmax_weight = "5"\nrate = "6.95"\n\n'
    '[[shipping.zones.tiers]]\nrate = "12.95"\n',
)
INVERTED_TIERS = (
    TWO_D_TIERS[0],
    '[[shipping.zones.tiers]]\nmax_value = "20.00"\nmax_weight = "5"\nrate = "8.95"\n\n'
    '[[shipping.zones.tiers]]\nrate = "4.95"\n',
)
VALUE_CAP = (
    'rate = "4.95"\nfree_shipping_from = "50.00"\n',
    'free_shipping_from = "50.00"\n\n[[shipping.zones.tiers]]\nmax_value = "20.00"\n'
    'rate = "6.95"\n\n[[shipping.zones.tiers]]\nmax_value = "100.00"\nrate = "3.95"\n',
)
SHIPPING_VARIANTS = {
    "demo": [],
    "no_catch_all": [NO_CATCH_ALL],
    "value_tiers": [VALUE_TIERS],
    "two_d_tiers": [TWO_D_TIERS],
    "value_cap": [VALUE_CAP],  # nothing ships to NL from 100.00, free shipping or not
    "no_threshold": [('free_shipping_from = "75.00"\n', "")],
}


@pytest.fixture(scope="module")
def shipping_policies(demo_policy_text: str) -> dict[str, Policy]:
    return {
        name: derive(demo_policy_text, *replacements)
        for name, replacements in SHIPPING_VARIANTS.items()
    }


# --- Product and Offer -------------------------------------------------------------------------


def test_product_has_the_properties_google_requires_for_merchant_listings(
    demo_policy: Policy,
) -> None:
    product = lamp_jsonld(demo_policy)
    assert product["@context"] == "https://schema.org"
    assert product["@type"] == "Product"
    assert product["name"] == "Front lamp"
    assert product["sku"] == "LAMP-1"
    assert product["image"] == ["https://trapkracht.example/img/lamp-1.jpg"]
    assert product["brand"] == {"@type": "Brand", "name": "Trapkracht"}
    assert product["weight"] == {
        "@type": "QuantitativeValue",
        "value": D("0.15"),
        "unitCode": "KGM",
    }
    offer = product["offers"]
    assert offer["@type"] == "Offer"
    assert offer["price"] == "34.95"
    assert D(offer["price"]) > 0
    assert offer["priceCurrency"] == "EUR"
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["itemCondition"] == "https://schema.org/NewCondition"
    assert offer["url"] == "https://trapkracht.example/products/lamp-1"
    assert offer["seller"]["@id"] == "https://trapkracht.example/#store"


def test_offer_has_shipping_details_for_every_destination_country(demo_policy: Policy) -> None:
    details = lamp_jsonld(demo_policy)["offers"]["shippingDetails"]
    assert [d["shippingDestination"]["addressCountry"] for d in details] == ["NL", "BE", "DE"]
    for detail in details:
        assert detail["@type"] == "OfferShippingDetails"
        assert detail["shippingDestination"]["@type"] == "DefinedRegion"
        rate = detail["shippingRate"]
        assert rate["@type"] == "MonetaryAmount"
        assert rate["currency"] == "EUR"  # the offer's currency, as Google requires
        assert D(rate["value"]) >= 0
        delivery = detail["deliveryTime"]
        assert delivery["@type"] == "ShippingDeliveryTime"
        for key in ("handlingTime", "transitTime"):
            value = delivery[key]
            assert value["@type"] == "QuantitativeValue"
            assert value["unitCode"] == "DAY"
            assert isinstance(value["minValue"], int) and isinstance(value["maxValue"], int)
            assert 0 <= value["minValue"] <= value["maxValue"]
        assert set(delivery["businessDays"]["dayOfWeek"]) <= DAY_URLS


def test_offer_shipping_rates_and_days_come_from_the_policy(demo_policy: Policy) -> None:
    details = by_country(lamp_jsonld(demo_policy)["offers"]["shippingDetails"])
    assert details["NL"]["shippingRate"]["value"] == "4.95"
    assert details["BE"]["shippingRate"]["value"] == "6.95"  # 0.15 kg: the 2 kg tier
    nl_time = details["NL"]["deliveryTime"]
    assert (nl_time["transitTime"]["minValue"], nl_time["transitTime"]["maxValue"]) == (1, 1)
    de_time = details["DE"]["deliveryTime"]
    assert (de_time["transitTime"]["minValue"], de_time["transitTime"]["maxValue"]) == (2, 3)
    assert (de_time["handlingTime"]["minValue"], de_time["handlingTime"]["maxValue"]) == (0, 0)
    assert de_time["businessDays"]["dayOfWeek"] == [
        "https://schema.org/Monday",
        "https://schema.org/Tuesday",
        "https://schema.org/Wednesday",
        "https://schema.org/Thursday",
        "https://schema.org/Friday",
    ]


def test_cutoff_is_the_earliest_weekday_cutoff_with_the_seasons_offset(
    demo_policy: Policy,
) -> None:
    winter = lamp_jsonld(demo_policy, at=WINTER)["offers"]["shippingDetails"][0]
    summer = lamp_jsonld(demo_policy, at=SUMMER)["offers"]["shippingDetails"][0]
    assert winter["deliveryTime"]["cutoffTime"] == "15:00:00+01:00"  # Friday's 15:00
    assert summer["deliveryTime"]["cutoffTime"] == "15:00:00+02:00"


def test_item_priced_past_the_threshold_ships_free_on_its_own(demo_policy: Policy) -> None:
    details = by_country(lamp_jsonld(demo_policy, price=D("59.95"))["offers"]["shippingDetails"])
    assert details["NL"]["shippingRate"]["value"] == "0.00"  # from 50.00
    assert details["DE"]["shippingRate"]["value"] == "6.95"  # Germany: from 75.00


def test_item_weight_picks_the_tier(demo_policy: Policy) -> None:
    heavy = by_country(lamp_jsonld(demo_policy, weight_kg=D("3"))["offers"]["shippingDetails"])
    assert heavy["BE"]["shippingRate"]["value"] == "9.95"
    unknown = by_country(lamp_jsonld(demo_policy, weight_kg=None)["offers"]["shippingDetails"])
    assert unknown["BE"]["shippingRate"]["value"] == "6.95"  # unknown weight: lowest tier


def test_item_too_heavy_for_a_zone_does_not_ship_there(
    shipping_policies: dict[str, Policy],
) -> None:
    product = lamp_jsonld(shipping_policies["no_catch_all"], weight_kg=D("12"))
    details = by_country(product["offers"]["shippingDetails"])
    assert details["DE"]["doesNotShip"] is True
    assert "shippingRate" not in details["DE"] and "deliveryTime" not in details["DE"]
    assert details["NL"]["shippingRate"]["value"] == "4.95"


def test_offer_shipping_rate_is_what_the_cart_charges_for_that_item(
    demo_policy: Policy,
) -> None:
    for price, weight in [("34.95", "0.15"), ("74.99", "2.5"), ("80.00", "11"), ("5.00", "0")]:
        product = lamp_jsonld(demo_policy, price=D(price), weight_kg=D(weight))
        for country, detail in by_country(product["offers"]["shippingDetails"]).items():
            cart = [CartLine("LAMP-1", 1, D(price), weight_kg=D(weight))]
            charged = quote_cart(demo_policy, cart, country, at=WINTER).shipping
            assert D(detail["shippingRate"]["value"]) == charged, (price, weight, country)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("InStock", "https://schema.org/InStock"),
        ("https://schema.org/LimitedAvailability", "https://schema.org/LimitedAvailability"),
        ("http://schema.org/PreOrder", "https://schema.org/PreOrder"),
        ("OutOfStock", "https://schema.org/OutOfStock"),
    ],
)
def test_availability_is_written_as_a_schema_org_url(
    demo_policy: Policy, given: str, expected: str
) -> None:
    assert lamp_jsonld(demo_policy, availability=given)["offers"]["availability"] == expected


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        ({"availability": "Available"}, "availability"),
        ({"item_condition": "Mint"}, "item_condition"),
        ({"currency": "USD"}, "currency"),
        ({"price": 34.95}, "price"),
        ({"price": D("-1")}, "price"),
        ({"sku": "LAMP 1"}, "sku"),
        ({"name": "  "}, "name"),
        ({"weight_kg": D("-1")}, "weight_kg"),
    ],
)
def test_bad_product_input_names_the_argument(
    demo_policy: Policy, changes: dict[str, Any], argument: str
) -> None:
    with pytest.raises(ValueError, match=f"^{argument}: "):
        lamp_jsonld(demo_policy, **changes)


def test_optional_product_fields_are_left_out_when_unknown(demo_policy: Policy) -> None:
    product = lamp_jsonld(demo_policy, image=None, description=None, brand=None, weight_kg=None)
    assert not {"image", "description", "brand", "weight"} & set(product)
    with_codes = lamp_jsonld(demo_policy, gtin="08712345678906", mpn="TK-LAMP-1")
    assert with_codes["gtin"] == "08712345678906" and with_codes["mpn"] == "TK-LAMP-1"


# --- MerchantReturnPolicy ----------------------------------------------------------------------


def test_offer_return_policy_has_googles_required_properties(demo_policy: Policy) -> None:
    returns = lamp_jsonld(demo_policy)["offers"]["hasMerchantReturnPolicy"]
    assert returns["@type"] == "MerchantReturnPolicy"
    assert returns["applicableCountry"] == ["NL", "BE", "DE"]
    assert returns["returnPolicyCategory"] == "https://schema.org/MerchantReturnFiniteReturnWindow"
    assert returns["merchantReturnDays"] == 30
    assert returns["returnFees"] == "https://schema.org/FreeReturn"
    assert returns["returnMethod"] == "https://schema.org/ReturnByMail"
    assert "returnShippingFeesAmount" not in returns  # Google: not with FreeReturn
    assert "returnPolicyCountry" not in returns  # organisation-level only


def test_paid_returns_state_the_fee(demo_policy_text: str) -> None:
    policy = derive(demo_policy_text, ('cost = "free"', 'cost = "4.95"'))
    returns = roundtrip(store_jsonld(policy, at=WINTER))["hasMerchantReturnPolicy"]
    assert returns["returnFees"] == "https://schema.org/ReturnShippingFees"
    assert returns["returnShippingFeesAmount"] == {
        "@type": "MonetaryAmount",
        "value": "4.95",
        "currency": "EUR",
    }


def test_shop_without_returns_says_returns_are_not_permitted(demo_policy_text: str) -> None:
    # outside the EU a shop may refuse returns (inside, the 14-day withdrawal right applies)
    policy = derive(
        demo_policy_text,
        ('country = "NL"\ndefault_locale', 'country = "CH"\ndefault_locale'),
        ("window_days = 30", "window_days = 0"),
    )
    returns = lamp_jsonld(policy)["offers"]["hasMerchantReturnPolicy"]
    assert returns["returnPolicyCategory"] == "https://schema.org/MerchantReturnNotPermitted"
    assert not {"merchantReturnDays", "returnFees", "returnMethod"} & set(returns)


def test_return_policy_for_many_countries_is_split_into_fifties(demo_policy_text: str) -> None:
    countries = [c for c in all_countries() if c not in {"NL", "BE", "DE"}][:70]
    listed = ", ".join(f'"{c}"' for c in countries)
    policy = derive(
        demo_policy_text,
        ('countries = ["BE", "DE"]', f'countries = ["BE", "DE", {listed}]'),
        ('countries = ["NL", "BE", "DE"]\n', ""),
    )
    policies = roundtrip(store_jsonld(policy, at=WINTER))["hasMerchantReturnPolicy"]
    assert isinstance(policies, list) and len(policies) == 2
    assert [len(p["applicableCountry"]) for p in policies] == [50, 23]
    covered = [c for p in policies for c in p["applicableCountry"]]
    assert sorted(covered) == sorted(["NL", "BE", "DE", *countries])
    assert len({p["@id"] for p in policies}) == 2


# --- OnlineStore and ShippingService -----------------------------------------------------------


def test_store_is_an_online_store_with_return_and_shipping_policies(demo_policy: Policy) -> None:
    store = roundtrip(
        store_jsonld(
            demo_policy,
            logo="https://trapkracht.example/logo.png",
            return_policy_link="https://trapkracht.example/help/returns",
            at=WINTER,
        )
    )
    assert store["@context"] == "https://schema.org"
    assert store["@type"] == "OnlineStore"
    assert store["name"] == "Trapkracht"
    assert store["url"] == "https://trapkracht.example"
    assert store["logo"] == "https://trapkracht.example/logo.png"
    returns = store["hasMerchantReturnPolicy"]
    assert returns["returnPolicyCountry"] == "NL"
    assert returns["merchantReturnLink"] == "https://trapkracht.example/help/returns"
    assert returns["@id"] == "https://trapkracht.example/#return-policy"
    service = store["hasShippingService"]
    assert service["@type"] == "ShippingService"
    assert service["fulfillmentType"] == "https://schema.org/FulfillmentTypeDelivery"
    handling = service["handlingTime"]
    assert handling["@type"] == "ServicePeriod"
    assert handling["cutoffTime"] == "15:00:00+01:00"
    assert handling["duration"] == {
        "@type": "QuantitativeValue",
        "minValue": 0,
        "maxValue": 0,
        "unitCode": "DAY",
    }
    assert service["shippingConditions"]  # Google's one required property


def test_store_contact_points_come_from_the_policy(demo_policy: Policy) -> None:
    contacts = roundtrip(store_jsonld(demo_policy, at=WINTER))["contactPoint"]
    assert [c.get("email") or c.get("telephone") or c.get("url") for c in contacts] == [
        "service@trapkracht.example",
        "+31 20 123 4567",
        "https://trapkracht.example/chat",
    ]
    phone = contacts[1]
    assert phone["hoursAvailable"][0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "09:00",
        "closes": "17:00",
    }
    assert phone["availableLanguage"] == ["nl", "en", "de", "he"]


def test_every_shipping_condition_is_complete(shipping_policies: dict[str, Policy]) -> None:
    for name, policy in shipping_policies.items():
        service = roundtrip(store_jsonld(policy, at=WINTER))["hasShippingService"]
        for condition in service["shippingConditions"]:
            assert condition["@type"] == "ShippingConditions", name
            for region in as_list(condition["shippingDestination"]):
                assert region["@type"] == "DefinedRegion"
                assert len(region["addressCountry"]) == 2
            rate = condition["shippingRate"]
            assert rate["currency"] == "EUR"
            assert ("value" in rate) != ("maxValue" in rate)
            transit = condition["transitTime"]
            assert transit["@type"] == "ServicePeriod"
            assert transit["duration"]["unitCode"] == "DAY"
            assert set(transit["businessDays"]) <= DAY_URLS
            if "orderValue" in condition:
                value = condition["orderValue"]
                assert value["currency"] == "EUR"
                assert "minValue" in value or "maxValue" in value
                if "minValue" in value and "maxValue" in value:
                    assert D(value["minValue"]) < D(value["maxValue"])
            if "weight" in condition:
                assert condition["weight"]["unitCode"] == "KGM"


def test_free_shipping_threshold_is_an_order_value_range(demo_policy: Policy) -> None:
    service = roundtrip(store_jsonld(demo_policy, at=WINTER))["hasShippingService"]
    dutch = [
        c
        for c in service["shippingConditions"]
        if as_list(c["shippingDestination"])[0]["addressCountry"] == "NL"
    ]
    assert [(c["orderValue"], c["shippingRate"]["value"]) for c in dutch] == [
        ({"@type": "MonetaryAmount", "currency": "EUR", "maxValue": "49.99"}, "4.95"),
        ({"@type": "MonetaryAmount", "currency": "EUR", "minValue": "50.00"}, "0.00"),
    ]


def google_rate(
    service: dict[str, Any], country: str, value: Decimal, weight: Decimal
) -> tuple[Decimal | None, bool]:
    """What Google reads from `service` for an order: the lowest rate among the conditions
    that match (destination, order value, weight; bounds inclusive, missing bounds open), and
    whether that rate is only an upper bound. (None, False) when nothing ships it."""
    matches: list[tuple[Decimal, bool]] = []
    for condition in service["shippingConditions"]:
        countries = {r["addressCountry"] for r in as_list(condition["shippingDestination"])}
        if country not in countries:
            continue
        limits = [(condition.get("orderValue"), value), (condition.get("weight"), weight)]
        if not all(
            bound is None
            or (
                D(str(bound.get("minValue", 0))) <= amount
                and ("maxValue" not in bound or amount <= D(str(bound["maxValue"])))
            )
            for bound, amount in limits
        ):
            continue
        if condition.get("doesNotShip"):
            continue
        rate = condition["shippingRate"]
        matches.append((D(rate.get("value", rate.get("maxValue"))), "maxValue" in rate))
    if not matches:
        return None, False
    return min(matches)


@pytest.mark.parametrize("variant", list(SHIPPING_VARIANTS))
@settings(max_examples=300, deadline=None)
@given(
    cents=st.integers(0, 20_000),
    grams=st.integers(0, 15_000),
    country=st.sampled_from(["NL", "BE", "DE"]),
)
def test_google_reads_the_same_shipping_cost_the_cart_charges(
    shipping_policies: dict[str, Policy], variant: str, cents: int, grams: int, country: str
) -> None:
    policy = shipping_policies[variant]
    value, weight = Decimal(cents).scaleb(-2), Decimal(grams).scaleb(-3)
    service = roundtrip(store_jsonld(policy, at=WINTER))["hasShippingService"]
    zone = policy.zone_for(country)
    assert zone is not None
    expected = shipping_cost(zone, value, weight)
    assert google_rate(service, country, value, weight) == (expected, False)


def test_tier_table_google_cannot_read_exactly_is_stated_as_at_most(
    demo_policy_text: str,
) -> None:
    # a cheaper catch-all after a dearer small-parcel tier: Google would pick the cheaper one
    policy = derive(demo_policy_text, INVERTED_TIERS)
    service = roundtrip(store_jsonld(policy, at=WINTER))["hasShippingService"]
    zone = policy.zone_for("DE")
    assert zone is not None
    for value, weight in [(D("10.00"), D("1")), (D("30.00"), D("1")), (D("10.00"), D("8"))]:
        rate, at_most = google_rate(service, "DE", value, weight)
        expected = shipping_cost(zone, value, weight)
        assert at_most and rate is not None and expected is not None
        assert expected <= rate == D("8.95")
    assert google_rate(service, "DE", D("80.00"), D("1")) == (D("0.00"), False)


# --- JSON-LD as a whole ------------------------------------------------------------------------


@pytest.mark.parametrize("document", ["product", "store"])
def test_every_node_is_typed_and_uses_schema_org_properties_of_its_type(
    demo_policy_text: str, document: str
) -> None:
    policy = derive(demo_policy_text, ('cost = "free"', 'cost = "2.50"'))
    data = (
        lamp_jsonld(policy, gtin="08712345678906", mpn="X1")
        if document == "product"
        else roundtrip(store_jsonld(policy, logo="https://x.example/l.png", at=WINTER))
    )
    assert data["@context"] == "https://schema.org"
    seen_types = set()
    for node in nodes(data):
        if set(node) == {"@id"}:
            continue
        assert "@type" in node, node
        assert node["@type"] in VOCABULARY, node["@type"]
        seen_types.add(node["@type"])
        properties = {key for key in node if not key.startswith("@")}
        assert properties <= VOCABULARY[node["@type"]], (node["@type"], properties)
        if node is not data:
            assert "@context" not in node
    expected = (
        {"Product", "Offer", "OfferShippingDetails", "MerchantReturnPolicy", "MonetaryAmount"}
        if document == "product"
        else {"OnlineStore", "ShippingService", "ShippingConditions", "MerchantReturnPolicy"}
    )
    assert expected <= seen_types


def test_script_cannot_be_closed_or_commented_out_by_catalogue_text(
    demo_policy: Policy,
) -> None:
    name = 'Bell </script><script>alert("x")</script> <!-- & more'
    data = product_jsonld(
        demo_policy,
        sku="BELL-1",
        name=name,
        price="12.95",
        availability="InStock",
        url="https://trapkracht.example/bell",
        at=WINTER,
    )
    script = str(jsonld_script(data))
    assert script.count("<") == 2  # only the element's own tags
    assert "<!--" not in script and "</script" not in script[:-9]
    page = BeautifulSoup(f"<html><head>{script}</head><body></body></html>", "html.parser")
    tags = page.find_all("script")
    assert len(tags) == 1
    assert tags[0]["type"] == "application/ld+json"
    assert tags[0].string is not None
    assert json.loads(tags[0].string)["name"] == name


def test_json_keeps_non_ascii_text_readable(demo_policy_text: str) -> None:
    policy = derive(demo_policy_text, ('name = "Trapkracht"', 'name = "Trapkracht – fietsen"'))
    text = jsonld_json(store_jsonld(policy, at=WINTER))
    assert "Trapkracht – fietsen" in text
    assert json.loads(text)["name"] == "Trapkracht – fietsen"


@pytest.mark.parametrize("moment", [WINTER, SUMMER], ids=["winter", "summer"])
def test_demo_storefront_and_help_centre_publish_the_same_online_store(
    moment: dt.datetime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One generator: the home page of the demo shop and its help centre's home page carry the
    same `OnlineStore`, cut-off offset included (the help centre tells its build time's)."""
    storefront = create_app(clock=lambda: moment, data_dir=tmp_path / "data", help_centre="off")
    response = storefront.test_client().get("/")
    assert response.status_code == 200
    shop_store = _json_ld(response.get_data(as_text=True))

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    create_help_centre(tmp_path / "src", load_policy(DEMO_POLICY), DEMO_POLICY, language="nl")
    result = build_site(tmp_path / "src", tmp_path / "site")
    assert result.ok, result.messages
    help_store = _json_ld((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))

    assert help_store == shop_store
    offset = "+01:00" if moment is WINTER else "+02:00"
    assert help_store["hasShippingService"]["handlingTime"]["cutoffTime"] == f"15:00:00{offset}"


def _json_ld(html: str) -> Any:
    scripts = BeautifulSoup(html, "lxml").select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string or "", parse_float=Decimal)


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
        dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=5))),
    ],
)
def test_store_jsonld_for_a_moment_out_of_range_is_a_named_error_not_an_overflow(
    demo_policy: Policy, moment: dt.datetime
) -> None:
    from defenceline import DateOutOfRange

    with pytest.raises(DateOutOfRange) as caught:
        store_jsonld(demo_policy, at=moment)
    assert caught.value.field == "at"
