"""The cart summary in the plugin: every cost up front, prices from the catalogue only."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask, render_template_string
from flask.testing import FlaskClient

URL = "/defenceline/api/v1/cart-quote"


@pytest.fixture
def client(plugin_app: Flask) -> FlaskClient:
    return plugin_app.test_client()


def quote(client: FlaskClient, **body: Any) -> Any:
    answer = client.post(URL, json=body)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_quote_prices_come_from_the_catalogue(client: FlaskClient) -> None:
    data = quote(
        client,
        lines=[{"sku": "BELL-1", "quantity": 2}, {"sku": "BOOK-1", "quantity": 1}],
        country="NL",
        payment_method="Creditcard",
        locale="en",
    )
    assert [(line["sku"], line["unit_price"], line["line_total"]) for line in data["lines"]] == [
        ("BELL-1", "12.95", "25.90"),
        ("BOOK-1", "24.00", "24.00"),
    ]
    assert data["subtotal"] == "49.90"
    assert data["shipping"] == "4.95"  # 0.10 short of the €50 threshold
    assert data["payment_surcharge"] == "1.50"
    assert data["total"] == "56.35"
    total = (
        Decimal(data["subtotal"]) + Decimal(data["shipping"]) + Decimal(data["payment_surcharge"])
    )
    assert Decimal(data["total"]) == total  # prices include VAT in this shop
    assert {row["rate"] for row in data["vat"]} == {"21", "9"}
    assert data["free_shipping_remaining"] == "0.10"
    assert data["currency"] == "EUR"
    assert data["display"]["total"] == "€56.35"
    assert data["free_shipping_message"] == "Free shipping from €50.00: €0.10 to go"
    assert data["returns"]["message"] == "Free returns within 30 days"
    # The pre-order book ships on 10 December, so the whole parcel does.
    assert data["delivery"]["earliest"] == "2026-12-11"
    assert data["delivery"]["message"] == "Order now and it arrives on Friday, December 11"


def test_crossing_the_threshold_makes_shipping_free(client: FlaskClient) -> None:
    data = quote(client, lines=[{"sku": "LAMP-1", "quantity": 2}], country="NL", locale="nl")
    assert (data["shipping"], data["free_shipping_remaining"]) == ("0.00", "0.00")
    assert data["display"]["shipping"] == "Gratis"
    assert data["free_shipping_message"] == "Verzending is gratis voor deze bestelling"


def test_same_sku_twice_is_one_line(client: FlaskClient) -> None:
    data = quote(client, lines=[{"sku": "BELL-2", "quantity": 1}, {"sku": "BELL-2", "quantity": 2}])
    assert [(line["sku"], line["quantity"]) for line in data["lines"]] == [("BELL-2", 3)]


def test_destination_not_shipped_to_is_a_clear_localised_answer(client: FlaskClient) -> None:
    data = quote(client, lines=[{"sku": "LAMP-1", "quantity": 1}], country="JP", locale="nl")
    assert data["status"] == "not_shipped"
    assert data["total"] is None and data["shipping"] is None
    assert data["status_message"] == "We verzenden niet naar Japan"


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"lines": [{"sku": "LAMP-1", "quantity": 1, "price": "0.01"}]}, 422,
         "lines[0].price: prices come from the shop's catalogue"),
        ({"lines": [{"sku": "LAMP-1", "quantity": 1}], "total": "1.00"}, 422,
         "total: prices come from the shop's catalogue"),
        ({"lines": [{"sku": "LAMP-1", "quantity": 0}]}, 422,
         "lines[0].quantity: 0; expected a quantity from 1 to 999"),
        ({"lines": [{"sku": "LAMP-1", "quantity": -3}]}, 422, "lines[0].quantity: -3"),
        ({"lines": [{"sku": "LAMP-1", "quantity": 100000}]}, 422, "lines[0].quantity: 100000"),
        ({"lines": [{"sku": "LAMP-1", "quantity": "2"}]}, 422,
         "lines[0].quantity: expected a whole number, got '2'"),
        ({"lines": [{"sku": "NOPE", "quantity": 1}]}, 404,
         "lines[0].sku: no product with SKU 'NOPE'"),
        ({"lines": [{"sku": "LAMP-1", "quantity": 1}], "payment_method": "Gold bars"}, 422,
         "payment_method"),
        ({"lines": []}, 422, "lines: expected at least one line"),
        ({"lines": "LAMP-1"}, 422, "lines: expected a valid list"),
        ({"lines": [{"sku": "LAMP-1", "quantity": 1}], "country": "XX"}, 400,
         "unknown country 'XX'"),
        ({"lines": [{"sku": "LAMP-1", "quantity": 1}], "coupon": "FREE"}, 422,
         "coupon: unknown field"),
    ],
)  # fmt: skip
def test_bad_carts_are_4xx_problems_naming_the_field(
    client: FlaskClient, body: dict[str, Any], status: int, detail: str
) -> None:
    answer = client.post(URL, json=body)
    assert answer.status_code == status, answer.json
    assert answer.mimetype == "application/problem+json"
    assert detail in answer.json["detail"]


def test_too_many_lines_is_refused(client: FlaskClient, plugin_app: Flask) -> None:
    plugin_app.config["DEFENCELINE_MAX_CART_LINES"] = 3
    lines = [{"sku": sku, "quantity": 1} for sku in ("LAMP-1", "BELL-1", "BELL-2", "XSS-1")]
    answer = client.post(URL, json={"lines": lines})
    assert answer.status_code == 422
    assert answer.json["detail"] == "lines: 4 lines; expected at most 3"


def test_malformed_and_oversized_bodies(client: FlaskClient) -> None:
    assert client.post(URL, data="{", content_type="application/json").status_code == 400
    huge = json.dumps({"lines": [{"sku": "LAMP-1", "quantity": 1}] * 5000})
    assert client.post(URL, data=huge, content_type="application/json").status_code == 413


def test_fragment_get_and_post_render_the_same_summary(client: FlaskClient) -> None:
    got = client.get(
        "/defenceline/fragments/cart-summary?line=BELL-1:2&line=LAMP-1:1&country=DE&lang=de"
    )
    posted = client.post(
        "/defenceline/fragments/cart-summary?lang=de",
        json={"lines": [{"sku": "BELL-1", "quantity": 2}, {"sku": "LAMP-1", "quantity": 1}],
              "country": "DE"},
    )  # fmt: skip
    assert got.data == posted.data
    soup = BeautifulSoup(got.data, "lxml")
    assert soup.select_one(".dl-cart__total").get_text() == "67,80\xa0€"  # type: ignore[union-attr]
    assert soup.select_one(".dl-cart__shipping").get_text() == "6,95\xa0€"  # type: ignore[union-attr]
    bar = soup.select_one("progress.dl-cart__progress")
    assert bar is not None and bar["value"] == "60.85" and bar["max"] == "75.00"
    assert soup.select("[style]") == []  # works under a CSP without 'unsafe-inline' styles
    text = soup.get_text(" ", strip=True)
    for word in ("Hurry", "Schnell", "only", "nur noch"):
        assert word not in text  # no pressure wording in the summary


def test_fragment_bad_line_parameter(client: FlaskClient) -> None:
    answer = client.get("/defenceline/fragments/cart-summary?line=BELL-1")
    assert answer.status_code == 400
    assert "expected SKU:QUANTITY" in answer.json["detail"]


def test_catalogue_names_are_escaped_in_the_summary(client: FlaskClient) -> None:
    html = client.get("/defenceline/fragments/cart-summary?line=XSS-1:1").data.decode()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_jinja_helpers_for_cart_and_structured_data(plugin_app: Flask) -> None:
    template = (
        "{{ defenceline.cart_summary(cart, pickers=True) }}"
        "{{ defenceline.product_jsonld('XSS-1') }}{{ defenceline.store_jsonld() }}"
    )
    cart = {"lines": [{"sku": "LAMP-1", "quantity": 1}], "country": "BE", "locale": "nl"}
    with plugin_app.test_request_context("/product/xss", base_url="https://shop.example"):
        html = render_template_string(template, cart=cart)
    soup = BeautifulSoup(html, "lxml")
    assert soup.select_one("select[data-dl-country] option[selected]")["value"] == "BE"  # type: ignore[index]
    scripts = soup.select("script[type='application/ld+json']")
    product, store = (json.loads(script.string or "") for script in scripts)
    assert product["@type"] == "Product" and product["name"].startswith("<script>")
    assert "</script>" not in scripts[0].decode_contents()  # escaped inside the script
    offer = product["offers"]
    assert offer["price"] == "1.00" and offer["priceCurrency"] == "EUR"
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["url"] == "https://shop.example/product/xss"
    assert offer["hasMerchantReturnPolicy"]["merchantReturnDays"] == 30
    assert {d["shippingDestination"]["addressCountry"] for d in offer["shippingDetails"]} == {
        "NL",
        "BE",
        "DE",
    }
    assert store["@type"] == "OnlineStore"
    assert store["hasMerchantReturnPolicy"]["returnFees"] == "https://schema.org/FreeReturn"
