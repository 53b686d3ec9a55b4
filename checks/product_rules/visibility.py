"""What a shopper must see on the product page before buying: the price, the shipping cost,
the delivery time, whether it is in stock, and the return policy."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from defenceline.checks import lexicon
from defenceline.checks.facts import (
    states_cost,
)
from defenceline.checks.facts.provenance import BUY_BUTTON
from defenceline.checks.product_rules.evidence import heading_or_button, links_in
from defenceline.checks.registry import Context, Hit, register

__all__: list[str] = []


@register("price-visible")
def price_visible(ctx: Context) -> Iterator[Hit]:
    if ctx.facts.visible_price is not None:
        return
    extra = ""
    if ctx.facts.markup.price is not None:
        extra = f" (the structured data says {ctx.facts.markup.price}, the shopper sees none)"
    yield Hit(f"no price is visible near the buy button{extra}", heading_or_button(ctx))


@register("shipping-cost-visible")
def shipping_cost_visible(ctx: Context) -> Iterator[Hit]:
    found = ctx.facts.shipping_all
    on_page = [f for f in found if not f.in_chrome and states_cost(f.text)]
    if on_page:
        return
    later = next(
        (f for f in found if not f.in_chrome and lexicon.SHIPPING_LATER.search(f.text)), None
    )
    if later is not None:
        yield Hit(
            "the shipping cost is only revealed at checkout",
            later.element,
            snippet=later.text,
        )
        return
    in_banner = [f for f in found if f.in_chrome and states_cost(f.text)]
    if in_banner:
        yield Hit(
            "the shipping cost appears only in a site-wide banner; state it on the product "
            "page near the price",
            in_banner[0].element,
            snippet=in_banner[0].text,
            severity="warning",
        )
        return
    yield Hit(
        "no shipping cost is stated on the page", ctx.page.buy_button or heading_or_button(ctx)
    )


@register("delivery-time-visible")
def delivery_time_visible(ctx: Context) -> Iterator[Hit]:
    delivery = ctx.facts.delivery
    stock = ctx.facts.visible_stock
    if delivery is None and stock is not None and stock.value in ("OutOfStock", "SoldOut"):
        yield Hit(
            "the product is out of stock and no delivery time is given; state an expected "
            "restock or delivery date if there is one",
            stock.element,
            severity="info",
        )
    elif delivery is None:
        yield Hit(
            "no delivery time is stated on the page",
            ctx.page.buy_button or heading_or_button(ctx),
        )
    elif delivery.in_chrome:
        yield Hit(
            "the delivery time appears only in a site-wide banner; state it for this product",
            delivery.element,
            snippet=delivery.text,
            severity="warning",
        )


@register("stock-visible")
def stock_visible(ctx: Context) -> Iterator[Hit]:
    stock = ctx.facts.visible_stock
    if stock is not None and stock.source != BUY_BUTTON:
        return
    if stock is not None and stock.value != "InStock":
        # "Sold out" on the button, or a disabled one: the shopper sees it, but only there.
        yield Hit(
            f"the page does not say in words whether the product is in stock; only the buy "
            f"button shows it ({stock.value})",
            stock.element,
            snippet=stock.text,
            severity="warning",
        )
        return
    extra = ""
    if ctx.facts.markup.availability:
        extra = f" (the structured data says {ctx.facts.markup.availability})"
    elif stock is not None:
        extra = " (only an enabled add-to-cart button suggests it can be bought)"
    yield Hit(
        f"the page does not say whether the product is in stock{extra}", heading_or_button(ctx)
    )


_RETURNS_HREF = (
    *("retour", "return", "rückgabe", "ruckgabe", "ruecksendung", "widerruf", "remboursement"),
    *("reso", "resi", "devoluci", "refund"),
)


@register("returns-visible")
def returns_visible(ctx: Context) -> Iterator[Hit]:
    if ctx.facts.returns is not None:
        return
    by_href = ctx.page.links_with_href(_RETURNS_HREF)
    by_text = (
        link
        for _match, block in ctx.page.iter_matches(lexicon.RETURNS_KEYWORD)
        for link in links_in(ctx, block)
        if lexicon.RETURNS_KEYWORD.search(ctx.page.text_of(link))
    )
    for link in itertools.chain(by_href, by_text):
        if ctx.page.text_of(link):
            yield Hit(
                "the return policy is only linked; state the return window on the page",
                link,
                severity="info",
            )
            return
    yield Hit("no return policy is stated or linked on the page", heading_or_button(ctx))
