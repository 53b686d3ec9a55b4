"""What kind of page this is: a product, a cart, a checkout, or something else.

The rules a page gets depend on its type, so the guess must hold on real shops: the path
("/cart", "/checkout"), the headings, the structured data, and the shape of the visible page
(a price after the main heading with a buy button is a product; many buy buttons and linked
product photos are a listing). `Page` holds what was read; this module only decides.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.amounts import find_amounts
from defenceline.checks.page import Block, Page

__all__ = ["PAGE_TYPES", "detect_type"]

PAGE_TYPES = ("product", "cart", "checkout", "other")

_CART_PATH = re.compile(
    r"(?:^|/)(?:cart|basket|bag|winkelwagen|winkelmand(?:je)?|warenkorb|panier|carrello|"
    r"carrito|cesta)(?:$|[/.?#])",
    re.IGNORECASE,
)
_CHECKOUT_PATH = re.compile(
    r"(?:^|/)(?:checkout|kassa|afrekenen|bestellen|kasse|commande|cassa|pago|onestepcheckout)"
    r"(?:$|[/.?#-])",
    re.IGNORECASE,
)
# A short block with one of these, or right after a label with one of these, is not the price.
_NOT_A_PRODUCT_PRICE = (
    lexicon.SHIPPING_ROW,
    lexicon.FEE_WORDS,
    lexicon.TOTAL,
    lexicon.RETURNS_KEYWORD,
)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|webp|avif|gif)(?:$|\?)", re.IGNORECASE)
_CHECKOUT_AUTOCOMPLETE = re.compile(
    r"street-address|address-line1|postal-code|cc-number|shipping|billing", re.IGNORECASE
)


class _Typing:
    """The evidence about one page's type, each piece computed once."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @cached_property
    def is_listing(self) -> bool:
        """Whether the page lists many products (a category or search page), not one."""
        if self._price_block_after_heading():
            # The heading's own price comes first (not the first card of a grid): one product,
            # whatever cross-sells, "bought together" buttons, related products with their own
            # add-to-cart buttons, or an ItemList of them follow it.
            return False
        if self.page.structured.of_type("ItemList"):
            return True
        buttons = 0
        for tag in self.page.elements("button", "input"):
            label = self.page.text_of(tag) or str(tag.get("value") or "")
            if label and len(label) < 60 and lexicon.BUY_BUTTON.search(label):
                buttons += 1
        if buttons > 2:
            return True
        prices = self.page.money_mark_count
        linked_images = 0
        for img in self.page.elements("img"):
            link: Any = img.parent
            for _ in range(4):
                if not isinstance(link, Tag) or link.name == "a":
                    break
                link = link.parent
            if (
                isinstance(link, Tag)
                and link.name == "a"
                and not _IMAGE_FILE.search(str(link.get("href") or ""))
            ):
                linked_images += 1  # a link to a page (a product card), not a zoom photo
        return prices >= 8 and linked_images >= 6

    def _blocks_after_heading(self, reach: int) -> list[Block]:
        """The blocks that start within `reach` characters after the main heading."""
        heading = self.page.main_heading
        span = self.page.span_of(heading) if heading is not None else None
        if span is None:
            return []
        blocks = self.page.blocks
        index = bisect.bisect_left([b.start for b in blocks], span[1])
        found: list[Block] = []
        while index < len(blocks) and blocks[index].start <= span[1] + reach:
            found.append(blocks[index])
            index += 1
        return found

    @cached_property
    def _sub_heading_starts(self) -> list[int]:
        """Where the h2-h4 headings that follow the main heading start (within 600 chars)."""
        heading = self.page.main_heading
        span = self.page.span_of(heading) if heading is not None else None
        if span is None:
            return []
        starts: list[int] = []
        for tag in self.page.elements("h2", "h3", "h4"):
            found = self.page.span_of(tag)
            if found is not None and span[1] <= found[0] <= span[1] + 600:
                if found[0] <= span[1] + 3 and found[1] - found[0] <= 40:
                    continue  # the brand or a subtitle right under the product's name
                if found[1] - found[0] <= 40 and find_amounts(
                    self.page.text[found[0] : found[1]], self.page.lang
                ):
                    continue  # the price set as a heading (OpenCart's <h2> price)
                starts.append(found[0])
        return starts

    def _price_block_after_heading(self) -> bool:
        return self._has_price_block_after_heading or self._priced_buy_box

    @cached_property
    def _priced_buy_box(self) -> bool:
        """The main buy button shortly after the heading, with a price between them that is
        not in a product card: one product's buy box, whatever the layout puts around it."""
        page = self.page
        heading, offset = page.main_heading, page.buy_offset
        span = page.span_of(heading) if heading is not None else None
        if span is None or offset is None or not span[1] <= offset <= span[1] + 2000:
            return False
        for block in page.money_blocks(max_length=80):
            if block.start < span[1] or block.start > offset:
                continue
            if find_amounts(block.text, page.lang) and not any(
                pattern.search(block.text) for pattern in _NOT_A_PRODUCT_PRICE
            ):
                return not page.in_product_card(page.element_at(block.start))
        return False

    @cached_property
    def _has_price_block_after_heading(self) -> bool:
        """A price shown on its own shortly after the main heading ("€ 49,95", "Nu € 9,95").

        A short block holding an amount, that is not a shipping cost, a fee or a total, and
        whose label cell (the block before it) is not one either: the way a product page shows
        its price, not the way a terms page or FAQ mentions amounts in running text — nor the
        first card of a product grid that follows a category heading.
        """
        previous = ""
        headings = self._sub_heading_starts
        for block in self._blocks_after_heading(600):
            text = block.text
            if any(start <= block.start for start in headings):
                return False  # another heading came first: a list of products follows
            if (
                len(text) <= 60
                and find_amounts(text, self.page.lang)
                and not any(
                    pattern.search(text) or (pattern.search(previous) and len(previous) <= 60)
                    for pattern in _NOT_A_PRODUCT_PRICE
                )
            ):
                return not self.page.in_product_card(self.page.element_at(block.start))
            previous = text
        return False

    def _stock_after_heading(self) -> bool:
        """A short stock statement shortly after the main heading ("Op voorraad")."""
        return any(
            len(block.text) <= 80 and pattern.search(block.text)
            for block in self._blocks_after_heading(800)
            for pattern, _ in lexicon.STOCK_PHRASES
        )

    def _price_after_heading(self) -> bool:
        """A price block after the main heading, with a buy button or a stock statement.

        A price alone is not enough (terms pages and FAQs name prices): the page must also
        offer the product (a buy button) or say whether it is in stock; and a product listing
        is not one product's page.
        """
        if not self._price_block_after_heading():
            return False
        if self.page.buy_button is None and not self._stock_after_heading():
            return False
        return not self.is_listing

    def page_type(self) -> str:
        """Product, cart, checkout or other, from the URL, the headings and the markup."""
        heading = self.page.text_of(self.page.main_heading) if self.page.main_heading else ""
        path = self.page.path
        label = f"{self.page.title} {heading}"
        inputs = self.page.elements("input")
        autocomplete = " ".join(str(i.get("autocomplete") or "") for i in inputs)
        text_inputs = [
            i
            for i in inputs
            if str(i.get("type", "text")).lower() in ("", "text", "email", "tel", "password")
        ]
        if (_CHECKOUT_PATH.search(path) or lexicon.CHECKOUT_HEADING.search(heading)) and (
            _CHECKOUT_AUTOCOMPLETE.search(autocomplete)
            or any(str(i.get("type", "")).lower() in ("email", "tel", "password") for i in inputs)
            or len(text_inputs) >= 3
        ):
            return "checkout"
        if _CART_PATH.search(path) or lexicon.CART_HEADING.search(heading):
            return "cart"
        structured = self.page.structured
        products = structured.of_type("Product", "ProductGroup")
        if len(products) == 1 and not structured.of_type("ItemList"):
            return "product"
        if self.is_listing:
            return "other"
        if products:
            return "product"
        og_type = (structured.og("og:type") or "").lower()
        if og_type.startswith("product") or og_type == "og:product":
            return "product"
        if self.page.main_heading is not None and lexicon.INFO_HEADING.search(heading):
            return "other"  # terms, privacy, contact, FAQ: amounts and buttons are examples
        if self.page.buy_button is not None and self.page.main_heading is not None:
            return "product"
        if self.page.main_heading is not None and self._price_after_heading():
            return "product"
        if lexicon.CART_TITLE.search(label) and lexicon.CHECKOUT_BUTTON.search(self.page.text):
            return "cart"
        if _CHECKOUT_AUTOCOMPLETE.search(autocomplete) and lexicon.CHECKOUT_TITLE.search(label):
            return "checkout"
        return "other"


def detect_type(page: Page) -> str:
    """Product, cart, checkout or other, from the URL, the headings and the markup."""
    return _Typing(page).page_type()
