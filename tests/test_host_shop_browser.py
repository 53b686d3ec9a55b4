"""The widgets inside the example host shop's Bootstrap-like page, in a real Chromium: the
host's global resets (`appearance: none` and zero size on every checkbox, unstyled buttons)
must not break the consent checkbox, and the theming hooks take the host's design tokens."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from .conftest import serve
from .test_host_shop import hostshop, shop, smtp

__all__ = ["hostshop", "shop", "smtp"]

pytestmark = pytest.mark.browser


def test_consent_checkbox_stays_visible_and_at_least_16_px_under_the_hosts_reset(
    browser: Any, shop: Flask
) -> None:
    with serve(shop) as base:
        page = browser.new_page()
        try:
            page.goto(f"{base}/products/3", wait_until="load")  # USB light: sold out
            box = page.locator("form.dl-stock-alert input.dl-checkbox[name=consent]")
            box.wait_for(state="visible", timeout=10_000)
            size = box.bounding_box()
            assert size is not None
            assert size["width"] >= 16 and size["height"] >= 16, size
            assert box.evaluate("el => getComputedStyle(el).appearance") != "none"
            assert box.evaluate("el => getComputedStyle(el).opacity") == "1"
            # The host's reset really is on the page: its own checkboxes are 0 px.
            host_box = page.evaluate(
                """() => { const i = document.createElement('input'); i.type = 'checkbox';
                document.body.append(i); return i.getBoundingClientRect().width; }"""
            )
            assert host_box == 0
            assert not box.is_checked()  # never pre-ticked
            box.check()
            assert box.is_checked()
        finally:
            page.close()


def test_buttons_and_inputs_take_the_hosts_design_tokens(browser: Any, shop: Flask) -> None:
    with serve(shop) as base:
        page = browser.new_page()
        try:
            page.goto(f"{base}/products/3", wait_until="load")
            button = page.locator(".dl-stock-alert .dl-button")
            button.wait_for(state="visible", timeout=10_000)
            style = button.evaluate(
                "el => { const s = getComputedStyle(el); return [s.backgroundColor, s.color,"
                " s.borderTopLeftRadius, s.borderTopWidth]; }"
            )
            assert style == ["rgb(13, 110, 253)", "rgb(255, 255, 255)", "6px", "1px"]
            email = page.locator(".dl-stock-alert .dl-input[type=email]")
            assert email.evaluate("el => getComputedStyle(el).borderTopWidth") == "1px"
            height = email.bounding_box()
            assert height is not None and height["height"] >= 24
        finally:
            page.close()


def test_the_server_rendered_alert_form_asks_for_a_confirmation(browser: Any, shop: Flask) -> None:
    from sqlalchemy import select

    from defenceline.plugin import state
    from defenceline.plugin.emails.alerts import StockSubscriptionRow

    with serve(shop) as base:
        page = browser.new_page(locale="en-GB")
        try:
            page.goto(f"{base}/products/3", wait_until="load")
            form = page.locator("form.dl-stock-alert")
            assert form.locator("xpath=ancestor::dl-stock").count() == 0  # no web component
            form.locator("input[type=email]").fill("joris@fietsers.nl")
            form.locator("input.dl-checkbox").check()
            form.locator("button").click()
            status = form.locator(".dl-stock-alert__status")
            status.filter(has_text="Thank you").wait_for(timeout=10_000)
        finally:
            page.close()
    with shop.app_context(), state().storage.sessions()() as session:
        [row] = session.scalars(select(StockSubscriptionRow)).all()
        assert row.sku == "LIGHT-USB" and row.status == "pending"


def test_the_cart_summary_component_renders_under_the_hosts_csrf_protection(
    browser: Any, shop: Flask
) -> None:
    with serve(shop) as base:
        page = browser.new_page(locale="en-GB")
        try:
            page.goto(f"{base}/cart", wait_until="load")
            # What a shop with a script-driven cart writes: the component posts JSON, no token.
            page.evaluate(
                """() => { const el = document.createElement('dl-cart-summary');
                el.setAttribute('lines', 'hidden');
                el.cart = {lines: [{sku: 'CHAIN-11', quantity: 2}], country: 'NL'};
                document.querySelector('main').append(el); }"""
            )
            total = page.locator("dl-cart-summary .dl-cart__total")
            total.wait_for(timeout=10_000)
            assert total.inner_text().strip() == "€69.90"  # the host's locale: English
            assert page.locator("dl-cart-summary .dl-cart__lines").count() == 0
        finally:
            page.close()
