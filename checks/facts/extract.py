"""Putting a page's facts together, each from the best source that states it.

Price: what a shopper reads next to the heading and buy button, confirmed by the markup's or
the platform's prices when they name one; without a visible price, the platform's selected
variant, else the markup. Currency: the symbol the shopper sees, made exact by the markup, the
platform or the shop's currency setting when the symbol is shared ("$", "kr"), else by the
page's territory. Availability: stated text first; then a buy control that says the product
cannot be bought now (disabled, "sold out", "notify me") or can be pre-ordered; then the
platform's and the markup's stock state; then an enabled add-to-cart button. Each fact records
its provenance.
"""

from __future__ import annotations

from decimal import Decimal

from bs4 import Tag

from defenceline.checks.amounts import symbol_allows, symbol_is_shared
from defenceline.checks.facts.availability import (
    button_availability,
    read_stated_stock,
)
from defenceline.checks.facts.buybox import read_visible_price
from defenceline.checks.facts.images import read_images
from defenceline.checks.facts.markup import markup_number, read_markup
from defenceline.checks.facts.model import Facts, Found
from defenceline.checks.facts.platform import analytics_currency, read_platform
from defenceline.checks.facts.provenance import (
    BANNER,
    BUY_BUTTON,
    PAGE,
    Provenance,
    platform_source,
)
from defenceline.checks.facts.text import read_delivery, read_returns, read_shipping
from defenceline.checks.page import Page
from defenceline.checks.structured import first_value

__all__ = ["extract_facts"]


def _where(page: Page, tag: Tag | None, source: str, text: str | None = None) -> Provenance:
    return Provenance(source, page.selector(tag) if tag is not None else None, text)


def _shown(page: Page, found: Found) -> Provenance:
    source = BANNER if found.in_chrome else found.source
    return _where(page, found.element, source, found.text)


def _platform_where(page: Page, facts: Facts) -> Provenance:
    return _where(page, facts.platform.element, platform_source(facts.platform.source))


def _markup_where(page: Page, facts: Facts) -> Provenance:
    return _where(page, facts.markup.element, facts.markup.source)


def _markup_return_days(page: Page) -> tuple[int, str] | None:
    for policy, source in page.structured.of_type_with_source("MerchantReturnPolicy"):
        days = markup_number(first_value(policy, "merchantReturnDays"))
        if days is not None and days > 0:
            return int(days), source
    return None


def _read_machine_facts(page: Page, facts: Facts) -> None:
    """What the structured data and the platform's page state say."""
    markup = read_markup(page)
    if markup is not None:
        facts.markup = markup
        if markup.name:
            facts.name = markup.name
            facts.note("name", _markup_where(page, facts))
    platform = read_platform(page)
    if platform is not None:
        facts.shop_currency = platform.shop_currency
        if platform.source != "shop":
            facts.platform = platform
            if facts.name is None and platform.name:
                facts.name = " ".join(platform.name.split())
                facts.note("name", _platform_where(page, facts))
    if facts.name is None and page.main_heading is not None:
        facts.name = page.text_of(page.main_heading)
        facts.note("name", _where(page, page.main_heading, PAGE))


def _machine_price(page: Page, facts: Facts) -> tuple[Decimal, Provenance] | None:
    if facts.platform.price is not None and facts.platform.source:
        return facts.platform.price, _platform_where(page, facts)
    if facts.markup.price is not None and facts.markup.source:
        return facts.markup.price, _markup_where(page, facts)
    return None


def _read_price(page: Page, facts: Facts, selector: str | None) -> None:
    known = set(facts.markup.prices) | set(facts.platform.prices)
    seen = read_visible_price(page, selector, known)
    symbol = ""
    visible_currency: str | None = None
    if seen is not None:
        facts.visible_price = seen.found
        value, visible_currency = seen.found.value
        symbol = facts.visible_symbol = seen.symbol
        facts.price = value
        facts.note("price", _shown(page, seen.found))
    else:
        machine = _machine_price(page, facts)
        if machine is not None:
            facts.price, provenance = machine
            facts.note("price", provenance)
    # The currency: the symbol the shopper sees, made exact by what the shop declares.
    declared = [
        (facts.platform.currency, "platform"),
        (facts.markup.currency, "markup"),
        (facts.shop_currency, "shop"),
    ]
    chosen: tuple[str, str] | None = None
    for currency, origin in declared:
        if currency and (not symbol or symbol_allows(symbol, currency)):
            chosen = (currency, origin)
            break
    if chosen is None and (not visible_currency or symbol_is_shared(symbol)):
        # Nothing declared fits and the symbol does not settle it ("$", "kr", or a bare
        # number): the currency the shop's own scripts name (analytics events, settings).
        named = analytics_currency(page)
        if named and (not symbol or symbol_allows(symbol, named)):
            chosen = (named, "shop")
    if chosen is None and visible_currency:
        chosen = (visible_currency, "page")
    if chosen is None:
        return
    facts.currency = chosen[0]
    if chosen[1] == "page" and seen is not None:
        facts.note("currency", _shown(page, seen.found))
    elif chosen[1] == "platform" and facts.platform.source:
        facts.note("currency", _platform_where(page, facts))
    elif chosen[1] == "markup" and facts.markup.source:
        facts.note("currency", _markup_where(page, facts))
    else:
        facts.note("currency", Provenance(platform_source("settings")))


def _read_availability(page: Page, facts: Facts, selector: str | None) -> None:
    machine = facts.platform.availability or facts.markup.availability
    machine_where = Provenance(facts.markup.source or "markup")
    if facts.platform.availability and facts.platform.source:
        machine_where = _platform_where(page, facts)
    elif facts.markup.source:
        machine_where = _markup_where(page, facts)
    stated = read_stated_stock(page, selector)
    if stated is not None:
        facts.visible_stock = stated
        term = str(stated.value)
        facts.availability = term  # what the page says, even where the markup says it finer
        facts.note("availability", _shown(page, stated))
        return
    button = button_availability(page)
    if button is not None and button.value != "InStock":
        facts.visible_stock = button  # "Sold out", a disabled button, "Pre-order"
        facts.availability = str(button.value)
        facts.note("availability", _where(page, button.element, BUY_BUTTON, button.text))
        return
    if machine:
        facts.availability = machine
        facts.note("availability", machine_where)
        if button is not None:
            facts.visible_stock = button
        return
    if button is not None:
        facts.visible_stock = button
        facts.availability = "InStock"
        facts.note("availability", _where(page, button.element, BUY_BUTTON, button.text))


def extract_facts(page: Page, selectors: dict[str, str | None] | None = None) -> Facts:
    """Read a page's facts (see the module docstring for the order of sources)."""
    chosen = selectors or {}
    facts = Facts()
    _read_machine_facts(page, facts)
    _read_price(page, facts, chosen.get("price"))
    _read_availability(page, facts, chosen.get("stock"))

    facts.delivery = read_delivery(page, chosen.get("delivery"))
    if facts.delivery is not None:
        facts.delivery_text = facts.delivery.text
        facts.note("delivery_text", _shown(page, facts.delivery))

    facts.shipping, facts.shipping_all = read_shipping(page, chosen.get("shipping"))
    if facts.shipping is not None:
        facts.shipping_text = facts.shipping.text
        facts.note("shipping_text", _shown(page, facts.shipping))

    facts.returns = read_returns(page, chosen.get("returns"))
    if facts.returns is not None and isinstance(facts.returns.value, int):
        facts.return_days = facts.returns.value
        facts.note("return_days", _shown(page, facts.returns))
    else:
        markup_days = _markup_return_days(page)
        if markup_days is not None:
            facts.return_days, source = markup_days
            facts.note("return_days", Provenance(source))

    read_images(page, facts, chosen)
    facts.image_count = max(len(facts.images), facts.markup.image_count)
    return facts
