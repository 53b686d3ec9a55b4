"""The demo shop's own pages in a real Chromium under the demo's strict Content-Security-Policy:
no violation is reported, and what moved from inline scripts to static files still works (the
pickers, the cart's live re-pricing with its CSRF header, the checkout's inline validation)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from defenceline.demoshop.app import create_app
from defenceline.plugin import state
from defenceline.plugin.cart.tracking import CartRow

from .conftest import Clock, serve

pytestmark = pytest.mark.browser

# Installed before any page script: every CSP violation the page reports, with what was blocked.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} `
    + `(${event.sourceFile || document.location.pathname}:${event.lineNumber})`
  );
});
"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1000, "height": 700})
    context.add_init_script(RECORD_VIOLATIONS)
    opened = context.new_page()
    console: list[str] = []
    opened.on("console", lambda message: console.append(message.text))
    opened.console_messages = console
    yield opened
    context.close()


def violations(page: Any) -> list[str]:
    found = list(page.evaluate("window.__violations"))
    found += [m for m in page.console_messages if "Content Security Policy" in m]
    return found


def test_demo_pages_work_under_their_strict_csp_without_violations(
    page: Any, tmp_path: Path, clock: Clock
) -> None:
    app = create_app(clock=clock, data_dir=tmp_path, help_centre="off")
    seen: dict[str, list[str]] = {}
    with serve(app) as url:
        for path in ("/", "/over-ons", "/voorwaarden"):
            page.goto(url + path)
            seen[path] = violations(page)

        # A server-rendered product page: the picker submits its form from product.js.
        page.goto(f"{url}/product/fietsbel-klassiek?sku=BELL-CHR")
        with page.expect_navigation():
            page.select_option("#sku", "BELL-BLK")
        assert "sku=BELL-BLK" in page.url
        seen["product"] = violations(page)

        # The helmet's page: the web components follow the picker (product.js).
        page.goto(f"{url}/product/fietshelm-urban?sku=HELM-S")
        page.select_option("#sku", "HELM-L")
        page.wait_for_function("() => document.getElementById('cart-sku').value === 'HELM-L'")
        seen["helmet"] = violations(page)

        # The add-to-cart form carries its CSRF token; the cart re-prices with cart.js.
        page.goto(f"{url}/product/fietsbel-klassiek?sku=BELL-CHR")
        page.fill("#quantity", "2")
        page.click(".add-to-cart button")
        page.wait_for_url("**/cart")
        page.fill("#qty-BELL-CHR", "4")
        page.dispatch_event("#qty-BELL-CHR", "change")
        page.wait_for_function(
            "() => document.querySelector('dl-cart-summary .dl-cart__subtotal')"
            ".textContent.includes('51,80')"
        )
        seen["cart"] = violations(page)

        # The checkout validates inline (checkout.js) and keeps the address on the server.
        page.goto(f"{url}/checkout")
        page.fill("#email", "not-an-address")
        page.locator("#email").blur()
        page.wait_for_function("() => document.getElementById('email-error').textContent !== ''")
        assert "naam@voorbeeld.nl" in str(page.text_content("#email-error"))
        with page.expect_response(lambda r: r.url.endswith("/checkout/contact")) as kept:
            page.fill("#email", "cas@voorbeeld.nl")
            page.locator("#email").blur()
        assert kept.value.status == 204
        page.screenshot(path=str(tmp_path / "demo-checkout-csp.png"), full_page=True)
        # The order form posts with its token and passes the browser's own checks.
        for field, value in (("name", "Cas"), ("street", "Markt 2"), ("postcode", "3511 AB"),
                             ("city", "Utrecht")):  # fmt: skip
            page.fill(f"#{field}", value)
        page.check("input[name=payment_method][value=iDEAL]")
        with page.expect_navigation():
            page.click("#checkout-form button[type=submit]")
        assert "Bedankt voor je bestelling, Cas" in str(page.text_content("main h1"))
        seen["checkout"] = violations(page)

    reported = "\n".join(f"{where}: {v}" for where, found in seen.items() for v in found)
    assert not reported, reported
    with app.app_context(), state().storage.sessions()() as session:
        emails = [row.email for row in session.query(CartRow).all()]
    assert emails == ["cas@voorbeeld.nl"]
