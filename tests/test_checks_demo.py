"""The checker on the demo shop's own pages, as `/_checks` shows them.

The issue asks that the shop's own pages pass with no errors (product pages of every variant,
the cart with something in it, the checkout) and that the deliberately bad page shows the
dark-pattern rules — with the facts a shopper reads on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from defenceline.checks import Report, check_documents
from defenceline.demoshop import selfcheck
from defenceline.demoshop.app import create_app
from defenceline.plugin import state

from .conftest import TUESDAY_3PM


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    folder: Path = tmp_path_factory.mktemp("demo")
    return create_app(clock=lambda: TUESDAY_3PM, data_dir=folder, help_centre="off")


def _check(app: Flask, paths: list[str], cart_sku: str | None) -> Report:
    with app.test_request_context():
        documents = selfcheck._render(paths, cart_sku)
        return check_documents(documents, policy=state().policy)


def test_the_demo_shops_own_pages_get_no_errors(app: Flask) -> None:
    report = _check(app, selfcheck._own_pages(app), "BELL-CHR")
    types = {page.target.split("127.0.0.1")[1]: page.page_type for page in report.pages}
    assert types["/cart"] == "cart" and types["/checkout"] == "checkout"
    assert sum(kind == "product" for kind in types.values()) >= 12
    errors = [
        f"{page.target}: {finding.rule}: {finding.message}"
        for page in report.pages
        for finding in page.findings
        if finding.severity == "error"
    ]
    assert [page.error for page in report.pages if page.error] == []
    assert errors == []


def test_the_cart_summary_states_its_costs_as_the_policy_does(app: Flask) -> None:
    report = _check(app, [], "BELL-CHR")
    cart = next(page for page in report.pages if page.target.endswith("/cart"))
    assert cart.facts is not None
    assert cart.facts["shipping_text"] == "Verzending naar Nederland € 4,95"  # label and cell
    assert "policy-consistency" in cart.checked_rules
    assert not [f for f in cart.findings if f.rule == "policy-consistency"]


def test_the_bad_example_page_shows_its_tricks_and_its_real_price(app: Flask) -> None:
    report = _check(app, ["/slecht-voorbeeld"], None)
    page = report.pages[0]
    assert page.page_type == "product"
    assert page.facts is not None and page.facts["price"] == "9.95"
    reported = {f.rule for f in page.findings if f.severity == "error"}
    assert {
        "dark-countdown-timer",
        "dark-scarcity-claim",
        "dark-social-proof",
        "dark-preselected-addon",
        "dark-confirmshaming",
        "dark-hidden-costs",
    } <= reported


def test_information_pages_of_the_demo_are_not_product_pages(app: Flask) -> None:
    report = _check(app, ["/voorwaarden", "/over-ons"], None)
    assert [page.page_type for page in report.pages] == ["other", "other"]
