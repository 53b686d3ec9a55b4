"""One page, parsed once: the tree, the text a shopper sees, and where each piece of it lives.

`Page` parses the HTML with lxml into a BeautifulSoup tree (`treebuilder`) and then walks the
tree exactly once, collecting what every rule needs: the visible text (script, style, template
and hidden elements left out) as one string with a block break between paragraphs, the element
that owns each piece of that text, elements by tag name, comments, and the raw material for
structured data. Rules then search that text with regular expressions (fast, in C) and map a
match back to its element for evidence, instead of walking the tree again.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import soupsieve
from bs4 import Tag
from bs4.element import (
    CData,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    ProcessingInstruction,
)

from defenceline.checks import lexicon
from defenceline.checks.structured import StructuredData, extract_structured
from defenceline.checks.textindex import WordIndex, pattern_has_anchors, pattern_triggers
from defenceline.checks.treebuilder import parse_html

__all__ = ["Block", "Page", "ancestors", "class_text"]

_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "option",
        "button",
        "label",
        "caption",
        "legend",
        "body",
        "html",
    ]
)
_NO_TEXT = frozenset(
    [
        "script",
        "style",
        "template",
        "noscript",
        "head",
        "title",
        "svg",
        "iframe",
        "object",
        "select",
        "textarea",
        "math",
        "canvas",
        "datalist",
    ]
)
_HIDDEN_CLASSES = frozenset(
    [
        "hidden",
        "d-none",
        "is-hidden",
        "visually-hidden",
        "sr-only",
        "screen-reader-text",
        "hide",
        "invisible",
        "u-hidden",
        "hidden-xs-up",
        "display-none",
    ]
)
# Never visible and nothing inside them that a rule reads: the walk skips their subtrees.
_SKIP_SUBTREE = frozenset(["script", "style", "template", "svg", "math"])
# "d-none d-lg-block" (Bootstrap), "hidden lg:flex" (Tailwind): hidden on phones, shown on a
# desktop — visible to most shoppers who compare products.
_SHOWN_FROM_BREAKPOINT = re.compile(
    r"\bd-(?:sm|md|lg|xl|xxl)-(?:block|flex|inline|inline-block|inline-flex|grid|table)\b|"
    r"(?:^|\s)(?:sm|md|lg|xl|2xl):(?:block|flex|inline|inline-block|inline-flex|grid|table)\b"
)
_TAB_PANEL = re.compile(r"tab-?pane|tabs?-?panel|wc-tab\b|tab-content", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# Every character str.split() splits on becomes a plain space (no-break spaces included), so
# the text reads "€ 24,95" however the page spaced it.
_WHITESPACE = {code: " " for code in range(0x3000 + 1) if chr(code).isspace()}
_SPACES = re.compile(" {2,}")
# What a product card holds besides its price: a link to the product, or its photo.
_CARD_PARTS = ("a", "img", "picture")
# How themes mark the product's title when it is not an h1 ("product-title", "product_name").
_PRODUCT_TITLE_MARK = re.compile(r"product[-_ ]?(?:title|name)\b|\bname\b", re.IGNORECASE)
_SKIPPED_STRINGS = (Comment, Doctype, Declaration, ProcessingInstruction, CData)
_CHROME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:header|footer|topbar|top-bar|usp|usps|announcement|promo-?bar|site-?wide|"
    r"navbar|nav|menu|megamenu|banner|notice-bar|marquee|ticker)(?:$|[\s_-])",
    re.IGNORECASE,
)
# Platforms' add-to-cart controls: Shopify (name="add", product-form__submit), Magento (tocart),
# Shopware (btn-buy), Wix (data-hook="add-to-cart"), WooCommerce (single_add_to_cart_button).
_BUY_ATTR = re.compile(
    r"add[-_]?to[-_]?(?:cart|bag|basket)|addtocart|buy[-_]?(?:now|button)|cart[-_]?add|"
    r"add-product-button|"  # Medusa's starter: data-testid="add-product-button"
    r"winkelwagen|warenkorb|panier|carrello|carrito|product-form__submit|\btocart\b|"
    r"\bbtn-buy\b|^add\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\d\s*:\s*\d\d")
_CURRENCY_CODES = (
    *("EUR", "GBP", "USD", "CHF", "SEK", "DKK", "NOK", "PLN", "CZK", "HUF", "RON", "BGN"),
    *("AUD", "CAD", "NZD", "JPY", "CNY", "INR", "ILS", "RUB", "KRW", "BRL", "MXN", "ZAR"),
    *("AED", "SAR", "QAR", "KWD", "EGP", "IDR", "MYR", "TRY", "UAH", "HKD", "SGD", "TWD"),
    *("kr", "zł", "Kč", "Ft", "lei", "Rs", "руб", "лв", "грн", "euro", "euros", "Rp", "RM"),
    *("Fr", "KZT", "PEN", "UYU", "NGN", "KES", "GEL", "CLP", "COP", "ARS", "R"),
)
# (the last, "إ", ends the dirham's "د.إ"; on Arabic pages it also starts words, which only
# makes more blocks worth a look)
_SYMBOL_CHARS = "€£$¥₹₺₪₽₸₾₼₦৳₩₴₫฿₱￥円元원﷼إ"
_CURRENCY_HINT = re.compile(rf"[{_SYMBOL_CHARS}]|\b(?:{'|'.join(_CURRENCY_CODES)})\b")
# The same, in two parts that are quick to find: symbols by one scan of the text (a character
# class is searched in C without trying alternatives at every position), codes by the words.
_CURRENCY_SYMBOL = re.compile(rf"[{_SYMBOL_CHARS}]")
_CURRENCY_CODE = re.compile(rf"\b(?:{'|'.join(_CURRENCY_CODES)})\b")
_CURRENCY_CODE_WORDS = frozenset(code.lower() for code in _CURRENCY_CODES)


def _hidden_by_attributes(attrs: dict[str, Any]) -> bool:
    """Whether an element's attributes hide it: `hidden`, a hiding class, display:none.

    A tab panel is not hidden: its text is one click away ("Specificaties", "Extra
    informatie"), and shops put specifications, delivery and returns there.
    """
    classes = attrs.get("class")
    if attrs.get("role") == "tabpanel" or (
        classes and (_TAB_PANEL.search(str(classes)) or _SHOWN_FROM_BREAKPOINT.search(str(classes)))
    ):
        return False
    if "hidden" in attrs:
        return True
    if classes:
        text = classes if classes.__class__ is str else " ".join(classes)
        if (
            "hid" in text or "only" in text or "invis" in text or "reader" in text or "none" in text
        ) and not _HIDDEN_CLASSES.isdisjoint(text.split()):
            return True
    style = attrs.get("style")
    return bool(style) and _HIDDEN_STYLE.search(str(style)) is not None


_CENTS_CLASS = re.compile(r"cent|decimal|fraction|\bdec\b|minor", re.IGNORECASE)


def _is_cents(tag: Tag) -> bool:
    """Whether `tag` holds the cents of a price split over elements (<sup>, class "cents")."""
    if tag.name == "sup":
        return True
    classes = tag.get("class")
    return bool(classes) and _CENTS_CLASS.search(str(classes)) is not None


def _first_class(tag: Tag) -> str:
    classes = tag.get("class")
    if isinstance(classes, list):
        return classes[0] if classes else ""
    return str(classes or "").split(" ", 1)[0]


def class_text(tag: Tag) -> str:
    """The element's class attribute as one string ("" when it has none).

    The page is parsed without splitting class attributes into lists (that costs a fifth of
    the parse and no rule needs the list), but a tag built elsewhere may still carry a list.
    """
    value = tag.get("class")
    if not value:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def ancestors(tag: Tag, levels: int) -> Iterator[Tag]:
    """`tag` and its ancestors, at most `levels` of them in all, nearest first."""
    node: Any = tag
    for _ in range(levels):
        if not isinstance(node, Tag):
            return
        yield node
        node = node.parent


def _last_descendant(tag: Tag) -> Any:
    """The last node inside `tag` in document order (the tag itself when it is empty)."""
    node: Any = tag
    while isinstance(node, Tag) and node.contents:
        node = node.contents[-1]
    return node


def _after(tag: Tag) -> Any:
    """The first node after `tag`'s subtree in document order (None at the end)."""
    return _last_descendant(tag).next_element


@dataclass(frozen=True, slots=True)
class Block:
    """One block of visible text (a paragraph, cell, list item...) and where it starts."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


class Page:
    """A parsed page and everything the rules read from it.

    `target` names the page in reports (a path or URL); `url` is used for the page's path
    (page-type hints, relative links). Build it with `Page(html, target)`; parsing happens
    here and nowhere else.
    """

    def __init__(self, html: str, target: str, url: str | None = None) -> None:
        self.target = target
        self.url = url or target
        self.source = html
        # One parse, with lxml into a BeautifulSoup tree; class attributes stay strings (see
        # `class_text`).
        self.soup = parse_html(html)
        self.by_name: dict[str, list[Tag]] = {}
        self.comments: list[str] = []
        self.hidden: set[int] = set()
        self.id_counts: dict[str, int] = {}
        self._by_id: dict[str, Tag] = {}
        self.item_scopes: list[Tag] = []
        self.item_props: list[Tag] = []
        # Elements that act as buttons without being one (<div role="button">: Squarespace).
        self.role_buttons: list[Tag] = []
        # The first element typed as a product or offer in RDFa, which only extruct reads
        # (RDFa breadcrumbs and the like are left alone: pyRdfa is slow).
        self.rdfa_root: Tag | None = None
        self._starts: list[int] = []
        self._owners: list[Tag] = []
        self._spans: dict[int, tuple[int, int] | None] = {}
        self._chunk_of: dict[int, int] = {}
        self._order: dict[int, int] = {}
        self._ends: list[int] = []
        self._chrome: dict[int, bool] = {}
        self._elements: dict[tuple[str, ...], list[Tag]] = {}
        self.text = self._walk()

    # --- the one walk ----------------------------------------------------------------------

    def _walk(self) -> str:
        """Visit every node once, in document order, following bs4's `next_element` links.

        Scripts, styles, templates, SVG and MathML never show text and hold nothing a rule
        reads inside them: their tag is collected and the walk jumps past their subtree in one
        step. Another hidden element (`hidden`, display:none, noscript...) is remembered with
        the node that follows its subtree; until that node comes, strings are not visible
        text, but tags are still collected (JSON-LD in <head>, checkboxes in a closed dialog).
        Whitespace is collapsed as a browser does, so a block of text is one line of `text`.
        """
        parts: list[str] = []
        starts, owners, chunk_of, ends = self._starts, self._owners, self._chunk_of, self._ends
        by_name, hidden_ids, id_counts, order, by_id = (
            self.by_name,
            self.hidden,
            self.id_counts,
            self._order,
            self._by_id,
        )
        item_scopes, item_props, comments = self.item_scopes, self.item_props, self.comments
        block_of: dict[int, Any] = {}
        count = 0
        position = 0
        last_char = "\n"
        previous_block: Any = None
        pending_break = False
        hidden_until: Any = None  # the first node after the hidden subtree we are in
        node: Any = self.soup.contents[0] if self.soup.contents else None
        parent: Any
        while node is not None:
            if node is hidden_until:
                hidden_until = None
            cls = node.__class__
            if cls is Tag or (cls is not NavigableString and isinstance(node, Tag)):
                name = node.name
                attrs = node.attrs
                order[id(node)] = count
                count += 1
                found = by_name.get(name)
                if found is None:
                    by_name[name] = [node]
                else:
                    found.append(node)
                hides = False
                if attrs:
                    ident = attrs.get("id")
                    if ident.__class__ is str and ident:
                        seen_ids = id_counts.get(ident, 0)
                        id_counts[ident] = seen_ids + 1
                        if not seen_ids:
                            by_id[ident] = node
                    if "itemscope" in attrs:
                        item_scopes.append(node)
                    if "itemprop" in attrs:
                        item_props.append(node)
                    if "typeof" in attrs and self.rdfa_root is None:
                        typeof = str(attrs["typeof"]).lower()
                        if "product" in typeof or "offer" in typeof:
                            self.rdfa_root = node
                    if attrs.get("role") == "button" and name != "button":
                        self.role_buttons.append(node)
                    classes = attrs.get("class")
                    hides = (
                        "hidden" in attrs
                        or "style" in attrs
                        or (
                            classes is not None
                            and (
                                classes.__class__ is not str
                                or "hid" in classes
                                or "only" in classes
                                or "invis" in classes
                                or "reader" in classes
                                or "none" in classes
                            )
                        )
                    ) and _hidden_by_attributes(attrs)
                if name in _SKIP_SUBTREE:
                    hidden_ids.add(id(node))
                    node = _after(node)
                    continue
                if hidden_until is not None:
                    hidden_ids.add(id(node))
                elif hides or name in _NO_TEXT:
                    hidden_ids.add(id(node))
                    hidden_until = _after(node)
                elif name == "br" or name == "hr":
                    pending_break = True
                node = node.next_element
                continue
            if cls is not NavigableString and isinstance(node, _SKIPPED_STRINGS):
                if isinstance(node, Comment):
                    comments.append(str(node))
                node = node.next_element
                continue
            if hidden_until is not None or not node:
                node = node.next_element
                continue
            if node.isspace():
                if last_char != " " and last_char != "\n":
                    parts.append(" ")
                    position += 1
                    last_char = " "
                node = node.next_element
                continue
            piece = node.translate(_WHITESPACE)
            if "  " in piece:
                piece = _SPACES.sub(" ", piece)
            parent = node.parent
            block = block_of.get(id(parent))
            if block is None:
                block = parent
                while block is not None and block.name not in _BLOCK:
                    block = block.parent
                block_of[id(parent)] = block
            if parts and (pending_break or block is not previous_block):
                piece = "\n" + piece.lstrip()
            elif last_char == " " or last_char == "\n":
                piece = piece.lstrip()
            elif last_char.isdigit() and len(piece) == 2 and piece.isdigit() and _is_cents(parent):
                # "$12<sup>99</sup>": the cents of a split price, read as one amount.
                piece = ("," if "." in parts[-1][-4:] else ".") + piece
            elif last_char.isalnum() and piece[0].isalnum():
                piece = " " + piece
            pending_break = False
            previous_block = block
            chunk_of[id(node)] = len(starts)
            starts.append(position)
            owners.append(parent)
            parts.append(piece)
            position += len(piece)
            ends.append(position)
            last_char = piece[-1]
            node = node.next_element
        return "".join(parts)

    # --- text and elements -----------------------------------------------------------------

    CURRENCY_HINT = _CURRENCY_HINT

    @cached_property
    def _money_blocks(self) -> tuple[list[int], int]:
        """Indexes of the blocks that show a currency, and how many currency marks there are."""
        flat, starts = self._flat
        found: set[int] = set()
        marks = 0
        for match in _CURRENCY_SYMBOL.finditer(flat):
            found.add(bisect.bisect_right(starts, match.start()) - 1)
            marks += 1
        blocks = self.blocks
        for index in self.word_index.texts_with_prefix(_CURRENCY_CODE_WORDS):
            codes = len(_CURRENCY_CODE.findall(blocks[index].text))
            if codes:
                found.add(index)
                marks += codes
        return sorted(found), marks

    @property
    def money_mark_count(self) -> int:
        """How many currency symbols and codes the visible text shows."""
        return self._money_blocks[1]

    def money_blocks(self, max_length: int | None = None) -> Iterator[Block]:
        """Blocks (at most `max_length` characters long) that show a currency, in order."""
        blocks = self.blocks
        for index in self._money_blocks[0]:
            block = blocks[index]
            if max_length is None or len(block.text) <= max_length:
                yield block

    @cached_property
    def has_clock(self) -> bool:
        """Whether a short block shows a time such as 12:30 (countdowns, cut-off times)."""
        return any(
            ":" in block.text and _CLOCK.search(block.text)
            for block in self.blocks
            if len(block.text) <= 250
        )

    @cached_property
    def blocks(self) -> list[Block]:
        """The visible text split into blocks, with their offsets in `text`.

        The walk already collapsed whitespace, so a block is a line without its outer spaces
        and `text[block.start:block.end] == block.text`.
        """
        blocks: list[Block] = []
        position = 0
        for line in self.text.split("\n"):
            if line:
                stripped = line.strip()
                if stripped:
                    lead = line.index(stripped[0])
                    blocks.append(Block(stripped, position + lead))
            position += len(line) + 1
        return blocks

    @cached_property
    def _block_starts(self) -> list[int]:
        return [block.start for block in self.blocks]

    def block_at(self, offset: int) -> Block | None:
        index = bisect.bisect_right(self._block_starts, offset) - 1
        return self.blocks[index] if index >= 0 else None

    def block_after(self, block: Block) -> Block | None:
        """The block that follows `block` in the text, or None at the end."""
        index = bisect.bisect_right(self._block_starts, block.start)
        return self.blocks[index] if index < len(self.blocks) else None

    def element_at(self, offset: int) -> Tag:
        """The element owning the visible text at `offset`."""
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return self.body
        return self._owners[index]

    def owners_between(self, start: int, end: int) -> list[Tag]:
        """The elements owning the pieces of visible text between two offsets, in order."""
        first = max(0, bisect.bisect_right(self._starts, start) - 1)
        last = bisect.bisect_left(self._starts, end)
        return self._owners[first:last]

    def span_of(self, tag: Tag) -> tuple[int, int] | None:
        """The character range of `tag`'s visible text in `text`, or None if it shows none."""
        key = id(tag)
        if key in self._spans:
            return self._spans[key]
        chunk_of = self._chunk_of
        stop = _after(tag)
        first: int | None = None
        node: Any = tag.next_element
        while node is not None and node is not stop:
            first = chunk_of.get(id(node))
            if first is not None:
                break
            node = node.next_element
        span: tuple[int, int] | None = None
        if first is not None:
            last = first
            node = _last_descendant(tag)
            while node is not None and node is not tag:
                found = chunk_of.get(id(node))
                if found is not None:
                    last = found
                    break
                node = node.previous_element
            span = (self._starts[first], self._ends[last])
        self._spans[key] = span
        return span

    def text_of(self, tag: Tag) -> str:
        """The visible text of `tag`, whitespace collapsed ('' when hidden)."""
        span = self.span_of(tag)
        if span is None:
            return ""
        return " ".join(self.text[span[0] : span[1]].split())

    def inline_text_of(self, tag: Tag) -> str | None:
        """`tag`'s visible text if it lies within one block of text, else None."""
        span = self.span_of(tag)
        if span is None:
            return None
        raw = self.text[span[0] : span[1]].strip()
        if not raw or "\n" in raw:
            return None
        return " ".join(raw.split())

    def elements(self, *names: str) -> list[Tag]:
        """Elements with these tag names, in document order."""
        if len(names) == 1:
            return self.by_name.get(names[0], [])
        cached = self._elements.get(names)
        if cached is None:
            order = self._order
            found = [tag for name in names for tag in self.by_name.get(name, [])]
            cached = self._elements[names] = sorted(found, key=lambda tag: order[id(tag)])
        return cached

    def in_product_card(self, tag: Tag) -> bool:
        """Whether `tag` sits in one of several look-alike siblings that each show a price:
        a product card in a grid or list, not the price of the page's own product."""
        node: Any = tag
        for _ in range(6):
            parent = node.parent
            if not isinstance(node, Tag) or not isinstance(parent, Tag):
                return False
            if node.name in ("main", "body", "html"):
                return False
            # Cards share their tag and first class; the rest may differ by position or state
            # (WooCommerce: "product ... first instock", "product ... last outofstock").
            shape = (node.name, _first_class(node))
            alike = [
                sibling
                for sibling in parent.children
                if sibling is not node
                and sibling.__class__ is Tag
                and (sibling.name, _first_class(sibling)) == shape
            ]
            # A card links to its product or shows its photo; look-alike rows of bare text
            # (OpenCart's price list: the price, "Ex Tax", "2 or more") are one product's.
            if len(alike) >= 2 and node.find(_CARD_PARTS) is not None:
                priced = 0
                for sibling in alike[:6]:
                    span = self.span_of(sibling)
                    if span and self.CURRENCY_HINT.search(self.text, span[0], span[1]):
                        priced += 1
                if priced >= 2:
                    return True
            node = parent
        return False

    @cached_property
    def _hrefs(self) -> tuple[str, list[int], list[Tag]]:
        """Every link's href, lower-cased and joined by newlines; where each starts; the links."""
        links = self.elements("a")
        starts: list[int] = []
        position = 0
        hrefs: list[str] = []
        for link in links:
            href = link.get("href")
            text = href.replace("\n", " ").lower() if isinstance(href, str) else ""
            starts.append(position)
            hrefs.append(text)
            position += len(text) + 1
        return "\n".join(hrefs), starts, links

    def links_with_href(self, needles: tuple[str, ...]) -> Iterator[Tag]:
        """Links whose href contains one of `needles` (lower case), in page order.

        One substring search per needle over all hrefs at once (a mega-menu has a thousand
        links), instead of a regular expression per link.
        """
        text, starts, links = self._hrefs
        position = 0
        while True:
            found = [index for n in needles if (index := text.find(n, position)) >= 0]
            if not found:
                return
            index = bisect.bisect_right(starts, min(found)) - 1
            yield links[index]
            position = starts[index + 1] if index + 1 < len(starts) else len(text) + 1

    def element_by_id(self, ident: str) -> Tag | None:
        """The (first) element with this id."""
        return self._by_id.get(ident)

    def order_of(self, tag: Tag) -> int:
        """The position of `tag` among the page's elements in document order."""
        return self._order.get(id(tag), -1)

    def is_hidden(self, tag: Tag) -> bool:
        return id(tag) in self.hidden

    @cached_property
    def body(self) -> Tag:
        body = self.soup.body
        return body if body is not None else self.soup

    @cached_property
    def lang(self) -> str | None:
        html = self.soup.html
        value = html.get("lang") if html is not None else None
        return value.strip().lower() if isinstance(value, str) and value.strip() else None

    @cached_property
    def locale(self) -> str | None:
        """The page's language with its region where the page names one: `lang="en-CA"`, else
        Open Graph's `og:locale` ("en_CA") when it is the same language. A shared currency
        symbol ("$", "kr") is read by this region."""
        lang = self.lang
        if lang and "-" in lang.replace("_", "-"):
            return lang
        for meta in self.elements("meta"):
            if str(meta.get("property") or "").lower() == "og:locale":
                value = str(meta.get("content") or "").strip().lower().replace("_", "-")
                if value and (not lang or value.split("-")[0] == lang.split("-")[0]):
                    return value
                break
        return lang

    @cached_property
    def title(self) -> str:
        title = self.soup.title
        return " ".join(title.get_text(" ").split()) if title is not None else ""

    @cached_property
    def path(self) -> str:
        return urlsplit(self.url).path if "://" in self.url else self.url

    def in_chrome(self, tag: Tag) -> bool:
        """Whether `tag` sits in site-wide chrome: header, footer, navigation, a USP banner.

        Anything inside <main> or <article> is content (a "USP" list inside the product's
        buy box is about the product); outside them, header/footer/nav elements, banner
        roles and chrome-like class names (topbar, usp-bar, announcement...) mark chrome.
        """
        cached = self._chrome.get(id(tag))
        if cached is not None:
            return cached
        ancestors: list[Tag] = []
        node: Any = tag
        while isinstance(node, Tag) and node.name not in ("body", "html", "[document]"):
            ancestors.append(node)
            node = node.parent
            if len(ancestors) > 60:
                break
        result = False
        if not any(a.name in ("main", "article") or a.get("role") == "main" for a in ancestors):
            for node in ancestors:
                if node.name in ("header", "footer", "nav") or node.get("role") in (
                    "banner",
                    "contentinfo",
                    "navigation",
                ):
                    result = True
                    break
                classes = node.get("class")
                ident = node.get("id")
                label = " ".join(classes) if isinstance(classes, list) else str(classes or "")
                if isinstance(ident, str):
                    label += " " + ident
                if label and _CHROME_CLASS.search(label):
                    result = True
                    break
        self._chrome[id(tag)] = result
        return result

    def selector(self, tag: Tag) -> str:
        """A CSS selector that selects exactly `tag` in this page."""
        parts: list[str] = []
        node: Any = tag
        while isinstance(node, Tag) and node.name != "[document]":
            ident = node.get("id")
            if isinstance(ident, str) and ident and self.id_counts.get(ident) == 1:
                parts.append("#" + soupsieve.escape(ident))
                break
            parent = node.parent
            if not isinstance(parent, Tag) or parent.name == "[document]":
                parts.append(node.name)
                break
            same = [child for child in parent.contents if getattr(child, "name", None) == node.name]
            if len(same) > 1:
                index = next(i for i, child in enumerate(same) if child is node) + 1
                parts.append(f"{node.name}:nth-of-type({index})")
            else:
                parts.append(node.name)
            node = parent
        return " > ".join(reversed(parts))

    def snippet(self, tag: Tag, limit: int = 200) -> str:
        """The evidence to show for `tag`: its visible text, else its opening markup."""
        text = self.text_of(tag)
        if not text:
            attributes = " ".join(
                f'{key}="{" ".join(value) if isinstance(value, list) else value}"'
                for key, value in list(tag.attrs.items())[:6]
            )
            text = f"<{tag.name}{' ' + attributes if attributes else ''}>"
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 1] + "…"

    @cached_property
    def _flat(self) -> tuple[str, list[int]]:
        """All blocks joined by newlines, and where each block starts in that string."""
        texts = [block.text for block in self.blocks]
        starts = [0]
        starts.extend(itertools.accumulate(len(text) + 1 for text in texts[:-1]))
        return "\n".join(texts), starts[: len(texts)]

    @cached_property
    def word_index(self) -> WordIndex:
        return WordIndex([block.text for block in self.blocks])

    def blocks_matching(
        self,
        pattern: re.Pattern[str],
        max_length: int | None = None,
        triggers: frozenset[str] | None = None,
    ) -> Iterator[Block]:
        """Blocks (at most `max_length` characters long) in which `pattern` matches, in order.

        Only blocks containing one of the pattern's trigger words are searched (see
        `textindex`); `triggers` gives them for a pattern whose stems cannot be derived (a
        rating "4,6 van 5" always has the word "5"). A pattern without triggers is found with
        one scan of the whole text.
        """
        blocks = self.blocks
        stems = triggers if triggers is not None else pattern_triggers(pattern)
        if stems is not None:
            for index in sorted(self.word_index.texts_with_prefix(stems)):
                text = blocks[index].text
                if (max_length is None or len(text) <= max_length) and pattern.search(text):
                    yield blocks[index]
            return
        if pattern_has_anchors(pattern):  # ^ or $: block by block
            yield from (
                block
                for block in blocks
                if (max_length is None or len(block.text) <= max_length)
                and pattern.search(block.text)
            )
            return
        flat, starts = self._flat
        position = 0
        while True:
            match = pattern.search(flat, position)
            if match is None:
                return
            index = bisect.bisect_right(starts, match.start()) - 1
            block = blocks[index]
            if (max_length is None or len(block.text) <= max_length) and pattern.search(block.text):
                yield block
            position = starts[index] + len(block.text) + 1

    def iter_matches(
        self,
        pattern: re.Pattern[str],
        max_length: int | None = None,
        triggers: frozenset[str] | None = None,
    ) -> Iterator[tuple[re.Match[str], Block]]:
        """Every match of `pattern` inside one block of visible text, with its block."""
        for block in self.blocks_matching(pattern, max_length, triggers):
            for match in pattern.finditer(block.text):
                yield match, block

    # --- structured data -------------------------------------------------------------------

    @cached_property
    def structured(self) -> StructuredData:
        scripts = [
            script
            for script in self.elements("script")
            if str(script.get("type", "")).strip().lower() == "application/ld+json"
        ]
        return extract_structured(
            scripts,
            self.elements("meta"),
            source=self.source,
            microdata=self.item_scopes[0] if self.item_scopes else None,
            rdfa=self.rdfa_root,
            base_url=self.url if "://" in self.url else None,
        )

    @cached_property
    def host(self) -> str | None:
        """The page's host name (for the currency of a shared symbol): from its URL, or for a
        saved file, from the address the page gives itself (canonical link, og:url)."""
        if "://" in self.url:
            return urlsplit(self.url).hostname
        for link in self.elements("link"):
            rel = link.get("rel")
            rels = rel if isinstance(rel, list) else str(rel or "").split()
            href = str(link.get("href") or "")
            if "canonical" in (r.lower() for r in rels) and "://" in href:
                return urlsplit(href).hostname
        own = self.structured.og("og:url") or ""
        return urlsplit(own).hostname if "://" in own else None

    @cached_property
    def inline_scripts(self) -> list[tuple[Tag, str]]:
        """Inline JavaScript (not JSON data blocks) with its element."""
        found: list[tuple[Tag, str]] = []
        for script in self.elements("script"):
            kind = str(script.get("type", "") or "").strip().lower()
            if kind and kind not in ("text/javascript", "application/javascript", "module"):
                continue
            if script.get("src"):
                continue
            code = script.string
            if code:
                found.append((script, str(code)))
        return found

    # --- the buy button and page type ------------------------------------------------------

    @cached_property
    def buy_button(self) -> Tag | None:
        """The page's main add-to-cart / buy button, if it has one.

        Related products, "bought together" bundles and quick-view cards carry buy buttons
        too, and themes put some of them before the product in the markup: the main button is
        the first one after the main heading (else the last one before it) that is neither in
        the site chrome nor in a card of another product.
        """
        heading = self.main_heading
        start = self._order[id(heading)] if heading is not None else -1
        order = self._order
        candidates = self.elements("button", "input", "a")
        if self.role_buttons:
            candidates = sorted([*candidates, *self.role_buttons], key=lambda t: order[id(t)])
        after = [tag for tag in candidates if order[id(tag)] > start]
        before = [tag for tag in candidates if order[id(tag)] <= start]
        chrome: Tag | None = None
        for tag in itertools.chain(after, reversed(before)):
            if not self._is_buy_control(tag):
                continue
            if self.in_chrome(tag):
                chrome = chrome or tag
            elif not self.in_product_card(tag):  # not a quick-add button of another product
                return tag
        return chrome

    def _is_buy_control(self, tag: Tag) -> bool:
        """Whether a visible button, input or link adds to the cart, by its label or attributes."""
        attrs = tag.attrs
        name = tag.name
        if name == "input" and str(attrs.get("type", "")).lower() not in (
            "submit",
            "button",
            "image",
        ):
            return False
        if id(tag) in self.hidden:
            return False
        attributes = (
            f"{attrs.get('name') or ''} {attrs.get('id') or ''} "
            f"{class_text(tag)} {attrs.get('data-action') or ''} "
            f"{attrs.get('data-hook') or ''} {attrs.get('data-button-action') or ''} "
            f"{attrs.get('data-testid') or ''}"
        )
        buy_attribute = _BUY_ATTR.search(attributes) is not None
        if name not in ("button", "input") and not (
            buy_attribute or "btn" in attributes or "button" in attributes
        ):
            return False  # a plain link: not a buy button (and no need to read its text)
        label = self.text_of(tag) or str(attrs.get("value") or attrs.get("aria-label") or "")
        return bool(label and len(label) < 60 and lexicon.BUY_BUTTON.search(label)) or (
            buy_attribute and name != "a"
        )

    @cached_property
    def buy_offset(self) -> int | None:
        button = self.buy_button
        if button is None:
            return None
        span = self.span_of(button)
        if span:
            return span[0]
        # A button without text (an icon): use the text just before it.
        node: Any = button
        while node is not None:
            node = node.find_previous(string=True)
            if node is not None and isinstance(node.parent, Tag):
                span = self.span_of(node.parent)
                if span:
                    return span[1]
        return None

    @cached_property
    def main_heading(self) -> Tag | None:
        """The page's first visible h1 outside the site chrome (some themes put the shop's
        name in an h1 in the header on every page), else its first visible h1."""
        first: Tag | None = None
        for heading in self.elements("h1"):
            if not self.is_hidden(heading) and self.text_of(heading):
                if not self.in_chrome(heading):
                    return heading
                first = first or heading
        if first is not None:
            return first
        # No h1 at all: some themes (Medusa's starter) title the product with an h2 that
        # says what it is in its class, id or test id.
        for heading in self.elements("h2", "h3"):
            marks = " ".join(
                str(heading.get(name) or "") for name in ("data-testid", "id", "itemprop")
            )
            if (
                _PRODUCT_TITLE_MARK.search(f"{marks} {class_text(heading)}")
                and not self.is_hidden(heading)
                and self.text_of(heading)
            ):
                return heading
        return None
