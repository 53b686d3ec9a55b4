"""The checker follows `vat.at_checkout` (taxes computed by the checkout, US sales tax): on such
a shop's cart it asks for "tax calculated at checkout", not whether prices include VAT. The
cart page checked is the plugin's own cart summary for that policy."""

from __future__ import annotations

from pathlib import Path

from defenceline import Policy
from defenceline.checks import RULES, CheckConfig, check_html
from defenceline.policyfile import load_policy

from .conftest import Clock, build_plugin_app
from .test_taxes_at_checkout import US_SHOP

ONLY_COSTS = CheckConfig(rules={rule: "off" for rule in RULES if rule != "cart-all-costs"})


def page(body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cart</title></head>'
        f"<body><main><h1>Your cart</h1>{body}</main></body></html>"
    )


def us_policy(folder: Path) -> Path:
    # The US policy, shipping to the demo catalogue's weights: one zone, a flat rate.
    path = folder / "store.toml"
    path.write_text(US_SHOP, encoding="utf-8")
    return path


def messages(html: str, policy: Policy | None) -> list[str]:
    report = check_html(html, "cart.html", ONLY_COSTS, policy, "cart")
    assert report.error is None
    return [f"{f.severity}: {f.message}" for f in report.findings if f.rule == "cart-all-costs"]


def test_the_plugins_cart_summary_for_a_checkout_tax_shop_passes(
    tmp_path: Path, clock: Clock
) -> None:
    path = us_policy(tmp_path)
    app = build_plugin_app(tmp_path, clock, DEFENCELINE_POLICY=str(path))
    summary = app.test_client().get("/defenceline/fragments/cart-summary?line=LAMP-1:1&lang=en")
    assert summary.status_code == 200
    assert messages(page(summary.get_data(as_text=True)), load_policy(path)) == []


def test_a_checkout_tax_cart_that_says_nothing_of_tax_is_told_what_to_say(
    tmp_path: Path,
) -> None:
    body = "<table><tr><td>Tent</td><td>$40.00</td></tr><tr><td>Shipping</td><td>$7.50</td>"
    body += "</tr><tr><td>Total</td><td>$47.50</td></tr></table>"
    found = messages(page(body), load_policy(us_policy(tmp_path)))
    assert found == ["warning: the cart does not say that tax is calculated at checkout"]


def test_an_eu_cart_still_has_to_say_whether_prices_include_vat(demo_policy: Policy) -> None:
    body = "<table><tr><td>Tent</td><td>€ 40,00</td></tr><tr><td>Shipping</td><td>€ 4,95</td>"
    body += "</tr><tr><td>Total</td><td>€ 44,95</td></tr></table><p>Tax calculated at checkout</p>"
    assert messages(page(body), demo_policy) == [
        "warning: the cart does not say whether prices include VAT"
    ]
