"""What a developer embedding the plugin in an existing Flask shop relies on (issue 15): the
host's CSRF protection, the cart shapes the Jinja helper reads, the host's locale, product
URLs by id, the public exceptions and signals, taxes computed at checkout and the costs-only
cart summary. Real Flask apps, real SQLite, Flask-WTF and Flask-Babel as the host has them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask, render_template_string, session
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from .conftest import DEMO_POLICY, PLUGIN_CATALOGUE, Clock, build_plugin_app

# --- CSRF ----------------------------------------------------------------------------------------


def shop_with_csrf(folder: Path, clock: Clock, extension: str, first: bool) -> Flask:
    """A host app with global CSRF protection (Flask-WTF's `CSRFProtect` or Flask-SeaSurf),
    set up before or after the plugin, and a form route of its own."""
    from flask_seasurf import SeaSurf  # type: ignore[import-untyped]

    from defenceline.plugin import DefenceLine, state
    from defenceline.plugin.catalogue import parse_catalogue

    app = Flask("shop", instance_path=str(folder / "instance"))
    app.config.update(
        SECRET_KEY="the host's secret",
        DEFENCELINE_POLICY=str(DEMO_POLICY),
        DEFENCELINE_DATABASE_URL=f"sqlite:///{folder / 'defenceline.sqlite3'}",
        DEFENCELINE_CLOCK=clock,
    )
    protect = CSRFProtect if extension == "flask-wtf" else SeaSurf
    if first:
        protect(app)
    DefenceLine(app)
    if not first:
        protect(app)
    with app.app_context():
        state().catalogue.replace_products(parse_catalogue(PLUGIN_CATALOGUE))  # type: ignore[attr-defined]

    @app.post("/host-form")
    def host_form() -> str:
        return "ok"

    return app


@pytest.mark.parametrize(
    ("extension", "refusal"), [("flask-wtf", 400), ("seasurf", 403)], ids=["wtf", "seasurf"]
)
@pytest.mark.parametrize("first", [True, False], ids=["csrf-first", "plugin-first"])
def test_the_plugin_exempts_its_json_endpoints_whichever_extension_came_first(
    tmp_path: Path, clock: Clock, extension: str, refusal: int, first: bool
) -> None:
    client = shop_with_csrf(tmp_path, clock, extension, first).test_client()
    quote = client.post(
        "/defenceline/api/v1/cart-quote", json={"lines": [{"sku": "LAMP-1", "quantity": 1}]}
    )
    assert quote.status_code == 200, quote.get_data(as_text=True)
    # The host's own route: still protected, refused the extension's way.
    assert client.post("/host-form").status_code == refusal


def test_every_plugin_write_endpoint_is_classified_for_csrf(plugin_app: Flask) -> None:
    from defenceline.plugin.api.csrf import CSRF_FREE_ENDPOINTS

    # Plugin endpoints that act on a browser session keep the host's CSRF protection; there is
    # none today. A new write endpoint must be put in one list or the other.
    session_endpoints: set[str] = set()
    writes = {
        rule.endpoint
        for rule in plugin_app.url_map.iter_rules()
        if rule.endpoint.startswith("defenceline.")
        and rule.methods
        and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    }
    assert writes == set(CSRF_FREE_ENDPOINTS) | session_endpoints


# --- cart shapes ---------------------------------------------------------------------------------


@dataclass
class Item:
    sku: str
    quantity: int


@dataclass
class HostCart:
    items: list[Item]
    country: str = "BE"


class Basket:  # an ORM-ish object with `lines`
    def __init__(self) -> None:
        self.lines = [{"sku": "LAMP-1", "quantity": 2}]


SHAPES = {
    "mapping": {"lines": [{"sku": "LAMP-1", "quantity": 2}]},
    "list of mappings": [{"sku": "LAMP-1", "quantity": 2}],
    "list of objects": [Item("LAMP-1", 2)],
    "object with items": HostCart([Item("LAMP-1", 2)], country="NL"),
    "object with lines": Basket(),
}


def render(app: Flask, template: str, **context: Any) -> str:
    with app.test_request_context("/", base_url="https://shop.example"):
        return render_template_string(template, **context)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_cart_summary_reads_every_documented_shape(plugin_app: Flask, shape: str) -> None:
    html = render(plugin_app, "{{ defenceline.cart_summary(cart) }}", cart=SHAPES[shape])
    row = BeautifulSoup(html, "lxml").select_one(".dl-cart tr[data-sku=LAMP-1] td")
    assert row is not None and row.get_text(strip=True) == "2", html[:300]


@pytest.mark.parametrize(
    ("cart", "reason"),
    [
        (42, "cannot read a cart from int"),
        ("LAMP-1", "cannot read a cart from str"),
        ({"items": "nope"}, "cannot read a cart from dict"),
        ([{"sku": "LAMP-1"}], "line 0 (dict) has no 'sku' and 'quantity'"),
        ([{"sku": "NOPE", "quantity": 1}], "NOPE"),
    ],
)
def test_a_cart_it_cannot_read_becomes_a_comment_and_a_warning(
    plugin_app: Flask, caplog: pytest.LogCaptureFixture, cart: object, reason: str
) -> None:
    with caplog.at_level(logging.WARNING):
        html = render(plugin_app, "<main>{{ defenceline.cart_summary(cart) }}</main>", cart=cart)
    assert html.startswith("<main><!-- defenceline: ") and html.endswith(" --></main>")
    assert reason in html.replace("&#39;", "'")
    assert any("cart summary" in record.getMessage() for record in caplog.records)


def test_widget_helpers_given_no_sku_render_a_comment(plugin_app: Flask) -> None:
    html = render(
        plugin_app,
        "{{ defenceline.stock(p) }}|{{ defenceline.delivery_estimate(p) }}|"
        "{{ defenceline.product_jsonld(p) }}",
        p=Item("LAMP-1", 1),
    )
    parts = html.split("|")
    assert all(
        part.startswith("<!-- defenceline: expected a SKU (text), got Item") for part in parts
    )


def test_costs_only_summary_leaves_out_the_line_table(plugin_app: Flask) -> None:
    cart = SHAPES["mapping"]
    html = render(plugin_app, "{{ defenceline.cart_summary(cart, lines=False) }}", cart=cart)
    soup = BeautifulSoup(html, "lxml")
    assert soup.select_one(".dl-cart__lines") is None
    assert soup.select_one(".dl-cart__total") is not None
    assert soup.select_one(".dl-cart__delivery") is not None
    fragment = plugin_app.test_client().get(
        "/defenceline/fragments/cart-summary?line=LAMP-1:2&lines=hidden"
    )
    assert b"dl-cart__lines" not in fragment.data and b"dl-cart__total" in fragment.data


# --- locale --------------------------------------------------------------------------------------


def test_widgets_follow_flask_babels_locale_before_accept_language(
    tmp_path: Path, clock: Clock
) -> None:
    app = build_plugin_app(tmp_path, clock, SECRET_KEY="s")
    Babel(app, locale_selector=lambda: session.get("lang"))

    @app.get("/page")
    def page() -> str:
        session["lang"] = "de"
        return render_template_string("{{ defenceline.stock('LAMP-1') }}")

    client = app.test_client()
    html = client.get("/page", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert "Auf Lager" in html
    # The JSON API the web components call reads the same session; an explicit lang wins.
    api = client.get("/defenceline/api/v1/stock/LAMP-1", headers={"Accept-Language": "nl"})
    assert api.get_json()["locale"] == "de"
    explicit = client.get("/defenceline/api/v1/stock/LAMP-1?lang=en").get_json()
    assert explicit["locale"] == "en"


def test_a_locale_selector_of_the_hosts_own_wins_over_accept_language(
    tmp_path: Path, clock: Clock
) -> None:
    app = build_plugin_app(tmp_path, clock, DEFENCELINE_LOCALE_SELECTOR=lambda: "he_IL")
    answer = app.test_client().get(
        "/defenceline/api/v1/stock/LAMP-1", headers={"Accept-Language": "nl"}
    )
    assert answer.get_json()["locale"] == "he" and answer.get_json()["dir"] == "rtl"


def test_without_a_host_locale_accept_language_decides(plugin_app: Flask) -> None:
    answer = plugin_app.test_client().get(
        "/defenceline/api/v1/stock/LAMP-1", headers={"Accept-Language": "de"}
    )
    assert answer.get_json()["locale"] == "de"


# --- product URLs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://shop.example/p/{sku}",
        "https://shop.example/p/{product_id}",
        "https://shop.example/p/{product_id}?variant={sku}",
    ],
)
def test_product_url_takes_sku_product_id_or_both(tmp_path: Path, clock: Clock, url: str) -> None:
    app = build_plugin_app(tmp_path, clock, DEFENCELINE_PRODUCT_URL=url)
    from defenceline.plugin import state

    with app.app_context():
        assert state().email.product_url == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://shop.example/p/", "has no field"),
        ("https://shop.example/p/{slug}", "unknown field {slug}"),
        ("https://shop.example/p/{sku", "expected '}'"),
    ],
)
def test_a_product_url_without_a_known_field_fails_at_start_up(
    tmp_path: Path, clock: Clock, url: str, message: str
) -> None:
    with pytest.raises(RuntimeError, match="DEFENCELINE_PRODUCT_URL") as caught:
        build_plugin_app(tmp_path, clock, DEFENCELINE_PRODUCT_URL=url)
    assert message in str(caught.value)


# --- the public Python API -----------------------------------------------------------------------


def test_exceptions_and_signals_are_exported_from_the_plugin_package() -> None:
    import defenceline.plugin as plugin

    for name in (
        "CartOrdered",
        "CartNotFound",
        "CartShapeError",
        "CatalogueError",
        "EmailSetupError",
        "stock_changed",
        "cart_restored",
        "StockChange",
        "Product",
    ):
        assert name in plugin.__all__ and hasattr(plugin, name), name


def test_tracking_an_ordered_cart_says_to_start_a_new_cart_id(plugin_app: Flask) -> None:
    from defenceline.plugin import CartNotFound, CartOrdered, DefenceLine

    with plugin_app.app_context():
        DefenceLine.track_cart("c-1", [{"sku": "LAMP-1", "quantity": 1}])
        DefenceLine.cart_ordered("c-1")
        DefenceLine.cart_ordered("c-1")  # idempotent
        with pytest.raises(CartOrdered, match="start a new cart id"):
            DefenceLine.track_cart("c-1", [{"sku": "LAMP-1", "quantity": 2}])
        with pytest.raises(CartNotFound, match="'never-seen'"):
            DefenceLine.cart_ordered("never-seen")


def test_the_checkout_gets_the_same_quote_the_summary_shows(plugin_app: Flask) -> None:
    from defenceline.plugin import DefenceLine

    cart = HostCart([Item("LAMP-1", 2)], country="NL")
    with plugin_app.test_request_context("/"):
        quote = DefenceLine.quote(cart)
        html = render_template_string("{{ defenceline.cart_summary(cart) }}", cart=cart)
    total = BeautifulSoup(html, "lxml").select_one(".dl-cart__total")
    assert total is not None and str(quote.total) == "69.90"
    assert total.get_text(strip=True).replace("\xa0", " ") == "€ 69,90"


# --- taxes computed at checkout ----------------------------------------------------------------


def test_a_shop_whose_checkout_computes_tax_shows_that_and_no_vat_row(
    tmp_path: Path, clock: Clock
) -> None:
    text = DEMO_POLICY.read_text(encoding="utf-8")
    text = text.replace("prices_include_vat = true", "prices_include_vat = false").replace(
        '[vat]\nstandard = "21"\nreduced = "9"', "[vat]\nat_checkout = true"
    )
    policy = tmp_path / "store.toml"
    policy.write_text(text, encoding="utf-8")
    app = build_plugin_app(tmp_path, clock, DEFENCELINE_POLICY=str(policy))
    html = (
        app.test_client()
        .get("/defenceline/fragments/cart-summary?line=LAMP-1:1&lang=en")
        .get_data(as_text=True)
    )
    soup = BeautifulSoup(html, "lxml")
    assert soup.select(".dl-cart__vat") == []
    row = soup.select_one(".dl-cart__tax-row")
    assert row is not None and row.get_text(" ", strip=True) == "Tax Calculated at checkout"
    dutch = app.test_client().get("/defenceline/fragments/cart-summary?line=LAMP-1:1&lang=nl")
    assert "Wordt berekend bij het afrekenen" in dutch.get_data(as_text=True)


def test_a_zero_rate_vat_row_is_not_shown(tmp_path: Path, clock: Clock) -> None:
    app = build_plugin_app(tmp_path, clock)
    from defenceline.plugin import state
    from defenceline.plugin.catalogue import Product

    with app.app_context():
        state().catalogue.replace_products(  # type: ignore[attr-defined]
            [
                Product(
                    "MAP-0",
                    "Map",
                    price=Decimal("5.00"),
                    vat_class="zero",
                    stock_on_hand=3,
                )
            ]
        )
    html = (
        app.test_client()
        .get("/defenceline/fragments/cart-summary?line=MAP-0:1&line=LAMP-1:1&lang=en")
        .get_data(as_text=True)
    )
    labels = [dt.get_text(strip=True) for dt in BeautifulSoup(html, "lxml").select("dt")]
    assert "Including VAT 21%" in labels
    assert not any("0%" in label for label in labels)


def test_the_stock_helper_offers_the_alert_form_only_when_out_of_stock(plugin_app: Flask) -> None:
    html = render(
        plugin_app,
        "{{ defenceline.stock('HELM-L', lang='en') }}|{{ defenceline.stock('LAMP-1') }}|"
        "{{ defenceline.stock('HELM-L', alert=False) }}",
    )
    sold_out, in_stock, without = (BeautifulSoup(part, "lxml") for part in html.split("|"))
    form = sold_out.select_one(".dl-stock__alert[data-sku=HELM-L] form.dl-stock-alert")
    assert form is not None and form["action"] == "/defenceline/api/v1/stock-alerts"
    consent = form.select_one("input.dl-checkbox[name=consent]")
    assert consent is not None and not consent.has_attr("checked")  # never pre-ticked
    assert "Email me when it's back" in form.get_text()
    assert in_stock.select_one("form") is None and without.select_one("form") is None


def test_the_command_group_says_what_it_holds(plugin_app: Flask) -> None:
    result = plugin_app.test_cli_runner().invoke(args=["defenceline", "--help"])
    assert result.exit_code == 0
    assert "back-in-stock emails" in result.output and "send-due" in result.output


def test_emails_show_the_cost_rows_the_cart_summary_shows_for_checkout_tax() -> None:
    from defenceline.plugin.emails.messages import summary_rows
    from defenceline.policyfile import parse_policy
    from defenceline.quote import CartLine, quote_cart

    from .test_taxes_at_checkout import MONDAY, US_SHOP

    quote = quote_cart(
        parse_policy(US_SHOP), [CartLine("TENT-2", 1, Decimal("40.00"))], "US", at=MONDAY
    )
    rows = dict(summary_rows(quote, "en"))
    assert rows["Tax"] == "Calculated at checkout"
    assert not any("VAT" in label for label in rows)
