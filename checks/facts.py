"""What a careful shopper reads on a product page: price, stock, delivery, shipping, returns.

Structured data comes first (JSON-LD, microdata, Open Graph): it is unambiguous when present.
The visible page comes next, read near the buy button — the place a shopper looks — with the
site-wide chrome (header, footer, navigation, USP banners) used only as a last resort. When the
page shows a price or a stock state clearly and the markup says something else, the fact is
what the shopper sees; the `markup-matches-page` rule reports the disagreement.

Shops can point the checker at their own template with CSS selectors (`[checks.selectors]`);
a selector that matches wins over every heuristic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.amounts import Amount, currency_for_symbol, find_amounts, parse_amount
from defenceline.checks.page import Block, Page, class_text
from defenceline.checks.structured import first_value, local_type, types_of
from defenceline.money import round_money

__all__ = [
    "AVAILABILITY_TERMS",
    "Facts",
    "Found",
    "ProductImage",
    "compatible_availability",
    "extract_facts",
    "markup_number",
    "markup_offers",
    "normalise_availability",
    "states_cost",
]

AVAILABILITY_TERMS = (
    "InStock",
    "OutOfStock",
    "PreOrder",
    "PreSale",
    "BackOrder",
    "LimitedAvailability",
    "InStoreOnly",
    "OnlineOnly",
    "SoldOut",
    "Discontinued",
    "MadeToOrder",
    "Reserved",
)
_AVAILABILITY_ALIASES = {
    "instock": "InStock",
    "in stock": "InStock",
    "in_stock": "InStock",
    "available": "InStock",
    "available for order": "InStock",
    "outofstock": "OutOfStock",
    "out of stock": "OutOfStock",
    "out_of_stock": "OutOfStock",
    "oos": "OutOfStock",
    "unavailable": "OutOfStock",
    "preorder": "PreOrder",
    "pre-order": "PreOrder",
    "pending": "PreOrder",
    "backorder": "BackOrder",
    "limitedavailability": "LimitedAvailability",
    "discontinued": "Discontinued",
    "soldout": "SoldOut",
}
_IN_STOCK_LIKE = {"InStock", "LimitedAvailability", "OnlineOnly", "InStoreOnly", "MadeToOrder"}
_OUT_LIKE = {"OutOfStock", "SoldOut", "Discontinued"}
# Not in stock now, but can be ordered and ships later: shops use the terms interchangeably.
_LATER_LIKE = {"PreOrder", "PreSale", "BackOrder"}
_COMPATIBLE = (_IN_STOCK_LIKE, _OUT_LIKE, _LATER_LIKE)

# "from" before an amount is a threshold next to shipping words ("gratis vanaf € 50"), but
# the price itself on a product with variants ("ab 29,99 €", "Vanaf € 24,95").
_FROM_BEFORE = re.compile(
    r"(?:vanaf|from|\bab\b|d[èe]s|partir|desde|a partire da)[^€£$\d]{0,12}$", re.IGNORECASE
)
_BEFORE_EXCLUDE = re.compile(
    r"(?:verzend|bezorg|shipping|postage|delivery|versand|liefer|port|livraison|spedizion|"
    r"env[íi]o|boven|over|above|spend|sopra|superiores|"
    r"bespaar|korting|save|saving|spar|[ée]conomi|risparmi|ahorra|descuento|sconto|rabatt|"
    r"\bvan\b|\bwas\b|statt|\bau lieu\b|invece|antes|uvp|adviesprijs|rrp|"
    r"\d\s*x|\bof\b|\bor\b|\boder\b|\bou\b|\bo\b|kosten|fee|geb[üu]hr|frais|costi|gastos|"
    r"\+|tegoed|credit|cashback)[^€£$\d]{0,12}$",
    re.IGNORECASE,
)
_AFTER_EXCLUDE = re.compile(
    r"^\s*(?:/\s*(?:st|stk|stuk|kg|g|l|ml|m|m2|m²|mnd|maand|month|mo|monat|mois|mese|mes)\b|"
    r"per (?:maand|month|kg|liter|stuk|piece|unit)|pro (?:monat|kg|liter|st[üu]ck)|"
    r"par mois|al mese|al mes|mtl|monatlich|verzendkosten|shipping|versand|"
    r"frais de port|spese|gastos de env|korting|off\b|discount|rabatt|de r[ée]duction|"
    r"di sconto|de descuento|tegoed|credit)",
    re.IGNORECASE,
)
_EXCL_VAT = re.compile(
    r"^\s*\*?\s*(?:(?:excl|exkl|exclusief|excluding|ex|zzgl|zuz[üu]glich|hors|escl|esclusa|sin|"
    r"senza|plus|\+)\.?\s*(?:\d+\s*%\s*)?(?:btw|vat|tax|mwst|ust|tva|taxes|iva)\b|"
    r"(?:ht|netto|net)\b)",
    re.IGNORECASE,
)
_ICONISH = re.compile(
    r"(?:^|[/_.-])(?:icon|icons|logo|sprite|badge|flag|payment|pay|rating|star|spinner|"
    r"loader|placeholder|pixel|tracking|avatar|trustpilot|kiyoh|thuiswinkel)(?:$|[/_.-])",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"related|recommend|reco\b|reco-|upsell|up-sell|cross-?sell|also|similar|recent|viewed|suggest|"
    r"accessor|"
    r"aanbevolen|gerelateerd|anderen|empfehl|[äa]hnlich|suggestions|simili|relacionados|"
    r"header|footer|nav|menu|logo|review",
    re.IGNORECASE,
)
_LARGER_VERSION = re.compile(r"zoom|large|full|big|hi-?res|original", re.IGNORECASE)
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_HEADING_CLASS = re.compile(r"heading|title|headline|\bh[1-6]\b", re.IGNORECASE)
_IMAGE_HREF = re.compile(r"\.(?:jpe?g|png|webp|avif)(?:$|\?)", re.IGNORECASE)
_GALLERY = re.compile(r"gallery|galerij|galerie|media", re.IGNORECASE)
_ID_SIZE_FOLDER = re.compile(
    r"^(\d+)-(?:[a-z]+_)?(?:default|large|medium|small|home|cart|thickbox|thumb)\w*$",
    re.IGNORECASE,
)
_SIZE_SUFFIX = re.compile(
    r"(?:[-_@](?:\d{2,4}x\d{0,4}|\d{2,4}w|small|medium|large|thumb(?:nail)?|xs|sm|md|lg|xl|"
    r"\dx))+(?=\.\w+$)|(?:_\d{2,4}x\d{0,4}(?:_crop_\w+)?)(?=\.\w+$)",
    re.IGNORECASE,
)
_ANY_STOCK = re.compile(
    "|".join(f"(?:{pattern.pattern})" for pattern, _ in lexicon.STOCK_PHRASES), re.IGNORECASE
)
_STOCK_CLASS = re.compile(r"stock|availab|voorraad|lager|dispon|inventory|levertijd", re.I)
_GENERIC_STOCK = re.compile(
    r"^(?:available|disponible|disponibile|verf[üu]gbar|lieferbar)$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Found:
    """A fact read from the visible page, with the element that shows it."""

    value: Any
    element: Tag
    text: str
    source: str
    in_chrome: bool = False


@dataclass(frozen=True, slots=True)
class ProductImage:
    """One product photo: its element, source URL, alt text and largest known size (px)."""

    element: Tag
    src: str
    alt: str | None
    size: int | None


@dataclass(slots=True)
class Facts:
    """The facts of one page; `to_dict` gives the report's `facts` object."""

    name: str | None = None
    price: Decimal | None = None
    currency: str | None = None
    availability: str | None = None
    delivery_text: str | None = None
    shipping_text: str | None = None
    return_days: int | None = None
    image_count: int = 0
    sources: dict[str, str] = field(default_factory=dict)
    # Evidence for the rules (not part of the report).
    visible_price: Found | None = None
    visible_stock: Found | None = None
    delivery: Found | None = None
    shipping: Found | None = None
    shipping_all: list[Found] = field(default_factory=list)
    returns: Found | None = None
    images: list[ProductImage] = field(default_factory=list)
    markup_price: Decimal | None = None
    markup_prices: list[Decimal] = field(default_factory=list)
    markup_currency: str | None = None
    markup_availability: str | None = None
    markup_image_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "price": _decimal_text(self.price, self.currency),
            "currency": self.currency,
            "availability": self.availability,
            "delivery_text": self.delivery_text,
            "shipping_text": self.shipping_text,
            "return_days": self.return_days,
            "image_count": self.image_count,
            "sources": dict(self.sources),
        }


def _decimal_text(value: Decimal | None, currency: str | None) -> str | None:
    """The price as a decimal string, with the currency's minor unit ('5.00', '1299.95')."""
    if value is None:
        return None
    if currency:
        try:
            return format(round_money(value, currency), "f")
        except Exception:  # an unknown currency code: keep the number as read
            pass
    return format(value, "f")


def normalise_availability(value: Any) -> str | None:
    """A schema.org availability term from markup values ('http://schema.org/InStock', 'oos')."""
    if not isinstance(value, str) or not value.strip():
        return None
    term = local_type(value)
    for known in AVAILABILITY_TERMS:
        if term.lower() == known.lower():
            return known
    return _AVAILABILITY_ALIASES.get(term.lower().strip())


def markup_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    if isinstance(value, str):
        return parse_amount(value.replace("€", "").replace("$", "").strip())
    return None


# --- markup ------------------------------------------------------------------------------------


def markup_offers(product: dict[str, Any]) -> list[dict[str, Any]]:
    """The product's offers as a flat list (Offer, AggregateOffer's offers, or the aggregate)."""
    raw = product.get("offers")
    items = raw if isinstance(raw, list) else [raw]
    offers: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        inner = item.get("offers")
        if "AggregateOffer" in types_of(item) and isinstance(inner, list | dict):
            inner_list = inner if isinstance(inner, list) else [inner]
            offers.extend(o for o in inner_list if isinstance(o, dict))
            if not inner_list:
                offers.append(item)
        else:
            offers.append(item)
    return offers


def _offer_price(offer: dict[str, Any]) -> tuple[Decimal | None, str | None]:
    currency = first_value(offer, "priceCurrency")
    price = markup_number(first_value(offer, "price", "lowPrice"))
    if price is None:
        specs = offer.get("priceSpecification")
        for spec in specs if isinstance(specs, list) else [specs]:
            if not isinstance(spec, dict):
                continue
            kind = str(spec.get("priceType") or "")
            if "Strikethrough" in kind or "ListPrice" in kind:
                continue
            price = markup_number(spec.get("price"))
            currency = currency or first_value(spec, "priceCurrency")
            if price is not None:
                break
    return price, currency if isinstance(currency, str) else None


def main_product(page: Page) -> tuple[dict[str, Any], str] | None:
    """The product the page is about (several products: the one named like the heading)."""
    found = page.structured.of_type_with_source("Product")
    groups = page.structured.of_type_with_source("ProductGroup")
    if not found and groups:
        found = groups
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    heading = page.text_of(page.main_heading).lower() if page.main_heading else ""
    for product, source in found:
        name = first_value(product, "name")
        if isinstance(name, str) and name.strip() and name.strip().lower() in heading:
            return product, source
    with_offers = [item for item in found if item[0].get("offers")]
    return (with_offers or found)[0]


def _read_markup(page: Page, facts: Facts) -> None:
    chosen = main_product(page)
    if chosen is not None:
        product, source = chosen
        name = first_value(product, "name")
        if isinstance(name, str):
            facts.name = " ".join(name.split())
            facts.sources["name"] = source
        images = product.get("image")
        image_list = images if isinstance(images, list) else [images] if images else []
        facts.markup_image_count = len([i for i in image_list if i])
        for offer in markup_offers(product):
            price, currency = _offer_price(offer)
            high = markup_number(first_value(offer, "highPrice"))
            if high is not None:
                facts.markup_prices.append(high)
            if price is not None:
                facts.markup_prices.append(price)
                if facts.markup_price is None:
                    facts.markup_price = price
                    facts.sources["markup_price"] = source
            if currency and facts.markup_currency is None:
                facts.markup_currency = currency.strip().upper()
            availability = normalise_availability(first_value(offer, "availability"))
            if availability and facts.markup_availability is None:
                facts.markup_availability = availability
    og = page.structured
    if facts.markup_price is None:
        amount = og.og("product:price:amount") or og.og("og:price:amount")
        price = markup_number(amount) if amount else None
        if price is not None:
            facts.markup_price = price
            facts.markup_prices.append(price)
            facts.sources["markup_price"] = "opengraph"
    if facts.markup_currency is None:
        currency = og.og("product:price:currency") or og.og("og:price:currency")
        if currency:
            facts.markup_currency = currency.strip().upper()
    if facts.markup_availability is None:
        availability = og.og("product:availability") or og.og("og:availability")
        facts.markup_availability = normalise_availability(availability)
    if facts.name is None:
        title = og.og("og:title")
        if title:
            facts.name = title
            facts.sources["name"] = "opengraph"


# --- visible page ------------------------------------------------------------------------------


def _select(page: Page, selector: str | None) -> Tag | None:
    if not selector:
        return None
    for tag in page.soup.select(selector):
        if not page.is_hidden(tag) and page.text_of(tag):
            return tag
    return None


def _ancestor_label(tag: Tag, levels: int = 4) -> str:
    labels: list[str] = []
    node: Any = tag
    for _ in range(levels):
        if not isinstance(node, Tag):
            break
        classes = node.get("class")
        labels.append(" ".join(classes) if isinstance(classes, list) else str(classes or ""))
        labels.append(str(node.get("id") or ""))
        labels.append(str(node.get("itemprop") or ""))
        labels.append(str(node.get("data-testid") or ""))
        node = node.parent
    return " ".join(label for label in labels if label)


def _is_old_price(tag: Tag) -> bool:
    node: Any = tag
    for _ in range(4):
        if not isinstance(node, Tag):
            return False
        if node.name in ("del", "s", "strike"):
            return True
        style = str(node.get("style") or "")
        if "line-through" in style:
            return True
        classes = node.get("class")
        label = " ".join(classes) if isinstance(classes, list) else str(classes or "")
        if label and lexicon.OLD_PRICE_CLASS.search(label):
            return True
        node = node.parent
    return False


def _in_option(tag: Tag) -> bool:
    """Whether `tag` labels a choice: a <label>, an <option>, or text next to a checkbox/radio.

    Amounts there are what an option or extra costs ("Doneer € 1,00", "+ € 2,95 cadeau"),
    not the product's price.
    """
    node: Any = tag
    for level in range(4):
        if not isinstance(node, Tag):
            return False
        if node.name in ("label", "option", "select", "datalist"):
            return True
        if level < 3:
            for child in node.children:
                if (
                    child.__class__ is Tag
                    and child.name == "input"
                    and str(child.get("type", "")).lower() in ("checkbox", "radio")
                ):
                    return True
        node = node.parent
    return False


def _anchor(page: Page) -> int | None:
    """Where a shopper looks: the buy button, else the product heading."""
    if page.buy_offset is not None:
        return page.buy_offset
    if page.main_heading is not None:
        span = page.span_of(page.main_heading)
        if span:
            return span[1]
    return None


def _distance(offset: int, anchor: int | None, after_weight: float = 1.0) -> float:
    if anchor is None:
        return float(offset)
    if offset <= anchor:
        return float(anchor - offset)
    return (offset - anchor) * after_weight


_RANGE_GAP = re.compile(r"\s*(?:[-–—]|to|tot|bis|à|a|al)\s*")
_SALE_CLASS = re.compile(r"sale|special|current|final|now|actual|promo|offer|aanbieding", re.I)
_BEST_FACTOR = 0.1 * 0.8  # the most a price-like class can shrink a candidate's distance


def _best_price_candidate(page: Page) -> tuple[Amount, Tag, Block] | None:
    """The amount a shopper reads as the price: near the buy button, not an old price, an
    option, an extra, a shipping cost or an instalment.

    The text-only tests run on every amount; the tree tests (old price, chrome, option,
    class names) only on amounts close enough to the anchor to still win, nearest first.
    """
    anchor = _anchor(page)
    near: list[tuple[float, Amount, Block, int, str]] = []
    for block in page.money_blocks(max_length=400):
        amounts = find_amounts(block.text, page.lang)
        for index, amount in enumerate(amounts):
            if amount.value <= 0:
                continue
            if index > 0 and _RANGE_GAP.fullmatch(block.text, amounts[index - 1].end, amount.start):
                continue  # the top of a price range ("£20.00 – £35.00"): the price is "from"
            before = block.text[max(0, amount.start - 30) : amount.start]
            after = block.text[amount.end : amount.end + 25]
            if _BEFORE_EXCLUDE.search(before) or _AFTER_EXCLUDE.search(after):
                continue
            if _FROM_BEFORE.search(before) and (
                lexicon.SHIPPING_ROW.search(block.text) or lexicon.FREE.search(block.text)
            ):
                continue  # "gratis verzending vanaf € 50": a threshold, not a price
            offset = _text_offset(page, block, amount.start)
            near.append((_distance(offset, anchor, after_weight=3.0), amount, block, offset, after))
    near.sort(key=lambda item: item[0])
    best: tuple[float, Amount, Tag, Block] | None = None
    for distance, amount, block, offset, after in near:
        if best is not None and distance * _BEST_FACTOR >= best[0]:
            break  # nothing further away can win any more
        element = page.element_at(offset)
        if _is_old_price(element) or page.in_chrome(element):
            continue
        if _in_option(element):
            continue  # the price of an option or extra ("+ € 2,95"), not of the product
        label = _ancestor_label(element)
        price_class = lexicon.PRICE_CLASS.search(label) is not None
        if lexicon.PAID_EXTRA.search(block.text) and not price_class:
            continue
        score = distance
        if _EXCL_VAT.search(after):
            score *= 4  # "€ 8,29 excl. btw" next to "€ 10,03 incl. btw": shoppers pay incl.
        if price_class:
            score *= 0.1
        if _SALE_CLASS.search(label):
            score *= 0.8
        if best is None or score < best[0]:
            best = (score, amount, element, block)
    return None if best is None else best[1:]


def _text_offset(page: Page, block: Block, index: int) -> int:
    """Offset in page.text of character `index` of the (whitespace-collapsed) block text."""
    raw_start = block.start
    lead = 0
    text = page.text
    while raw_start + lead < len(text) and text[raw_start + lead].isspace():
        lead += 1
    if text.startswith(block.text, raw_start + lead):
        return raw_start + lead + index  # the block was written without extra whitespace
    raw = text[raw_start : raw_start + len(block.text) * 2 + 16]
    # Walk the raw text, skipping collapsed whitespace, until `index` collapsed characters.
    seen = 0
    previous_space = True
    for position, char in enumerate(raw):
        is_space = char.isspace()
        if is_space and previous_space:
            continue
        if seen >= index:
            return raw_start + position
        seen += 1
        previous_space = is_space
    return raw_start + len(raw)


def _read_price(page: Page, facts: Facts, selectors: dict[str, str | None]) -> None:
    tag = _select(page, selectors.get("price"))
    if tag is not None:
        amounts = find_amounts(page.text_of(tag), page.lang)
        value = amounts[0].value if amounts else parse_amount(page.text_of(tag))
        if value is not None:
            currency = amounts[0].currency if amounts else None
            facts.visible_price = Found((value, currency), tag, page.snippet(tag), "selector")
            return
    for prop in page.item_props:
        if "price" in str(prop.get("itemprop") or "").split() and not page.is_hidden(prop):
            text = page.text_of(prop)
            amounts = find_amounts(text, page.lang)
            value = amounts[0].value if amounts else parse_amount(text)
            if value is not None and value > 0:
                currency = amounts[0].currency if amounts else None
                facts.visible_price = Found((value, currency), prop, page.snippet(prop), "page")
                return
    candidate = _best_price_candidate(page)
    if candidate is not None:
        amount, element, block = candidate
        facts.visible_price = Found(
            (amount.value, amount.currency), element, block.text[:200], "page"
        )


def _in_cell(tag: Tag) -> bool:
    node: Any = tag
    for _ in range(3):
        if not isinstance(node, Tag):
            return False
        if node.name in ("dt", "th", "td"):
            return True
        node = node.parent
    return False


def _with_value(page: Page, block: Block, pattern: re.Pattern[str], limit: int) -> str | None:
    """A label block and the value block after it, as one text ("Levertijd 1-2 werkdagen").

    Specification tables and definition lists put "Delivery:" and "2–3 working days" in
    cells of their own; a label is short, holds no number and is followed by a value that is
    not itself such a label.
    """
    text = block.text
    if len(text) > 40 or any(char.isdigit() for char in text):
        return None
    if not text.endswith(":") and not _in_cell(page.element_at(block.start)):
        return None  # a label ends with a colon or sits in a table or definition-list cell
    following = page.block_after(block)
    if following is None or len(following.text) + len(text) >= limit:
        return None
    if pattern.search(following.text) and not any(c.isdigit() for c in following.text):
        return None  # the next block is another label
    return f"{text} {following.text}"


def _nearest(
    page: Page,
    pattern: re.Pattern[str],
    accept: Any = None,
    max_block: int = 300,
) -> tuple[Found | None, list[Found]]:
    """The block matching `pattern` nearest the buy button, preferring the page over chrome."""
    anchor = _anchor(page)
    main: list[tuple[float, Found]] = []
    chrome: list[tuple[float, Found]] = []
    seen: set[int] = set()
    for match, block in page.iter_matches(pattern, max_length=max(600, max_block)):
        offset = _text_offset(page, block, match.start())
        element = page.element_at(offset)
        # The smallest piece of text that carries the fact: the element, its parent, or the
        # whole block (inline siblings such as USP items run together in a block).
        candidates: list[tuple[Tag, str]] = []
        owner: Any = element
        for _ in range(2):
            if not isinstance(owner, Tag):
                break
            own = page.inline_text_of(owner)
            if own and 12 <= len(own) <= max_block and pattern.search(own):
                candidates.append((owner, own))
            owner = owner.parent
        if len(block.text) <= max_block:
            labelled = _with_value(page, block, pattern, max_block)
            if labelled is not None:  # "Delivery:" | "2–3 working days": the pair says it
                candidates.insert(0, (element, labelled))
            candidates.append((element, block.text))
        chosen: tuple[Tag, str, Any] | None = None
        for holder, text in candidates:
            value = accept(text) if accept is not None else match.group(0)
            if value is not None:
                chosen = (holder, text, value)
                break
        if chosen is None or (id(chosen[0]) in seen and chosen[1] != block.text):
            continue
        holder, text, value = chosen
        seen.add(id(holder))
        in_chrome = page.in_chrome(element)
        found = Found(value, holder, text[:200], "page", in_chrome)
        (chrome if in_chrome else main).append((_distance(offset, anchor, 1.5), found))
    main.sort(key=lambda item: item[0])
    chrome.sort(key=lambda item: item[0])
    everything = [f for _, f in main] + [f for _, f in chrome]
    return (everything[0] if everything else None), everything


def _read_stock(page: Page, facts: Facts, selectors: dict[str, str | None]) -> None:
    tag = _select(page, selectors.get("stock"))
    if tag is not None:
        text = page.text_of(tag)
        for pattern, term in lexicon.STOCK_PHRASES:
            if pattern.search(text):
                facts.visible_stock = Found(term, tag, text[:200], "selector")
                return
    anchor = _anchor(page)
    best: tuple[float, Found] | None = None
    for block in page.blocks_matching(_ANY_STOCK, max_length=160):
        for pattern, term in lexicon.STOCK_PHRASES:
            match = pattern.search(block.text)
            if match is None:
                continue
            offset = _text_offset(page, block, match.start())
            element = page.element_at(offset)
            if page.in_chrome(element):
                break
            distance = _distance(offset, anchor, 1.0)
            generic = _GENERIC_STOCK.match(match.group(0).strip()) is not None
            near = anchor is not None and abs(offset - anchor) < 400
            labelled = bool(_STOCK_CLASS.search(_ancestor_label(element)))
            if generic and not (near or labelled) and len(block.text) > 40:
                break
            if labelled:
                distance *= 0.3
            if best is None or distance < best[0]:
                best = (distance, Found(term, element, block.text[:200], "page"))
            break
    if best is not None:
        facts.visible_stock = best[1]
        return
    button = page.buy_button
    if button is not None and (
        button.has_attr("disabled") or button.get("aria-disabled") == "true"
    ):
        facts.visible_stock = Found("OutOfStock", button, page.snippet(button), "page")


def _delivery_accept(text: str) -> str | None:
    """The text if it names a delivery time; "14 Tage Widerrufsrecht" or "30 days to return"
    next to the word for shipping is a return window, not when the parcel comes."""
    for match in lexicon.DELIVERY_TIME.finditer(text):
        around = text[max(0, match.start() - 25) : match.end() + 25]
        if not lexicon.RETURNS_KEYWORD.search(around):
            return text
    return None


def _shipping_accept(text: str) -> str | None:
    if lexicon.PAID_EXTRA.search(text) and not lexicon.FREE.search(text):
        return None  # "shipping insurance + €2.90" is an extra, not the shipping cost
    return text


def _returns_accept(text: str) -> int | None:
    best: int | None = None
    for days in lexicon.RETURN_DAYS.finditer(text):
        number = int(days.group("d1") or days.group("d2"))
        if 1 <= number <= 365 and (best is None or number > best):
            best = number
    return best


def _read_text_fact(
    page: Page, key: str, pattern: re.Pattern[str], accept: Any, selector: str | None
) -> tuple[Found | None, list[Found]]:
    tag = _select(page, selector)
    if tag is not None:
        text = page.text_of(tag)
        return Found(text, tag, text[:200], "selector"), []
    return _nearest(page, pattern, accept)


def _image_key(src: str) -> str:
    """One key for every size of the same photo ("-600x600", "_800x", "@2x" left out).

    Some platforms keep the photo's id in the folder and the same file name for every photo
    of a product (PrestaShop: /118-large_default/name.jpg, /119-small_default/name.jpg); the
    id then belongs to the key.
    """
    path = src.split("?")[0].split("#")[0]
    folder, _, name = path.rpartition("/")
    name = _SIZE_SUFFIX.sub("", name).lower()
    sized_folder = _ID_SIZE_FOLDER.match(folder.rpartition("/")[2])
    if sized_folder:
        return f"{sized_folder.group(1)}/{name}"
    return name


def _image_src(tag: Tag) -> str:
    for key in ("data-zoom-image", "data-large", "data-src", "data-lazy", "data-original", "src"):
        value = tag.get(key)
        if isinstance(value, str) and value.strip() and not value.startswith("data:image/gif"):
            return value.strip()
    srcset = tag.get("data-srcset") or tag.get("srcset")
    if isinstance(srcset, str) and srcset.strip():
        return srcset.split(",")[0].split()[0]
    return ""


def _image_size(tag: Tag) -> int | None:
    """The largest size (px) known for this photo; None when a larger version is linked."""
    for key, value in tag.attrs.items():
        # data-zoom-image, data-large_image, data-image-large-src, data-full...: a larger
        # version the gallery shows on click.
        if key.startswith("data-") and _LARGER_VERSION.search(key) and value:
            return None
    link: Any = tag.parent
    for _ in range(4):
        if not isinstance(link, Tag) or link.name == "a":
            break
        if link.name == "button":
            return None  # a thumbnail button: the gallery shows the photo larger on click
        link = link.parent
    if (
        isinstance(link, Tag)
        and link.name == "a"
        and _IMAGE_HREF.search(str(link.get("href") or ""))
    ):
        return None
    sizes: list[int] = []
    for key in ("width", "height"):
        value = str(tag.get(key) or "").strip().removesuffix("px")
        if value.isdigit():
            sizes.append(int(value))
    for key in ("srcset", "data-srcset"):
        srcset = tag.get(key)
        if isinstance(srcset, str):
            for candidate in srcset.split(","):
                bits = candidate.split()
                if len(bits) == 2 and bits[1].endswith("w") and bits[1][:-1].isdigit():
                    sizes.append(int(bits[1][:-1]))
    return max(sizes) if sizes else None


def _qualifies(page: Page, img: Tag) -> bool:
    src = _image_src(img)
    if not src or (src.startswith("data:") and len(src) < 200):
        return False
    if _ICONISH.search(src.split("?")[0]):
        return False
    size = _image_size(img)
    if size is not None and size < 80:
        return False
    if page.in_chrome(img):
        return False
    child: Any = img
    node: Any = img.parent
    heading_seen = False
    for _ in range(8):
        if not isinstance(node, Tag) or node.name in ("body", "main"):
            break
        label = class_text(node)
        for key, value in node.attrs.items():
            if key in ("id", "data-testid", "aria-label"):
                label += f" {value}"
            elif key.startswith("data-"):
                label += f" {key}"  # data-related-products, data-recommendations
        if _RELATED.search(label) and not _GALLERY.search(label):
            return False
        if not heading_seen:
            # The nearest heading before this branch names what the images are: "You may
            # also like", "Das könnte Ihnen auch gefallen", "También te puede gustar".
            heading = _heading_before(child)
            if heading is not None:
                heading_seen = True
                if lexicon.RELATED_HEADING.search(page.text_of(heading)):
                    return False
        child = node
        node = node.parent
    return True


def _heading_before(tag: Tag) -> Tag | None:
    """The nearest heading among the few elements just before `tag` (same parent)."""
    sibling: Any = tag.previous_sibling
    for _ in range(6):
        if sibling is None:
            return None
        if isinstance(sibling, Tag) and (
            sibling.name in _HEADINGS or _HEADING_CLASS.search(class_text(sibling))
        ):
            return sibling
        sibling = sibling.previous_sibling
    return None


def _ancestor_ids(tag: Tag) -> set[int]:
    found: set[int] = set()
    node: Any = tag.parent
    while node is not None:
        found.add(id(node))
        node = node.parent
    return found


def _read_images(page: Page, facts: Facts, selectors: dict[str, str | None]) -> None:
    if selectors.get("images"):
        imgs = [img for img in page.soup.select(str(selectors["images"])) if img.name == "img"]
    else:
        imgs = [img for img in page.elements("img") if _qualifies(page, img)]
        start: Tag | None = page.buy_button or page.main_heading
        if start is not None and imgs:
            # The smallest element around the buy button (or heading) that holds product
            # photos: each photo's ancestors are listed once instead of searching subtrees.
            ancestors = [_ancestor_ids(img) for img in imgs]
            container: Any = start.parent
            chosen: list[Tag] = []
            while isinstance(container, Tag) and container.name not in ("html", "[document]"):
                here = id(container)
                inside = [img for img, up in zip(imgs, ancestors, strict=True) if here in up]
                if inside:
                    chosen = inside
                    parent = container.parent
                    if isinstance(parent, Tag) and parent.name not in ("body", "html"):
                        above = id(parent)
                        more = [img for img, up in zip(imgs, ancestors, strict=True) if above in up]
                        if len(more) > len(inside) and len(page.text_of(parent)) < 2500:
                            chosen = more
                    break
                container = container.parent
            imgs = chosen
    groups: dict[str, ProductImage] = {}
    for img in imgs:
        src = _image_src(img)
        if not src:
            continue
        key = _image_key(src)
        alt = img.get("alt")
        size = _image_size(img)
        image = ProductImage(img, src, alt if isinstance(alt, str) else None, size)
        previous = groups.get(key)
        if previous is None:
            groups[key] = image
        elif (size or 0) > (previous.size or 0):
            alt_text = previous.alt if previous.alt and not image.alt else image.alt
            groups[key] = ProductImage(img, src, alt_text, size)
    facts.images = list(groups.values())


# --- putting it together ----------------------------------------------------------------------


def compatible_availability(markup: str, visible: str) -> bool:
    if markup == visible:
        return True
    return any(markup in group and visible in group for group in _COMPATIBLE)


def extract_facts(page: Page, selectors: dict[str, str | None] | None = None) -> Facts:
    """Read a page's facts (see the module docstring for the order of sources)."""
    chosen = selectors or {}
    facts = Facts()
    _read_markup(page, facts)
    _read_price(page, facts, chosen)
    visible = facts.visible_price
    visible_value: Decimal | None = visible.value[0] if visible else None
    if (
        visible is not None
        and visible_value is not None
        and (
            facts.markup_price is None
            or visible.source == "selector"
            or visible_value not in facts.markup_prices
        )
    ):
        facts.price = visible_value
        facts.sources["price"] = visible.source
    elif facts.markup_price is not None:
        match = visible_value if visible_value in facts.markup_prices else facts.markup_price
        facts.price = match
        facts.sources["price"] = facts.sources.get("markup_price", "json-ld")
    facts.sources.pop("markup_price", None)
    visible_currency = visible.value[1] if visible else None
    facts.currency = (
        facts.markup_currency
        if facts.markup_currency and (visible_currency in (None, facts.markup_currency))
        else visible_currency
    )
    if facts.currency and not re.fullmatch(r"[A-Z]{3}", facts.currency):
        facts.currency = currency_for_symbol(facts.currency, page.lang)

    _read_stock(page, facts, chosen)
    if facts.visible_stock is not None:
        term = str(facts.visible_stock.value)
        markup = facts.markup_availability
        facts.availability = markup if markup and compatible_availability(markup, term) else term
        facts.sources["availability"] = facts.visible_stock.source
        if markup and compatible_availability(markup, term):
            facts.sources["availability"] = "markup+page"
    elif facts.markup_availability:
        facts.availability = facts.markup_availability
        facts.sources["availability"] = "markup"

    facts.delivery, _ = _read_text_fact(
        page, "delivery", lexicon.DELIVERY_KEYWORD, _delivery_accept, chosen.get("delivery")
    )
    if facts.delivery is not None:
        facts.delivery_text = facts.delivery.text
        facts.sources["delivery_text"] = "banner" if facts.delivery.in_chrome else "page"

    facts.shipping, facts.shipping_all = _read_text_fact(
        page, "shipping", lexicon.SHIPPING_KEYWORD, _shipping_accept, chosen.get("shipping")
    )
    if facts.shipping is not None:
        # What a shopper learns about the cost: a statement of it on the page, else "at
        # checkout", else what the site-wide banner says, else the nearest mention.
        found = facts.shipping_all
        stated = [f for f in found if states_cost(f.text)]
        best = (
            next((f for f in stated if not f.in_chrome), None)
            or next(
                (f for f in found if not f.in_chrome and lexicon.SHIPPING_LATER.search(f.text)),
                None,
            )
            or next(iter(stated), None)
            or facts.shipping
        )
        facts.shipping = best
        facts.shipping_text = best.text
        facts.sources["shipping_text"] = "banner" if best.in_chrome else best.source

    returns, _ = _read_text_fact(
        page, "returns", lexicon.RETURNS_KEYWORD, _returns_accept, chosen.get("returns")
    )
    if returns is not None and returns.source == "selector":
        days = _returns_accept_text(returns.text)
        returns = Found(days, returns.element, returns.text, "selector") if days else None
    facts.returns = returns
    markup_days = _markup_return_days(page)
    if returns is not None and isinstance(returns.value, int):
        facts.return_days = returns.value
        facts.sources["return_days"] = "banner" if returns.in_chrome else returns.source
    elif markup_days is not None:
        facts.return_days = markup_days
        facts.sources["return_days"] = "markup"

    _read_images(page, facts, chosen)
    facts.image_count = max(len(facts.images), facts.markup_image_count)
    return facts


def _returns_accept_text(text: str) -> int | None:
    numbers = [int(m.group("d1") or m.group("d2")) for m in lexicon.RETURN_DAYS.finditer(text)]
    numbers = [n for n in numbers if 1 <= n <= 365]
    return max(numbers) if numbers else None


def states_cost(text: str) -> bool:
    """Whether a shipping text states a cost (an amount or 'free'), not just the word."""
    if lexicon.SHIPPING_LATER.search(text):
        return False
    return bool(find_amounts(text) or lexicon.FREE.search(text))


def _markup_return_days(page: Page) -> int | None:
    for policy in page.structured.of_type("MerchantReturnPolicy"):
        days = markup_number(first_value(policy, "merchantReturnDays"))
        if days is not None and days > 0:
            return int(days)
    return None
