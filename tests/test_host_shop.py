"""The example host shop (examples/host-shop/) run as CI runs it: an existing Flask shop with
its own Flask-SQLAlchemy models, Flask-WTF's global CSRFProtect, Flask-Babel with the
shopper's language in the session and its own session cart, with defenceline embedded.

Everything is real: the shop's SQLite database, the plugin's SQLite database, an SMTP server
(aiosmtpd) for the back-in-stock email, the Flask test client for requests."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from .conftest import Clock
from .plugin_email import SmtpServer, smtp_server

HOST_SHOP = Path(__file__).resolve().parents[1] / "examples" / "host-shop"
TOKEN = "host-shop-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
# Tuesday 24 November 2026, 15:00 in Amsterdam: before the shop's 17:00 cut-off.
START = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def hostshop() -> Iterator[Any]:
    """The example's package, imported from its folder (it is not installed)."""
    sys.path.insert(0, str(HOST_SHOP))
    try:
        import hostshop

        yield hostshop
    finally:
        sys.path.remove(str(HOST_SHOP))


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def shop(hostshop: Any, tmp_path: Path, smtp: SmtpServer) -> Flask:
    app: Flask = hostshop.create_app(
        instance_path=str(tmp_path / "instance"),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'kettingblad.sqlite3'}",
        DEFENCELINE_DATABASE_URL=f"sqlite:///{tmp_path / 'defenceline.sqlite3'}",
        DEFENCELINE_API_TOKEN=TOKEN,
        DEFENCELINE_MAIL_URL=smtp.url,
        DEFENCELINE_SECRET_KEY="the host shop's link-signing key, long enough",
        DEFENCELINE_CLOCK=Clock(START),
    )
    with app.app_context():
        hostshop.seed()
    return app


def page(client: FlaskClient, path: str, **kwargs: Any) -> BeautifulSoup:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.data, "lxml")


def csrf_token(client: FlaskClient) -> str:
    meta = page(client, "/").select_one("meta[name=csrf-token]")
    assert meta is not None
    return str(meta["content"])


def choose_language(client: FlaskClient, locale: str) -> None:
    response = client.post("/language", data={"locale": locale, "csrf_token": csrf_token(client)})
    assert response.status_code == 302


def send_due(shop: Flask) -> None:
    """``flask defenceline send-due``, as the shop's cron runs it (outside any request)."""
    result = shop.test_cli_runner().invoke(args=["defenceline", "send-due"])
    assert result.exit_code == 0, result.output + repr(result.exception)


# --- the host's own pages with the widgets -----------------------------------------------------


def test_widgets_follow_the_language_the_shopper_chose_not_the_browser(shop: Flask) -> None:
    client = shop.test_client()
    dutch_browser = {"Accept-Language": "nl-NL,nl;q=0.9"}
    before = page(client, "/products/1", headers=dutch_browser)
    assert before.select_one(".dl-stock").get_text(" ", strip=True) == "Op voorraad"
    choose_language(client, "en")
    after = page(client, "/products/1", headers=dutch_browser)
    assert after.html["lang"] == "en"
    assert after.select_one(".dl-stock").get_text(" ", strip=True) == "In stock"
    assert after.select_one(".dl-delivery")["lang"] == "en"


def test_the_hosts_cart_object_renders_with_cart_summary(shop: Flask) -> None:
    client = shop.test_client()
    token = csrf_token(client)
    for sku, quantity in [("CHAIN-11", 1), ("PEDAL-FLAT", 1)]:
        added = client.post(
            "/cart/add", data={"sku": sku, "quantity": quantity, "csrf_token": token}
        )
        assert added.status_code == 302
    cart = page(client, "/cart", headers={"Accept-Language": "en"})
    summary = cart.select_one(".dl-cart")
    assert summary is not None, "the cart summary did not render"
    assert summary.select_one(".dl-cart__total").get_text(strip=True) == "€79.45"
    assert summary.select_one(".dl-cart__shipping").get_text(strip=True) == "Free"
    # Costs only: the shop's own line table is the one the shopper reads.
    assert summary.select_one(".dl-cart__lines") is None
    host_rows = cart.select("table.table tbody tr")
    assert [row.td.get_text(strip=True) for row in host_rows] == ["11-speed chain", "Flat pedals"]
    assert summary.select_one(".dl-cart__delivery") is not None


def test_the_hosts_own_forms_stay_protected_by_csrf(shop: Flask) -> None:
    refused = shop.test_client().post("/cart/add", data={"sku": "CHAIN-11", "quantity": 1})
    assert refused.status_code == 400
    assert b"CSRF" in refused.data


# --- every plugin endpoint under the host's global CSRFProtect ---------------------------------


def test_json_endpoints_work_without_a_csrf_token(shop: Flask) -> None:
    client = shop.test_client()
    prefix = "/defenceline/api/v1"
    cart = {"lines": [{"sku": "CHAIN-11", "quantity": 2}], "country": "NL"}
    quote = client.post(f"{prefix}/cart-quote", json=cart)
    assert quote.status_code == 200 and quote.get_json()["total"] == "69.90"
    fragment = client.post("/defenceline/fragments/cart-summary", json=cart)
    assert fragment.status_code == 200 and b"dl-cart" in fragment.data
    alert = client.post(
        f"{prefix}/stock-alerts",
        json={"email": "joris@fietsers.nl", "sku": "LIGHT-USB", "consent": True},
    )
    assert alert.status_code == 202
    feedback = client.post(f"{prefix}/feedback", json={"page": "/help/returns", "helpful": True})
    assert feedback.status_code == 204, feedback.get_data(as_text=True)
    view = client.post(
        f"{prefix}/pageviews",
        data='{"page": "/help/returns"}',
        headers={"Content-Type": "text/plain"},
    )
    assert view.status_code == 204, view.get_data(as_text=True)


def test_a_cross_site_form_still_cannot_post_to_the_json_endpoints(shop: Flask) -> None:
    # What CSRF protection guards against: a form on another site posting with the shopper's
    # cookies. The exempt endpoints take JSON only, which such a form cannot send.
    form = shop.test_client().post(
        "/defenceline/api/v1/stock-alerts",
        data={"email": "joris@fietsers.nl", "sku": "LIGHT-USB", "consent": "true"},
    )
    assert form.status_code == 415


def test_bearer_endpoints_work_without_a_csrf_token(shop: Flask) -> None:
    client = shop.test_client()
    prefix = "/defenceline/api/v1"
    tracked = client.post(
        f"{prefix}/carts/host-cart-1",
        json={"lines": [{"sku": "CHAIN-11", "quantity": 1}]},
        headers=AUTH,
    )
    assert tracked.status_code in (200, 201), tracked.get_data(as_text=True)
    ordered = client.post(f"{prefix}/carts/host-cart-1/order", json={}, headers=AUTH)
    assert ordered.status_code == 200, ordered.get_data(as_text=True)
    restore = client.post(f"{prefix}/cart-restores", json={"token": "not-a-token"}, headers=AUTH)
    assert restore.status_code in (404, 410), restore.get_data(as_text=True)
    assert restore.mimetype == "application/problem+json"
    # The shop's catalogue is its own database: the stock API says so instead of writing.
    stock = client.put(f"{prefix}/stock/CHAIN-11", json={"stock_on_hand": 3}, headers=AUTH)
    assert stock.status_code == 501 and "read-only" in stock.get_json()["detail"]
    # Without the bearer token a write is still refused - by the plugin, not by CSRF.
    anonymous = client.post(f"{prefix}/carts/host-cart-2", json={"lines": []})
    assert anonymous.status_code == 401


def subscribe(shop: Flask, smtp: SmtpServer, address: str, sku: str) -> None:
    """Ask for an alert through the widget's API and confirm with the email's button."""
    client = shop.test_client()
    asked = client.post(
        "/defenceline/api/v1/stock-alerts",
        json={"email": address, "sku": sku, "consent": True, "locale": "en"},
    )
    assert asked.status_code == 202
    send_due(shop)
    [mail] = [r for r in smtp.to(address) if "confirm" in str(r.message["Subject"]).lower()]
    text = mail.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    link = re.findall(r"https://kettingblad\.example(/defenceline/email/confirm/\S+)", text)[0]
    # The confirmation button is a plain form post from the plugin's page: no CSRF token.
    confirmed = shop.test_client().post(link)
    assert confirmed.status_code == 200, confirmed.get_data(as_text=True)[:300]


def alerts_to(smtp: SmtpServer, address: str) -> list[Any]:
    return [r.message for r in smtp.to(address) if "back in stock" in str(r.message["Subject"])]


def test_stock_changed_from_the_shops_erp_import_sends_the_back_in_stock_email(
    shop: Flask, smtp: SmtpServer
) -> None:
    subscribe(shop, smtp, "joris@fietsers.nl", "LIGHT-USB")
    # The shop's own command, outside any request: updates its model, tells the plugin.
    result = shop.test_cli_runner().invoke(args=["shop", "restock", "LIGHT-USB", "4"])
    assert result.exit_code == 0, result.output
    send_due(shop)
    [alert] = alerts_to(smtp, "joris@fietsers.nl")
    text = alert.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "USB front light is back in stock at Kettingblad." in text
    # DEFENCELINE_PRODUCT_URL by id: the shop's product pages are /products/<id>.
    assert "https://kettingblad.example/products/3" in text
    # The adapter's url_for(..., _external=True) ran outside any request, and still named
    # the public shop: send-due gave it a request context for DEFENCELINE_PUBLIC_URL.
    html = alert.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert 'src="https://kettingblad.example/static/img/light.svg"' in html


def test_stock_changed_from_a_worker_without_any_context(
    hostshop: Any, shop: Flask, smtp: SmtpServer
) -> None:
    subscribe(shop, smtp, "joris@fietsers.nl", "LIGHT-USB")
    with shop.app_context():
        models = hostshop.models
        product = models.db.session.execute(
            select(models.Product).where(models.Product.sku == "LIGHT-USB")
        ).scalar_one()
        product.stock = 6
        models.db.session.commit()
    # A queue worker: no app context, no request; it passes the app.
    change = hostshop.dl.stock_changed("LIGHT-USB", 6, app=shop)
    assert change.before is None and change.after.available == 6
    assert change.after.image_url == "https://kettingblad.example/static/img/light.svg"
    send_due(shop)
    assert len(alerts_to(smtp, "joris@fietsers.nl")) == 1


def test_stock_changed_names_what_is_wrong_with_its_arguments(hostshop: Any, shop: Flask) -> None:
    with shop.app_context():
        with pytest.raises(LookupError, match="'NO-SUCH-SKU'"):
            hostshop.dl.stock_changed("NO-SUCH-SKU", 1)
        with pytest.raises(ValueError, match="available: expected a whole number"):
            hostshop.dl.stock_changed("LIGHT-USB", 2.5)
        with pytest.raises(ValueError, match="available: expected 0 to"):
            hostshop.dl.stock_changed("LIGHT-USB", -1)
    with pytest.raises(RuntimeError, match="pass app="):
        hostshop.dl.stock_changed("LIGHT-USB", 1)


def test_one_click_unsubscribe_works_without_cookies_or_token(
    shop: Flask, smtp: SmtpServer
) -> None:
    subscribe(shop, smtp, "joris@fietsers.nl", "LIGHT-USB")
    shop.test_cli_runner().invoke(args=["shop", "restock", "LIGHT-USB", "4"])
    send_due(shop)
    [alert] = alerts_to(smtp, "joris@fietsers.nl")
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https = re.findall(r"<https://kettingblad\.example(/[^>]+)>", alert["List-Unsubscribe"])[0]
    # A mailbox provider's POST: no cookie, no CSRF token, just RFC 8058's body.
    mailbox = shop.test_client(use_cookies=False)
    response = mailbox.post(
        https,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "You are unsubscribed" in response.get_data(as_text=True)


def test_placing_an_order_in_the_host_tells_the_plugin_stock_and_order(shop: Flask) -> None:
    client = shop.test_client()
    token = csrf_token(client)
    client.post("/cart/add", data={"sku": "PEDAL-FLAT", "quantity": 2, "csrf_token": token})
    placed = client.post("/checkout", data={"csrf_token": token})
    assert placed.status_code == 302
    # Sold out in the host's database, and the plugin's widget says so at once.
    stock = client.get("/defenceline/api/v1/stock/PEDAL-FLAT?lang=en").get_json()
    assert stock["state"] == "out_of_stock"
