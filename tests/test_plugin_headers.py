"""Security headers on every plugin response, and every widget working in a real Chromium under
a strict Content-Security-Policy (no inline scripts or styles, nothing from elsewhere)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, render_template_string
from flask.testing import FlaskClient

from .conftest import ROOT, Clock, build_plugin_app, serve

AUTH = {"Authorization": "Bearer s3cret-token"}

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
)


@pytest.fixture
def client(plugin_app: Flask) -> FlaskClient:
    return plugin_app.test_client()


RESPONSES = [
    ("GET", "/defenceline/api/v1/stock/BELL-1", None, 200),
    ("GET", "/defenceline/api/v1/stock/NOPE", None, 404),
    ("GET", "/defenceline/fragments/stock/BELL-1", None, 200),
    ("GET", "/defenceline/fragments/delivery-estimate?sku=BELL-1", None, 200),
    ("GET", "/defenceline/fragments/cart-summary?line=BELL-1:1", None, 200),
    ("GET", "/defenceline/fragments/cart-summary?line=BELL-1:²", None, 400),
    ("POST", "/defenceline/api/v1/cart-quote", {"lines": [{"sku": "BELL-1", "quantity": 1}]}, 200),
    ("GET", "/defenceline/fragments/stock-alert-form?sku=HELM-L", None, 200),
    ("GET", "/defenceline/static/defenceline.js", None, 200),
    ("GET", "/defenceline/static/defenceline.css", None, 200),
    ("GET", "/defenceline/openapi.json", None, 200),
    ("GET", "/defenceline/email/restore/forged", None, 404),
    ("PUT", "/defenceline/api/v1/stock/BELL-1", {"reserved": 0}, 401),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), RESPONSES)
def test_every_plugin_response_forbids_sniffing_and_sets_a_referrer_policy(
    client: FlaskClient, method: str, path: str, body: Any, status: int
) -> None:
    answer = client.open(path, method=method, json=body)
    assert answer.status_code == status
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] in {"strict-origin-when-cross-origin", "no-referrer"}
    if answer.mimetype == "text/html":
        # A third-party page cannot frame a widget or page to trick a click.
        assert answer.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_pages_behind_email_links_allow_nothing_inline_or_from_elsewhere(
    client: FlaskClient,
) -> None:
    page = client.get("/defenceline/email/unsubscribe/forged")
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["Referrer-Policy"] == "no-referrer"  # the token never leaks onwards
    html = page.get_data(as_text=True)
    assert "<style" not in html and " style=" not in html and "<script" not in html
    stylesheet = client.get("/defenceline/static/pages.css")
    assert stylesheet.status_code == 200 and b"font-family" in stylesheet.data


def test_the_host_app_keeps_its_own_headers(tmp_path: Path, clock: Clock) -> None:
    app = build_plugin_app(tmp_path, clock)

    @app.after_request
    def own_policy(response: Response) -> Response:
        # As a shop (and the demo) does: its policy on every HTML answer that has none.
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", "default-src 'self'")
        response.headers["X-Frame-Options"] = "DENY"
        return response

    answer = app.test_client().get("/defenceline/fragments/stock/BELL-1")
    assert answer.headers["Content-Security-Policy"] == "default-src 'self'"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


# --- a real browser under a strict policy ------------------------------------------------------

# Every way to embed: web components (one script tag), server-rendered Jinja helpers and
# structured data. Nothing inline: the page's own script is a file too.
WIDGETS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bell</title>
{{ defenceline.stylesheet() }}
{{ defenceline.script() }}
{{ defenceline.product_jsonld('BELL-1') }}
{{ defenceline.store_jsonld() }}
</head><body>
<h1>Bell</h1>
<dl-stock id="stock" sku="BELL-1" lang="en"></dl-stock>
<dl-stock id="sold-out" sku="HELM-L" lang="en"></dl-stock>
<dl-delivery-estimate id="delivery" sku="BELL-1" country="NL" lang="en"></dl-delivery-estimate>
<dl-cart-summary id="cart" pickers lang="en" cart='{{ cart }}'></dl-cart-summary>
<dl-manifesto id="manifesto" lang="en" level="2"></dl-manifesto>
<section id="server">
{{ defenceline.stock('TAIL-1', lang='en') }}
{{ defenceline.delivery_estimate('TAIL-1', lang='en') }}
{{ defenceline.cart_summary(cart_data) }}
{{ defenceline.manifesto(lang='en') }}
</section>
</body></html>"""


@pytest.fixture
def strict_shop(tmp_path: Path, clock: Clock) -> Iterator[str]:
    app = build_plugin_app(
        tmp_path, clock, DEFENCELINE_MANIFESTO=str(ROOT / "examples" / "demo-shop" / "manifesto")
    )
    cart = {"lines": [{"sku": "BELL-1", "quantity": 1}], "locale": "en"}

    @app.get("/product")
    def product() -> Response:
        html = render_template_string(WIDGETS_PAGE, cart=json.dumps(cart), cart_data=cart)
        response = Response(html, mimetype="text/html")
        response.headers["Content-Security-Policy"] = STRICT_CSP
        return response

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)  # so the console has no unrelated 404

    with serve(app) as url:
        yield url


WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + event.sample);
});
"""


@pytest.mark.browser
def test_every_widget_works_under_a_strict_content_security_policy(
    browser: Any, strict_shop: str
) -> None:
    context = browser.new_context(locale="en-US")
    context.add_init_script(WATCH_VIOLATIONS)  # injected by the browser, so CSP does not apply
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    try:
        page.goto(f"{strict_shop}/product")
        # Every web component rendered from the plugin's API and fragments.
        page.wait_for_selector("#stock .dl-stock--low_stock")
        page.wait_for_selector("#sold-out .dl-stock-alert button")  # the fetched form
        page.wait_for_selector("#delivery .dl-delivery--ok")
        page.wait_for_selector("#cart progress.dl-cart__progress")
        page.wait_for_selector("#manifesto section, #manifesto h2")
        # The free-shipping bar draws its value without any style attribute.
        value = page.eval_on_selector("#cart progress", "bar => bar.position")
        assert 0 < value < 1
        # The delivery van icon (a mask image) loaded from the plugin's own folder.
        mask = page.eval_on_selector(
            "#delivery .dl-delivery__icon",
            "icon => getComputedStyle(icon, '::before').maskImage",
        )
        assert "/defenceline/static/van.svg" in mask
        # The shopper picks another destination: the summary re-renders, still no violation.
        page.select_option("#cart [data-dl-country]", "BE")
        page.wait_for_selector('#cart .dl-cart[data-country="BE"]')
        assert page.locator(
            "#server .dl-delivery--no_restock_date, #server .dl-delivery--ok"
        ).count()
        page.wait_for_timeout(300)  # let late reports arrive
        violations = page.evaluate("window.__violations")
        assert violations == [], violations
        errors = [line for line in console if line.startswith(("error", "pageerror"))]
        assert errors == [], errors

        # The watcher itself works: an inline style is reported.
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')"
        )
        page.wait_for_function("window.__violations.length > 0")
        assert "style-src" in page.evaluate("window.__violations")[0]
    finally:
        context.close()
