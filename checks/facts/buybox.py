"""The main product's price, found the way a shopper finds it.

A shopper looks at the product's heading and the primary add-to-cart control, and reads the
price that belongs to them — not a struck-through old price, a unit price ("€ 2,50/kg"), an
instalment ("4 × € 12,50", "or 4 payments of $12.50"), a deposit, "save € 10", a shipping
threshold, the price of an option or extra, or a price in a related-products carousel. Every
amount in the visible text is a candidate, scored by its distance from the buy button (amounts
after it count three times as far: the buy box puts the price above the button, the page puts
other products below it) and by what marks it as a price (a price-like class, a sale class).

When the page's structured data or platform state names the product's prices, a candidate with
one of those values wins over a nearer one that has none: the markup cannot tell which amount
a shopper reads, but it can confirm one.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.amounts import Amount, find_amounts
from defenceline.checks.facts.model import Found
from defenceline.checks.facts.text import (
    ancestor_label,
    anchor_offset,
    distance,
    select,
    text_offset,
)
from defenceline.checks.page import Block, Page, ancestors, class_text

__all__ = ["SeenPrice", "read_visible_price"]

_SYMBOLS = "€£$¥₹₺₪₽₸₾₼₦৳₩₴₫฿₱￥円"
# "from" before an amount is a threshold next to shipping words ("gratis vanaf € 50"), but
# the price itself on a product with variants ("ab 29,99 €", "Vanaf € 24,95").
_FROM_BEFORE = re.compile(
    r"(?:vanaf|from|\bab\b|d[èe]s|partir|desde|a partire da)[^€£$\d]{0,12}$", re.IGNORECASE
)
_BEFORE_EXCLUDE = re.compile(
    r"(?:verzend|bezorg|shipping|postage|delivery|versand|liefer|port|livraison|spedizion|"
    r"env[íi]o|boven|over|above|spend|sopra|superiores|"
    r"bespaar|korting|save|saving|spar|[ée]conomi|risparmi|ahorra|descuento|sconto|rabatt|"
    r"\bvan\b|\bwas\b|statt|\bau lieu\b|invece|antes|uvp|adviesprijs|rrp|msrp|"
    r"\bprevious(?:ly)?\b|\bcompare at\b|\bvorher\b|\binstead of\b|"
    r"\d\s*[x×]|\bof\b|\bor\b|\boder\b|\bou\b|\bo\b|kosten|fee|geb[üu]hr|frais|costi|gastos|"
    r"\+|tegoed|credit|cashback|klarna|afterpay|clearpay|\bpaypal\b|\bin \d+\b|"
    r"termijn|raten|\brate\b|cuotas|plazos|mensualit|instal?ments?|"
    r"deposit|aanbetaling|anzahlung|acompte|caparra|dep[óo]sito|fianza|pfand|statiegeld|"
    r"consigne|\bborg\b|unit price|eenheidsprijs|grundpreis|prix unitaire|prezzo unitario|"
    r"precio unitario|стар|было|מחיר קודם|通常価格|参考価格|定価|"
    # Shipping, "above", saving and instalment words in the other languages shops write in.
    r"frakt|fragt|dostaw|przesyłk|wysyłk|доставк|μεταφορικ|αποστολ|משלוח|送料|frete|"
    r"\böver\b|powyżej|свыше|άνω|מעל|"
    r"экономи|oszczędz|κερδίζετε|εξοικονόμ|חוסכ|חיסכון|節約|sparar|sparer|"
    r"\brat\b|\braty\b|δόσ|תשלומים|分割|рассрочк|delbetal|avbetal|"
    # "2 for € 71,98", "Buy 2 for": a multi-buy deal, not one item's price.
    r"\b\d+\s*(?:x\s*)?(?:for|voor|f[üu]r|pour|per|por|para)|"
    # A members', club or loyalty price: not what every shopper pays.
    r"ledenprijs|\bleden\b|\bmembers?\b|mitglied|\bclub|\bprix (?:membre|adh[ée]rent)|"
    r"prezzo soci|precio (?:de )?socio|medlemspris|\bloyalty\b|\bvip\b)[^€£$¥₹₺₪₽₩\d]{0,12}$",
    re.IGNORECASE,
)
# A unit price, an instalment or a discount after the amount ("/kg", "per maand", "off").
_AFTER_EXCLUDE = re.compile(
    # (after the currency code some shops write after the amount: "$12.564 COP / kg")
    r"^\s*\*?\s*(?-i:[A-Z]{3}\s*)?(?:お得|以上|引き|割引|(?:/|per|pro|je|par|por|al|le|la|за)\s*(?:\d+(?:[.,]\d+)?\s*)?(?:st|stk|stuk|kg|g|gr|l|ltr|"
    r"liter|litre|ml|cl|m|m2|m²|m³|cm|mnd|maand|month|mo|monat|mois|mese|mes|unit|piece|pc|pcs|"
    r"st[üu]ck|шт|кг|л|мес|κιλό|κιλ|λίτρο|τεμ|kilo|week|wk|jaar|jahr|year|yr|100\s*(?:g|ml))\b|"
    r"par mois|al mese|al mes|mtl|monatlich|a month|monthly|x\s*\d|×\s*\d|"
    r"verzendkosten|shipping|versand|frais de port|spese|gastos de env|korting|off\b|"
    r"discount|rabatt|de r[ée]duction|di sconto|de descuento|tegoed|credit|deposit|pfand|"
    r"statiegeld)",
    re.IGNORECASE,
)
_EXCL_VAT = re.compile(
    r"^\s*\*?\s*(?:(?:excl|exkl|exclusief|excluding|ex|zzgl|zuz[üu]glich|hors|escl|esclusa|sin|"
    r"senza|plus|\+)\.?\s*(?:\d+\s*%\s*)?(?:btw|vat|tax|mwst|ust|tva|taxes|iva)\b|"
    r"(?:ht|netto|net)\b)",
    re.IGNORECASE,
)
# The EU's "lowest price in the last 30 days" (the Omnibus directive) beside a reduced price:
# an earlier price, not the one to pay. Both a "lowest" word and a span of days must lead up
# to the amount.
_LOWEST_EARLIER = re.compile(
    r"(?:lowest|laagste|niedrigste[rn]?|bestpreis|le plus bas|pi[ùu] bass[oa]|m[áa]s baj[oa]|"
    r"menor|mais baix[oa]|najni[żz]sz[aey]|l[äa]gsta|laveste|χαμηλότερη|nejni[žz]š[íi]|"
    r"legalacsonyabb|cel mai mic|самая низкая|наименьшая|минимальная|הנמוך|最低価格|最安値)"
    r"[^\n]{0,50}?(?:\b30\b|\d+\s*(?:days?|dagen|tage|jours|giorni|d[ií]as|dias|dni|dagar|"
    r"dage|ημερών|dn[íi]|nap|zile|дней|ימים|日))[^€£$¥₹₺₪₽₩\d]{0,25}$"
    r"|過去\d+日間?の(?:最安値|最低価格)[^\d]{0,3}$",
    re.IGNORECASE,
)
# The same label before the amount ("Ex Tax: $966.12", OpenCart's second price line).
_EXCL_VAT_BEFORE = re.compile(
    r"(?:\bex\.? ?tax|\bexcl(?:\.|uding|usief)? ?(?:tax|vat|btw)|\bsin iva|\bsem iva|"
    r"\bhors tax[ea]s?|\bht|\bnetto|\bzzgl\.? ?mwst|\bexkl\.? ?(?:mwst|moms)|\bsenza iva|"
    r"\biva esclusa|\bбез ндс|\bbez vat|\bekskl\.? ?mva|χωρίς φπα|ללא מע\"?מ|税抜|税別)"
    r"\.?\s*:?\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_RANGE_GAP = re.compile(r"\s*(?:[-–—]|to|tot|bis|à|a|al)\s*")
_SALE_CLASS = re.compile(r"sale|special|current|final|now|actual|promo|offer|aanbieding", re.I)
_BEST_FACTOR = 0.1 * 0.8  # the most a price-like class can shrink a candidate's distance
# How much further (in score) a candidate whose value the markup or platform confirms may be
# than the best unconfirmed one and still win.
_CONFIRMED_REACH = 25.0


def _is_old_price(tag: Tag) -> bool:
    for node in ancestors(tag, 4):
        if node.name in ("del", "s", "strike"):
            return True
        style = str(node.get("style") or "")
        if "line-through" in style:
            return True
        classes = node.get("class")
        label = " ".join(classes) if isinstance(classes, list) else str(classes or "")
        hook = node.get("data-hook")  # Wix: data-hook="formatted-secondary-price"
        if isinstance(hook, str):
            label += " " + hook.replace("secondary-price", "old-price")
        if "line-through" in label:
            return True  # Tailwind's class for a struck-through price
        test_id = node.get("data-testid")  # Medusa: data-testid="original-product-price"
        if isinstance(test_id, str) and "original" in test_id:
            return True
        if label and lexicon.OLD_PRICE_CLASS.search(label):
            return True
        if any("original-price" in key or "old-price" in key for key in node.attrs):
            return True  # data-wix-original-price, data-old-price
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


class SeenPrice:
    """The price a shopper reads, with the currency symbol or code written next to it."""

    __slots__ = ("found", "symbol")

    def __init__(self, found: Found, symbol: str) -> None:
        self.found = found
        self.symbol = symbol


def _threshold_words(text: str, amount: Amount) -> bool:
    """Whether shipping or "free" words lead up to a "from" amount or follow it in the same
    clause ("gratis verzending vanaf € 50", "from € 50 free delivery") — not the next sentence
    ("From $ 120.180 Tax included. Shipping calculated at checkout." is a variant price)."""
    lead = text[max(0, amount.start - 40) : amount.start]
    clause = re.split(r"[.!|•·]\s", text[amount.end : amount.end + 40], maxsplit=1)[0]
    return any(
        pattern.search(part)
        for pattern in (lexicon.SHIPPING_ROW, lexicon.FREE)
        for part in (lead, clause)
    )


def _candidates(page: Page) -> list[tuple[float, Amount, Block, int, str]]:
    """Every amount that may be the price, with its distance from the buy button."""
    anchor = anchor_offset(page)
    near: list[tuple[float, Amount, Block, int, str]] = []
    for block in page.money_blocks(max_length=400):
        amounts = find_amounts(block.text, page.locale, page.host)
        for index, amount in enumerate(amounts):
            if amount.value <= 0:
                continue
            if index > 0 and _RANGE_GAP.fullmatch(block.text, amounts[index - 1].end, amount.start):
                continue  # the top of a price range ("£20.00 – £35.00"): the price is "from"
            before = block.text[max(0, amount.start - 30) : amount.start]
            after = block.text[amount.end : amount.end + 25]
            if _BEFORE_EXCLUDE.search(before) or _AFTER_EXCLUDE.search(after):
                continue
            if _LOWEST_EARLIER.search(block.text, max(0, amount.start - 90), amount.start):
                continue  # "lowest price in the last 30 days: € 26,64"
            if _FROM_BEFORE.search(before) and _threshold_words(block.text, amount):
                continue  # "gratis verzending vanaf € 50": a threshold, not a price
            offset = text_offset(page, block, amount.start)
            away = distance(offset, anchor, after_weight=3.0)
            if _EXCL_VAT_BEFORE.search(before):
                away *= 4  # as for "excl. btw" after the amount: shoppers pay incl.
            if len(_WORD.findall(block.text, 0, amount.start)) >= 4:
                away *= 3  # an amount in running text ("Your order includes X for € 4.50")
            near.append((away, amount, block, offset, after))
    near.sort(key=lambda item: item[0])
    return near


def _before_heading(page: Page, offset: int) -> bool:
    heading = page.main_heading
    span = page.span_of(heading) if heading is not None else None
    return span is not None and offset < span[0]


def _in_shipping_table(page: Page, tag: Tag) -> bool:
    """Whether `tag` is in a table whose caption, header cells or own class say it lists
    shipping rates."""
    table = tag.find_parent("table")
    if table is None:
        return False
    heads = [table.find("caption"), *table.find_all("th", limit=3)]
    text = " ".join(page.text_of(head) for head in heads if isinstance(head, Tag))
    return bool(
        lexicon.SHIPPING_KEYWORD.search(text) or lexicon.SHIPPING_KEYWORD.search(class_text(table))
    )


def _later_tier(page: Page, tag: Tag) -> bool:
    """Whether `tag` is in a table row after another priced row: a quantity-price table
    (Shopware's block prices, "2 or more" tiers), where the first row is the one-unit price."""
    row = tag.find_parent("tr")
    if row is None:
        return False
    previous = row.find_previous_sibling("tr")
    while previous is not None:
        span = page.span_of(previous)
        if span and page.CURRENCY_HINT.search(page.text, span[0], span[1]):
            return True
        previous = previous.find_previous_sibling("tr")
    return False


def _score(
    page: Page, away: float, block: Block, offset: int, after: str, anchor: int | None
) -> tuple[float, Tag] | None:
    """The candidate's score (lower is better) and element, or None when it is not a price."""
    element = page.element_at(offset)
    if _is_old_price(element) or page.in_chrome(element):
        return None
    if _in_option(element):
        return None  # the price of an option or extra ("+ € 2,95"), not of the product
    label = ancestor_label(element)
    price_class = lexicon.PRICE_CLASS.search(label) is not None
    if lexicon.PAID_EXTRA.search(block.text) and not price_class:
        return None
    if anchor is not None and offset > anchor and page.in_product_card(element):
        return None  # a card in a grid of other products below the buy box
    if _before_heading(page, offset) and page.in_product_card(element):
        return None  # a "recently viewed" strip of other products above the product
    if _in_shipping_table(page, element):
        return None  # "Versandkosten: Deutschland 4.99 CHF" in a table of shipping rates
    if _later_tier(page, element):
        return None  # "ab 6: € 46,50" in a quantity-price table: the first row is one unit's
    score = away
    if _EXCL_VAT.search(after):
        score *= 4  # "€ 8,29 excl. btw" next to "€ 10,03 incl. btw": shoppers pay incl.
    if price_class:
        score *= 0.1
    if _SALE_CLASS.search(label):
        score *= 0.8
    return score, element


def _best_candidate(page: Page, known: Collection[Decimal]) -> tuple[Amount, Tag, Block] | None:
    """The amount a shopper reads as the price (see the module docstring).

    The text-only tests run on every amount; the tree tests (old price, chrome, option, class
    names) only on amounts close enough to the anchor to still win, nearest first.
    """
    anchor = anchor_offset(page)
    best: tuple[float, Amount, Tag, Block] | None = None
    confirmed: tuple[float, Amount, Tag, Block] | None = None
    for away, amount, block, offset, after in _candidates(page):
        reach = best[0] if best is not None else None
        if reach is not None and away * _BEST_FACTOR >= reach * (_CONFIRMED_REACH if known else 1):
            break  # nothing further away can win any more
        is_known = amount.value in known
        if reach is not None and away * _BEST_FACTOR >= reach and not is_known:
            continue  # only a confirmed value can still win from here
        if confirmed is not None and not (best is None or away * _BEST_FACTOR < best[0]):
            continue
        scored = _score(page, away, block, offset, after, anchor)
        if scored is None:
            continue
        score, element = scored
        if is_known and (confirmed is None or score < confirmed[0]):
            confirmed = (score, amount, element, block)
        if best is None or score < best[0]:
            best = (score, amount, element, block)
    if confirmed is not None and best is not None and confirmed[0] <= best[0] * _CONFIRMED_REACH:
        return confirmed[1:]
    return None if best is None else best[1:]


def _seen(page: Page, tag: Tag, text: str, source: str) -> SeenPrice | None:
    amounts = find_amounts(text, page.locale, page.host)
    if amounts:
        value, currency, symbol = amounts[0].value, amounts[0].currency, amounts[0].symbol
    else:
        from defenceline.checks.amounts import parse_amount

        parsed = parse_amount(text)
        if parsed is None:
            return None
        value, currency, symbol = parsed, None, ""
    if value <= 0:
        return None
    return SeenPrice(Found((value, currency), tag, page.snippet(tag), source), symbol)


def read_visible_price(
    page: Page, selector: str | None, known: Collection[Decimal] = ()
) -> SeenPrice | None:
    """The price a shopper reads next to the product's heading and buy button.

    A shop's own selector wins; then a visible microdata `price` property; then the best
    candidate in the text, confirmed by `known` (the markup's and platform's prices) when
    they name one.
    """
    tag = select(page, selector)
    if tag is not None:
        seen = _seen(page, tag, page.text_of(tag), "selector")
        if seen is not None:
            return seen
    candidate = _best_candidate(page, known)
    for prop in page.item_props:
        if "price" in str(prop.get("itemprop") or "").split() and not page.is_hidden(prop):
            seen = _seen(page, prop, page.text_of(prop), "page")
            if seen is not None and (
                candidate is None or not known or seen.found.value[0] in known
            ):
                return seen
    if candidate is None:
        return None
    amount, element, block = candidate
    return SeenPrice(
        Found((amount.value, amount.currency), element, block.text[:200], "page"), amount.symbol
    )
