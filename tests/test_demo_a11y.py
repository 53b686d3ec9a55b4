"""The demo shop's own pages pass axe-core's WCAG 2.0/2.1 A and AA rules, and a shopper
completes the product page, the "email me" form and the cart with the keyboard alone.

Every page of the demo (home, about, terms, product pages in every stock state, server-rendered
and with the web components, cart, checkout with and without errors, the order confirmation,
the "form expired" page, the self-check, the outbox viewer, and the bad example, whose dark
patterns are the point but whose markup still serves every shopper) is audited in Chromium; the
result of the last run is written to ``build/a11y/demo-axe.json`` (docs/plugin.md,
"Accessibility").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from defenceline.demoshop.app import create_app
from defenceline.helpcentre.audit import PageAudit, audit_page, explain, write_report

from .conftest import Clock, serve
from .test_plugin_a11y import assert_focus_ring, tab_to

pytestmark = pytest.mark.browser

REPORT = Path("build") / "a11y" / "demo-axe.json"

# Server-rendered (JavaScript-free) product pages in each stock state, by URL path.
PRODUCT_PAGES = {
    "product, in stock": "/product/fietsbel-klassiek?sku=BELL-CHR",
    "product, low stock": "/product/fietsbel-klassiek?sku=BELL-BLK",
    "product, out of stock with a date": "/product/led-achterlicht",
    "product, out of stock": "/product/spatbordset",
    "product, pre-order": "/product/fietskaart-nederland",
}

_audits: list[PageAudit] = []


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    if _audits:
        write_report(_audits, REPORT)


@pytest.fixture
def shop_url(tmp_path: Path, clock: Clock) -> Iterator[str]:
    app = create_app(clock=clock, data_dir=tmp_path, help_centre="off")
    with serve(app) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="nl-NL", viewport={"width": 1000, "height": 800})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def test_home_page_names_each_product_once(page: Any, shop_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    page.goto(shop_url + "/")
    cards = page.locator(".grid .card a")
    assert cards.count() >= 15
    # The link's text names the product; its photo adds nothing a screen reader should repeat.
    for index in range(cards.count()):
        card = cards.nth(index)
        assert card.locator("img").get_attribute("alt") == ""
        assert card.locator(".name").inner_text().strip()
    # axe files the repetition under best practice (image-redundant-alt): none is left.
    result = Axe().run(page, options={"runOnly": ["image-redundant-alt", "image-alt"]})
    assert result.response["violations"] == []


def test_every_demo_page_has_no_wcag_violation(page: Any, shop_url: str) -> None:
    failing = []

    def audit(name: str) -> None:
        result = audit_page(page, name, language="nl")
        _audits.append(result)
        if result.violations:
            failing.append(explain(result))

    for name, path in {
        "home": "/",
        "about": "/over-ons",
        "terms": "/voorwaarden",
        **PRODUCT_PAGES,
        "bad example": "/slecht-voorbeeld",
        "self-check": "/_checks",
    }.items():
        page.goto(shop_url + path)
        audit(name)

    # The web components' product page, out of stock: the "email me" form is showing.
    page.goto(f"{shop_url}/product/fietshelm-urban?sku=HELM-L")
    page.wait_for_selector("#stock .dl-stock-alert")
    page.wait_for_selector("#delivery .dl-delivery")
    audit("product with web components, out of stock, alert form")

    # The cart with its live summary, then the checkout with errors, then the order.
    page.goto(f"{shop_url}/product/fietsbel-klassiek?sku=BELL-CHR")
    page.click(".add-to-cart button")
    page.wait_for_url("**/cart")
    page.wait_for_selector("dl-cart-summary select[data-dl-country]")
    audit("cart")
    page.goto(f"{shop_url}/checkout")
    audit("checkout")
    page.click("form.checkout button[type=submit], main form button[type=submit] >> nth=-1")
    page.wait_for_selector("[aria-invalid=true]")
    audit("checkout with errors")
    address = {"name": "Noa de Vries", "email": "noa@voorbeeld.nl", "street": "Kerkstraat 1",
               "postcode": "1234 AB", "city": "Utrecht"}  # fmt: skip
    for field, value in address.items():
        page.fill(f"#{field}", value)
    page.check("input[name=payment_method] >> nth=0")
    with page.expect_navigation():
        page.click("#checkout-form button[type=submit]")
    page.wait_for_selector("h1")
    audit("order placed")
    # A form sent with an expired CSRF token: the page that says so.
    page.goto(f"{shop_url}/product/fietsbel-klassiek?sku=BELL-CHR")
    page.evaluate("document.querySelector('.add-to-cart [name=csrf_token]').value = 'stale'")
    with page.expect_navigation():
        page.evaluate("document.querySelector('.add-to-cart').submit()")
    assert page.locator("h1").count() == 1
    audit("form expired")
    # The outbox viewer (the demo's own admin page), with the cart's confirmation email in it.
    page.goto(f"{shop_url}/product/fietshelm-urban?sku=HELM-L")
    page.fill("#stock .dl-stock-alert input[name=email]", "cas@voorbeeld.nl")
    page.check("#stock .dl-stock-alert input[name=consent]")
    page.click("#stock .dl-stock-alert button")
    page.wait_for_function("() => document.querySelector('.dl-stock-alert__status').textContent")
    page.goto(f"{shop_url}/_outbox")
    audit("outbox viewer")
    page.click("table a >> nth=0")
    page.wait_for_selector("iframe")
    audit("outbox viewer, one message")
    assert not failing, "\n".join(failing)


def test_shopper_buys_and_asks_for_an_alert_with_the_keyboard_alone(
    page: Any, shop_url: str
) -> None:
    # A server-rendered product page: arrow keys choose a colour without reloading under the
    # shopper; Enter shows it, and the focus is back on the picker.
    page.goto(f"{shop_url}/product/fietsbel-klassiek?sku=BELL-CHR")
    tab_to(page, "#sku")
    assert_focus_ring(page, "select")
    page.keyboard.press("ArrowUp")  # black is listed first
    assert page.input_value("#sku") == "BELL-BLK" and "BELL-CHR" in page.url
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "sku=BELL-BLK" in page.url
    page.wait_for_function("() => document.activeElement.id === 'sku'")

    # The helmet's page (web components): the variant picker, then the "email me" form.
    page.goto(f"{shop_url}/product/fietshelm-urban?sku=HELM-M")
    page.wait_for_selector("#stock .dl-stock:not(.dl-stock--out_of_stock)")
    tab_to(page, "#sku")
    page.keyboard.press("ArrowUp")  # size L (listed first): out of stock
    page.wait_for_selector("#stock .dl-stock-alert")
    assert page.evaluate("document.activeElement.id") == "sku"  # the form did not take it
    tab_to(page, "#stock .dl-stock-alert input[name=email]")
    assert_focus_ring(page, "input")
    page.keyboard.type("cas@voorbeeld.nl")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.is_checked("#stock .dl-stock-alert input[name=consent]")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#stock .dl-stock-alert__status').textContent"
    )
    # Back to size M, and into the cart: quantity 2, Enter on the button.
    tab_to(page, "#sku", key="Shift+Tab")
    page.keyboard.press("ArrowDown")
    page.wait_for_selector("#stock .dl-stock:not(.dl-stock--out_of_stock)")
    tab_to(page, "#quantity")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    tab_to(page, ".add-to-cart button")
    assert_focus_ring(page, "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/cart")
    assert page.input_value("#qty-HELM-M") == "2"

    # The cart summary's pickers: destination and payment method by arrow keys.
    summary = "dl-cart-summary"
    page.wait_for_selector(f"{summary} select[data-dl-country]")
    tab_to(page, f"{summary} select[data-dl-country]")
    before = page.inner_text(f"{summary} .dl-cart__costs")
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "(t) => document.querySelector('dl-cart-summary .dl-cart__costs').innerText !== t",
        arg=before,
    )
    assert page.evaluate("document.activeElement.hasAttribute('data-dl-country')")
    tab_to(page, f"{summary} select[data-dl-payment]")
    page.keyboard.press("ArrowDown")
    page.wait_for_selector(f"{summary} .dl-cart__surcharge, {summary} .dl-cart__costs")
    assert page.evaluate("document.activeElement.hasAttribute('data-dl-payment')")
    # The choices were kept by the shop: a reload shows them.
    country = page.input_value(f"{summary} select[data-dl-country]")
    page.wait_for_timeout(300)
    page.reload()
    page.wait_for_selector(f"{summary} select[data-dl-country]")
    assert page.input_value(f"{summary} select[data-dl-country]") == country != "NL"


def test_demo_pages_reflow_at_320_css_px_without_scrolling_sideways(
    page: Any, shop_url: str
) -> None:
    # WCAG 1.4.10: 320 CSS px is a 1280 px window at 400% zoom.
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(f"{shop_url}/product/fietsbel-klassiek?sku=BELL-CHR")
    page.click(".add-to-cart button")
    page.wait_for_url("**/cart")
    for path in ("/", "/over-ons", "/voorwaarden", "/product/fietshelm-urban?sku=HELM-L",
                 "/product/fietsbel-klassiek", "/cart", "/checkout"):  # fmt: skip
        page.goto(shop_url + path)
        page.wait_for_load_state("networkidle")
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll("body *"))
                .filter((n) => n.offsetParent && n.getBoundingClientRect().right > innerWidth + 1)
                .slice(0, 5).map((n) => `${n.localName}.${n.className}`)"""
        )
        assert wide == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    # In the cart's narrow summary the unit price stands under the item, not in a column.
    assert page.locator(".dl-cart__unit").first.is_visible()
    assert page.locator("td.dl-cart__unit-price").first.is_hidden()
