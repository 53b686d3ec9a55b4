"""The demo shop: product pages show the promise computed from the policy, through the
plugin's widgets."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from defenceline.demoshop.app import create_app

from .conftest import TUESDAY_3PM


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    return create_app(clock=lambda: TUESDAY_3PM, data_dir=tmp_path, help_centre="off").test_client()


def page(client: FlaskClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.data, "lxml")


def form_post(client: FlaskClient, url: str, data: dict[str, str], **kwargs: Any) -> TestResponse:
    """POST `data` as the shop's own pages do: with the CSRF token from the page's meta tag."""
    meta = page(client, "/").select_one("meta[name=csrf-token]")
    assert meta is not None
    return client.post(url, data={**data, "csrf_token": str(meta["content"])}, **kwargs)


def text(soup: BeautifulSoup, selector: str) -> str:
    found = soup.select_one(selector)
    assert found is not None, selector
    return found.get_text(" ", strip=True).replace("\xa0", " ")


def test_catalogue_has_twelve_plus_products_with_variants_and_stock_cases(
    client: FlaskClient,
) -> None:
    from defenceline.demoshop.catalogue import demo_products

    products = demo_products(dt.date(2026, 11, 24))
    assert len({p.product_id for p in products}) >= 12
    assert any(len(p.attributes) for p in products)
    assert any(0 < p.available <= 5 for p in products)
    assert any(p.available == 0 and p.restock_date for p in products)
    assert any(p.available == 0 and not p.restock_date for p in products)
    soup = page(client, "/")
    assert len(soup.select(".card")) == len({p.product_id for p in products})
    assert "€ 12,95" in text(soup, "main")


def test_product_page_shows_widgets_from_policy(client: FlaskClient) -> None:
    soup = page(client, "/product/fietsbel-klassiek?sku=BELL-CHR")
    assert text(soup, ".dl-stock__text") == "Op voorraad"
    assert text(soup, ".dl-delivery__text") == (
        "Bestel vandaag vóór 16:00 en het wordt woensdag 25 november bezorgd"
    )
    assert text(soup, ".shipping") == "Verzendkosten naar Nederland: € 4,95, gratis vanaf € 50,00"
    assert text(soup, ".returns") == "Gratis retourneren binnen 30 dagen"
    assert soup.select_one("script[src$='defenceline.js']") is None  # no JavaScript needed


def test_variant_and_destination_change_the_answer(client: FlaskClient) -> None:
    soup = page(client, "/product/fietsbel-klassiek?sku=BELL-BLK&land=DE")
    assert text(soup, ".dl-stock__text") == "Nog 3 op voorraad"
    assert text(soup, ".dl-delivery__text") == (
        "Bestel vandaag vóór 16:00 en het wordt tussen donderdag 26 november en "
        "vrijdag 27 november bezorgd"
    )
    assert "vanaf € 6,95" in text(soup, ".shipping")


def test_out_of_stock_variants_say_so_honestly(client: FlaskClient) -> None:
    soup = page(client, "/product/led-achterlicht")
    assert text(soup, ".dl-stock__text") == "Uitverkocht, weer verwacht op donderdag 3 december"
    assert text(soup, ".dl-delivery__text") == "Bestel nu en het wordt vrijdag 4 december bezorgd"
    soup = page(client, "/product/spatbordset")
    assert text(soup, ".dl-stock__text") == "Uitverkocht"
    assert text(soup, ".dl-delivery__text") == (
        "Uitverkocht: we kunnen nog geen bezorgdatum beloven"
    )
    soup = page(client, "/product/fietskaart-nederland")
    assert text(soup, ".dl-stock__text").startswith("Te bestellen in voorverkoop, verzending vanaf")


def test_helmet_page_uses_the_web_components(client: FlaskClient) -> None:
    soup = page(client, "/product/fietshelm-urban?sku=HELM-M")
    assert soup.select_one("script[src='/defenceline/static/defenceline.js']") is not None
    stock = soup.select_one("dl-stock")
    delivery = soup.select_one("dl-delivery-estimate")
    assert stock is not None and stock["sku"] == "HELM-M"
    assert delivery is not None and delivery["country"] == "NL"
    # Server-rendered content inside, shown until the script upgrades the elements.
    assert text(soup, "dl-stock .dl-stock__text") == "Nog 3 op voorraad"


def test_unknown_product_is_404(client: FlaskClient) -> None:
    assert client.get("/product/nope").status_code == 404
    assert client.get("/img/NOPE.svg").status_code == 404


def test_product_images_are_svg(client: FlaskClient) -> None:
    response = client.get("/img/BELL-CHR.svg")
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_defenceline_demo_serves_the_shop() -> None:
    port = _free_port()
    script = Path(sys.executable).with_name("defenceline")
    server = subprocess.Popen(
        [str(script), "demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                url = f"http://127.0.0.1:{port}/product/regenponcho"
                with urllib.request.urlopen(url) as response:
                    body = response.read().decode()
                break
            except OSError:
                if server.poll() is not None:
                    output = server.stdout.read().decode() if server.stdout else ""
                    pytest.fail(f"defenceline demo exited with {server.returncode}:\n{output}")
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert "Regenponcho" in body
        assert "dl-delivery__text" in body
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/defenceline/api/v1/stock/PONCHO-XL"
        ) as response:
            assert b'"out_of_stock"' in response.read()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_about_page_shows_the_manifesto_in_dutch_and_english(client: FlaskClient) -> None:
    soup = page(client, "/over-ons")
    assert text(soup, "main h1") == "Ons manifest"
    assert soup.select_one("section.dl-manifesto")["lang"] == "nl"  # type: ignore[index]
    english = page(client, "/over-ons?lang=en")
    assert text(english, "main h1") == "Our manifesto"
    assert "30 days" in text(english, "section.dl-manifesto")


def test_help_centre_is_built_at_start_up_and_served(tmp_path: Path) -> None:
    app = create_app(clock=lambda: TUESDAY_3PM, data_dir=tmp_path, help_centre="now")
    helpdesk = app.extensions["demo_helpdesk"]
    assert helpdesk.status == "ready", helpdesk.messages
    client = app.test_client()
    home = page(client, "/help/")
    assert home.select_one("script[type='application/ld+json']") is not None
    shipping = page(client, "/help/faq/verzending/")
    assert "€ 4,95" in text(shipping, "article")  # the fact, from store.toml
    manifesto = page(client, "/help/manifesto/")
    assert "Ons manifest" in text(manifesto, "article")
    assert client.get("/help/nope/").status_code == 404


def test_help_centre_page_says_when_it_is_still_building(tmp_path: Path) -> None:
    app = create_app(clock=lambda: TUESDAY_3PM, data_dir=tmp_path, help_centre="off")
    client = app.test_client()
    assert client.get("/help/").status_code == 404  # running without a help centre
    app.extensions["demo_helpdesk"].status = "building"
    answer = client.get("/help/")
    assert answer.status_code == 503 and answer.headers["Refresh"] == "3"
    assert "worden klaargezet" in answer.data.decode()


def test_cart_shows_every_cost_before_checkout(client: FlaskClient) -> None:
    assert (
        form_post(client, "/cart/add", data={"sku": "BELL-BLK", "quantity": "2"}).status_code == 302
    )
    soup = page(client, "/cart")
    assert text(soup, ".dl-cart__subtotal") == "€ 25,90"
    assert text(soup, ".dl-cart__shipping") == "€ 4,95"
    assert text(soup, ".dl-cart__total") == "€ 30,85"
    assert text(soup, ".dl-cart__free-shipping-text") == (
        "Gratis verzending vanaf € 50,00: nog € 24,10"
    )
    assert text(soup, ".dl-cart__returns") == "Gratis retourneren binnen 30 dagen"
    form_post(client, "/cart/choices", data={"country": "DE", "payment_method": "Creditcard"})
    soup = page(client, "/cart")
    assert text(soup, ".dl-cart__surcharge") == "€ 1,50"
    assert "Verzending naar Duitsland" in text(soup, ".dl-cart__costs")


def test_checkout_is_a_guest_checkout_with_field_errors(client: FlaskClient) -> None:
    form_post(client, "/cart/add", data={"sku": "LAMP-F80", "quantity": "1"})
    soup = page(client, "/checkout")
    assert soup.select_one("input[type=password]") is None  # no account needed
    email = soup.select_one("input#email")
    assert email is not None and email["type"] == "email" and email["autocomplete"] == "email"
    assert email.has_attr("required")
    assert soup.select_one("label[for=postcode]") is not None
    assert all(not box.has_attr("checked") for box in soup.select("input[type=checkbox]"))
    answer = form_post(client, "/checkout", data={"name": "An", "email": "an@", "country": "NL"})
    assert answer.status_code == 422
    bad = BeautifulSoup(answer.data, "lxml")
    assert bad.select_one("#email")["aria-invalid"] == "true"  # type: ignore[index]
    assert "naam@voorbeeld.nl" in text(bad, "#email-error")
    done = form_post(
        client,
        "/checkout",
        data={
            "name": "An",
            "email": "an@example.nl",
            "street": "Dorpsstraat 1",
            "postcode": "1234 AB",
            "city": "Utrecht",
            "country": "NL",
            "payment_method": "iDEAL",
        },
    )
    assert done.status_code == 200 and "Bedankt voor je bestelling, An" in done.data.decode()
    assert client.get("/checkout").status_code == 302  # the cart is empty again


def test_product_and_home_pages_carry_structured_data(client: FlaskClient) -> None:
    import json

    product = page(client, "/product/fietsbel-klassiek?sku=BELL-CHR")
    data = json.loads(product.select_one("script[type='application/ld+json']").string or "")  # type: ignore[union-attr]
    assert data["@type"] == "Product" and data["offers"]["price"] == "12.95"
    home = page(client, "/")
    store = json.loads(home.select_one("script[type='application/ld+json']").string or "")  # type: ignore[union-attr]
    assert store["@type"] == "OnlineStore"


def test_forgotten_cart_gets_one_reminder_in_the_outbox(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import re
    from urllib.parse import urlsplit

    from defenceline.plugin.emails.dispatch import send_due

    from .conftest import Clock

    clock = Clock(TUESDAY_3PM)
    app = create_app(clock=clock, data_dir=tmp_path, help_centre="off")
    shopper = app.test_client()
    form_post(shopper, "/cart/add", data={"sku": "BELL-CHR", "quantity": "2"})
    form_post(shopper, "/checkout/contact",
        data={"email": "an@voorbeeld.nl", "name": "An", "consent": "yes",
              "timezone": "Europe/Amsterdam"},
        headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"},
    )  # fmt: skip
    with app.app_context():
        assert send_due(app).delivery.sent == 0  # not yet: the cart was just active
        clock.moment = TUESDAY_3PM + dt.timedelta(minutes=3)
        assert send_due(app).delivery.sent == 1
        assert send_due(app).delivery.sent == 0  # never twice
    outbox = page(shopper, "/_outbox/")
    assert "an@voorbeeld.nl" in text(outbox, "main, body")
    message = capsys.readouterr().out
    assert "Subject: Je winkelwagen bij Trapkracht staat er nog" in message
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message
    # The restore link rebuilds the cart in a fresh browser.
    body = message.replace("=\n", "").replace("=3D", "=")
    link = re.search(r"http://127\.0\.0\.1:5000(/defenceline/email/restore/[^\s\"<]+)", body)
    assert link is not None, body[:2000]
    fresh = app.test_client()
    assert fresh.get(urlsplit(link.group(0)).path).status_code == 200
    cart = page(fresh, "/cart")
    assert text(cart, ".dl-cart__subtotal") == "€ 25,90"


def test_placing_the_order_stops_reminders(tmp_path: Path) -> None:
    from defenceline.plugin.emails.dispatch import send_due

    from .conftest import Clock

    clock = Clock(TUESDAY_3PM)
    app = create_app(clock=clock, data_dir=tmp_path, help_centre="off")
    shopper = app.test_client()
    form_post(shopper, "/cart/add", data={"sku": "BELL-CHR", "quantity": "1"})
    form_post(
        shopper,
        "/checkout/contact",
        data={"email": "bo@voorbeeld.nl", "consent": "yes", "timezone": "Europe/Amsterdam"},
    )
    order = {
        "name": "Bo", "email": "bo@voorbeeld.nl", "street": "Markt 2", "postcode": "3511 AB",
        "city": "Utrecht", "country": "NL", "payment_method": "PayPal",
    }  # fmt: skip
    assert form_post(shopper, "/checkout", data=order).status_code == 200
    clock.moment = TUESDAY_3PM + dt.timedelta(hours=2)
    with app.app_context():
        assert send_due(app).delivery.sent == 0


def test_demo_pages_pass_the_checker_and_the_bad_page_does_not(client: FlaskClient) -> None:
    from defenceline.checks import check_documents
    from defenceline.demoshop import selfcheck
    from defenceline.plugin import state

    app = client.application
    with app.test_request_context():
        own = check_documents(
            selfcheck._render(selfcheck._own_pages(app), "BELL-CHR"), policy=state().policy
        )
        bad = check_documents(selfcheck._render(["/slecht-voorbeeld"], None), policy=state().policy)
    errors = [(p.target, f.rule, f.message) for p in own.pages for f in p.findings
              if f.severity == "error"]  # fmt: skip
    assert errors == []
    assert {p.page_type for p in own.pages} >= {"product", "cart", "checkout"}
    rules = {f.rule for p in bad.pages for f in p.findings if f.severity == "error"}
    for rule in ("dark-countdown-timer", "dark-scarcity-claim", "dark-social-proof",
                 "dark-preselected-addon", "dark-confirmshaming", "dark-hidden-costs"):  # fmt: skip
        assert rule in rules
    report = client.get("/_checks")
    assert report.status_code == 200 and b"Trapkracht" in report.data
    assert client.get("/_checks/slecht-voorbeeld").status_code == 200
