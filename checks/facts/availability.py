"""Whether the product can be bought, as a shopper infers it.

Stated text comes first: "Op voorraad", "Sold out", "Vorbestellbar", "אזל מהמלאי", "在庫切れ"
near the buy button (every language in `lexicon.STOCK_PHRASES`); a "notify me when it's back"
control says out of stock whatever words it carries. Without stated text the buy control
decides the way a shopper reads it: a disabled or "sold out" button means out of stock, a
"pre-order" button a pre-order, and an enabled add-to-cart button that the product can be
bought — but the rules know that last one was inferred (`stock-visible` still asks the shop to
say it). Markup and platform terms are normalised to schema.org's `ItemAvailability` names.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import Tag

from defenceline.checks import lexicon
from defenceline.checks.facts.model import Found
from defenceline.checks.facts.provenance import BUY_BUTTON
from defenceline.checks.facts.text import (
    ancestor_label,
    anchor_offset,
    distance,
    select,
    text_offset,
)
from defenceline.checks.page import Page, ancestors, class_text
from defenceline.checks.structured import local_type

__all__ = [
    "AVAILABILITY_TERMS",
    "button_availability",
    "compatible_availability",
    "normalise_availability",
    "read_stated_stock",
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
    "sold out": "SoldOut",
    "sold_out": "SoldOut",
    "out-of-stock": "OutOfStock",
    "in-stock": "InStock",
    "onbackorder": "BackOrder",
    "on backorder": "BackOrder",
    "back-order": "BackOrder",
    "pre_order": "PreOrder",
    "last_remaining_items": "LimitedAvailability",
    "limited": "LimitedAvailability",
    "true": "InStock",
    "false": "OutOfStock",
}
_IN_STOCK_LIKE = {"InStock", "LimitedAvailability", "OnlineOnly", "InStoreOnly", "MadeToOrder"}
_OUT_LIKE = {"OutOfStock", "SoldOut", "Discontinued"}
# Not in stock now, but can be ordered and ships later: shops use the terms interchangeably.
_LATER_LIKE = {"PreOrder", "PreSale", "BackOrder"}
_COMPATIBLE = (_IN_STOCK_LIKE, _OUT_LIKE, _LATER_LIKE)
_ANY_STOCK = re.compile(
    "|".join(
        f"(?:{pattern.pattern})"
        for pattern, _ in lexicon.STOCK_PHRASES
        if pattern not in lexicon.UNSPACED_STOCK
    ),
    re.IGNORECASE,
)
_ANY_UNSPACED_STOCK = re.compile("|".join(p.pattern for p in lexicon.UNSPACED_STOCK))
_STOCK_CLASS = re.compile(r"stock|availab|voorraad|lager|dispon|inventory|levertijd", re.I)
_GENERIC_STOCK = re.compile(
    r"^(?:available|disponible|disponibile|verf[üu]gbar|lieferbar)$", re.IGNORECASE
)
_SOLD_OUT_STATE = re.compile(r"sold-?out|out-of-stock", re.I)
_CHOOSE_FIRST = re.compile(r"selection-needed|select-options|choose-option", re.I)
# A buy control that waits for a choice says so ("Select variant", "Kies een maat"): disabled
# until then, not sold out.
_CHOOSE_FIRST_LABEL = re.compile(
    r"^\s*(?:select|choose|pick) (?:an? |your )?(?:variant|option|size|colou?r)s?\b|"
    r"^\s*(?:kies|selecteer) (?:een |je )?(?:variant|optie|maat|kleur)|"
    r"^\s*(?:w[äa]hle|w[äa]hlen sie) (?:eine |deine |ihre )?(?:variante|option|gr[öo][ßs]e|farbe)|"
    r"^\s*(?:choisissez|s[ée]lectionnez) (?:une |votre )?(?:variante|option|taille|couleur)|"
    r"^\s*(?:seleziona|scegli) (?:una |la )?(?:variante|opzione|taglia|colore)|"
    r"^\s*(?:selecciona|elige) (?:una |la |tu )?(?:variante|opci[óo]n|talla|color)",
    re.I,
)
_DISABLED_CLASS = re.compile(
    r"(?:^|[\s_-])(?:disabled|is-disabled|sold-?out|unavailable)(?:$|\s)", re.I
)


def normalise_availability(value: Any) -> str | None:
    """A schema.org availability term from markup values ('http://schema.org/InStock', 'oos')."""
    if not isinstance(value, str) or not value.strip():
        return None
    term = local_type(value)
    for known in AVAILABILITY_TERMS:
        if term.lower() == known.lower():
            return known
    return _AVAILABILITY_ALIASES.get(term.lower().strip())


def compatible_availability(markup: str, visible: str) -> bool:
    if markup == visible:
        return True
    return any(markup in group and visible in group for group in _COMPATIBLE)


def _stock_term(text: str) -> str | None:
    if lexicon.NOTIFY_ME.search(text):
        return "OutOfStock"  # "notify me when available": a control for a product not in stock
    for pattern, term in lexicon.STOCK_PHRASES:
        if pattern.search(text):
            return None if term == lexicon.SALES_LINE else term
    return None


def read_stated_stock(page: Page, selector: str | None) -> Found | None:
    """The stock state the page states in words, nearest the buy button."""
    tag = select(page, selector)
    if tag is not None:
        text = page.text_of(tag)
        term = _stock_term(text)
        if term is not None:
            return Found(term, tag, text[:200], "selector")
    anchor = anchor_offset(page)
    found: list[tuple[float, Found]] = []
    blocks = list(page.blocks_matching(_ANY_STOCK, max_length=160))
    if lexicon.UNSPACED_SCRIPT.search(page.text):  # Japanese: no words for the index to find
        blocks.extend(page.blocks_matching(_ANY_UNSPACED_STOCK, max_length=160))
    for block in blocks:
        notify = lexicon.NOTIFY_ME.search(block.text)
        for pattern, term in lexicon.STOCK_PHRASES:
            match = notify or pattern.search(block.text)
            if match is None:
                continue
            if notify is not None:
                term = "OutOfStock"
            elif (
                term == "OutOfStock"
                and lexicon.DELIVERY_TIME.search(block.text)
                and _orderable(page)
            ):
                # "Levertijd: 5-8 werkdagen (niet op voorraad)" beside a working buy button: not
                # on the shelf, but it can be ordered and is delivered later
                term = "BackOrder"
            elif term == lexicon.SALES_LINE:
                break  # "Almost sold out: 78% sold" sells; it does not state the stock
            offset = text_offset(page, block, match.start())
            element = page.element_at(offset)
            if page.in_chrome(element) or _state_badge_off(element):
                continue
            if notify is None and _on_variant(element):
                continue
            away = distance(offset, anchor, 1.0)
            generic = _GENERIC_STOCK.match(match.group(0).strip()) is not None
            near = anchor is not None and abs(offset - anchor) < 400
            labelled = bool(_STOCK_CLASS.search(ancestor_label(element)))
            if generic and not (near or labelled) and len(block.text) > 40:
                break
            if labelled:
                away *= 0.3
            found.append((away, Found(term, element, block.text[:200], "page")))
            break
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    best_away, best = found[0]
    if best.value == "LimitedAvailability":
        # "Only 5 left!" is a sales line; a plain statement of the stock state near it says
        # more: "Back-order: ships in 2-3 weeks" (not in stock now), "In stock (12)".
        nearby = [other for away, other in found[1:] if away <= best_away * 2 + 300]
        later = next((o for o in nearby if str(o.value) not in _IN_STOCK_LIKE), None)
        stated = next((o for o in nearby if o.value == "InStock"), None)
        return later or stated or best
    return best


def _orderable(page: Page) -> bool:
    button = page.buy_button
    if button is None:
        return False
    label = page.text_of(button) or str(button.get("value") or button.get("aria-label") or "")
    return not _disabled(button, label)


# A variant picker's choices: "Marineblauw – Uitverkocht" on a swatch says that colour is sold
# out, not the product chosen.
_VARIANT_CLASS = re.compile(
    # (not a bare "variant": "variant-inventory" is where some themes state the stock)
    r"swatch|form-option|variant-?(?:option|button|picker|input|selector|value)|option-value|"
    r"product-option|size-option|colou?r-option",
    re.I,
)


def _labels_a_choice(label: Tag) -> bool:
    """Whether a <label> names a radio button (a variant to choose), not a field's
    caption (Cornerstone writes its stock line as a <label>)."""
    inputs = [label.find("input"), label.find_previous_sibling("input")]
    return any(
        isinstance(found, Tag) and str(found.get("type", "")).lower() == "radio" for found in inputs
    )


def _on_variant(tag: Tag) -> bool:
    for node in ancestors(tag, 4):
        if node.name in ("option", "select", "datalist"):
            return True
        if node.name == "label" and _labels_a_choice(node):
            return True
        if str(node.get("role") or "") in ("radio", "option"):
            return True
        if node.name in ("button", "a") and any(
            key in ("aria-pressed", "aria-checked")
            or key.startswith(("data-variant", "data-option"))
            for key in node.attrs
        ):
            return True  # a variant's toggle button ("M – Sold out", aria-pressed)
        if _VARIANT_CLASS.search(class_text(node)):
            return True
    return False


def _state_badge_off(tag: Tag) -> bool:
    """Whether `tag` is a "Sold out" badge that the theme shows only by a state class.

    Shopify's Dawn and its descendants render the sale and sold-out badges on every product;
    the stylesheet shows the sold-out one only inside a container marked `price--sold-out`.
    """
    badge: Any = tag
    label = class_text(tag)
    if "badge" not in label and isinstance(tag.parent, Tag):
        badge = tag.parent  # Debut: <span class="price__badge--sold-out"><span>Sold out</span>
        label = class_text(badge)
    if "badge" not in label or not _SOLD_OUT_STATE.search(label):
        return False
    node: Any = badge.parent
    for _ in range(4):
        if not isinstance(node, Tag):
            break
        if _SOLD_OUT_STATE.search(class_text(node)):
            return False
        node = node.parent
    return True


def _state_classes(tag: Tag) -> str:
    """The element's classes without Tailwind's variants ("disabled:bg-ui-bg-disabled" styles
    the button for when it is disabled; it does not say that it is)."""
    return " ".join(part for part in class_text(tag).split() if ":" not in part)


def _disabled(tag: Tag, label: str = "") -> bool:
    if _CHOOSE_FIRST.search(class_text(tag)) or _CHOOSE_FIRST_LABEL.search(label):
        return False  # disabled until a size or colour is chosen (WooCommerce), not sold out
    node: Any = tag
    for _ in range(2):  # the button, or the fieldset/wrapper that disables it
        if not isinstance(node, Tag):
            return False
        if node.has_attr("disabled") or str(node.get("aria-disabled") or "") == "true":
            return True
        if node is tag and _DISABLED_CLASS.search(_state_classes(node)):
            return True
        node = node.parent if node.name == "fieldset" or node is tag else None
    return False


def button_availability(page: Page) -> Found | None:
    """What the buy control says about stock when no text states it.

    A disabled add-to-cart, a "sold out" / "notify me" control: out of stock; a "pre-order"
    button: pre-order; an enabled add-to-cart: the product can be bought (in stock).
    """
    button = page.buy_button
    if button is None:
        return None
    label = page.text_of(button) or str(button.get("value") or button.get("aria-label") or "")
    term = _stock_term(label) if label else None
    if term is None or term in ("InStock", "LimitedAvailability"):
        # The label only says "add to cart" (or "available"): the control's state decides.
        term = "OutOfStock" if _disabled(button, label) else "InStock"
    return Found(term, button, page.snippet(button), BUY_BUTTON)
