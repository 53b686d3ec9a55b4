"""The accessibility rules: what a shopper using a screen reader meets first when buying.

Each rule reads the page's one parse: the product photos the facts package found, the buy box
around the primary add-to-cart control, the fields of cart and checkout pages, and the <html>
element. Names are computed by `names` the way assistive technology computes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import langcodes
from bs4 import Tag

from defenceline.checks.accessibility.names import names_for
from defenceline.checks.page import Page, class_text
from defenceline.checks.registry import Context, Hit, Rule, register

__all__ = ["buy_box", "page_controls"]

AXE = (
    "This rule checks only what a parsed page shows for certain. For the full WCAG 2.1 AA "
    "audit (contrast, focus order, keyboard traps, names set by scripts, CSS-generated text) "
    "run axe-core on the rendered page in a browser (the `@axe-core/cli` command, or "
    "axe-core injected through Playwright); for a help centre built with defenceline, "
    "`defenceline helpcentre a11y SITE` runs it on every page."
)

_BUTTON_INPUTS = frozenset(["submit", "button", "reset", "image"])
_CHOICE_INPUTS = frozenset(["radio", "checkbox"])
_NOT_FIELDS = frozenset(["hidden", *_BUTTON_INPUTS])
# Roles of custom option pickers and buttons (Magento's swatches are role="option").
_CONTROL_ROLES = frozenset(
    ["button", "radio", "option", "checkbox", "switch", "menuitemradio", "spinbutton", "combobox"]
)
_QUANTITY = re.compile(r"qty|quantity|quantit|aantal|anzahl|menge|cantidad", re.IGNORECASE)
_SWATCH_LINK = re.compile(r"swatch|variant|colou?r-option|size-option", re.IGNORECASE)
# A buy box is the product's heading, options and buttons: a few screens of text at most.
_BOX_TEXT_LIMIT = 6000


# --- where the controls are ------------------------------------------------------------------


def _ancestors(tag: Tag) -> list[Tag]:
    found: list[Tag] = []
    node: Any = tag.parent
    while isinstance(node, Tag) and node.name != "[document]":
        found.append(node)
        node = node.parent
    return found


def _form_of(tag: Tag) -> Tag | None:
    return next((node for node in _ancestors(tag) if node.name == "form"), None)


def buy_box(page: Page) -> Tag | None:
    """The element around the product's heading and primary add-to-cart control.

    That is the smallest element holding both (Shopify's product__info-container, WooCommerce's
    summary, Magento's product-info-main) unless it is the whole page; else the add-to-cart
    control's form; else its parent.
    """
    button = page.buy_button
    if button is None:
        return None
    heading = page.main_heading
    up = _ancestors(button)
    if heading is not None:
        mine = {id(node) for node in up}
        common = next((n for n in [heading, *_ancestors(heading)] if id(n) in mine), None)
        if (
            common is not None
            and common.name not in ("html", "body", "main")
            and common.get("role") != "main"
            and len(page.text_of(common)) <= _BOX_TEXT_LIMIT
        ):
            return common
    form = _form_of(button)
    if form is not None:
        return form
    return up[0] if up else None


def _is_control(tag: Tag) -> bool:
    """Whether `tag` is something a shopper operates: a native control (not a hidden input), a
    custom one with a control role, or a swatch link."""
    name = tag.name
    if name in ("button", "input", "select", "textarea"):
        return _input_type(tag) != "hidden"
    if str(tag.get("role") or "").strip().lower() in _CONTROL_ROLES:
        return True
    return name == "a" and tag.has_attr("href") and bool(_SWATCH_LINK.search(class_text(tag)))


def page_controls(page: Page, within: Tag | None) -> list[Tag]:
    """The controls inside `within` (the whole page content when None), in page order, plus
    controls elsewhere that belong to its form through a `form="id"` attribute (Shopify's
    variant pickers and quantity sit outside the product form)."""
    if within is None:
        found = [
            tag
            for tag in page.elements("button", "input", "select", "textarea")
            if _is_control(tag) and not page.in_chrome(tag)
        ]
        found += [tag for tag in page.role_buttons if not page.in_chrome(tag)]
        return sorted(found, key=page.order_of)
    found = [tag for tag in within.find_all(True) if _is_control(tag)]
    seen = {id(tag) for tag in found}
    form = within if within.name == "form" else _form_of(page.buy_button or within)
    form_id = form.get("id") if form is not None else None
    if isinstance(form_id, str) and form_id:
        for tag in page.elements("button", "input", "select", "textarea"):
            if tag.get("form") == form_id and id(tag) not in seen and _is_control(tag):
                found.append(tag)
                seen.add(id(tag))
    return sorted(found, key=page.order_of)


def _input_type(tag: Tag) -> str:
    return str(tag.get("type") or "text").strip().lower() if tag.name == "input" else ""


def _is_quantity(tag: Tag) -> bool:
    if tag.name not in ("input", "select"):
        return False
    if _input_type(tag) == "number":
        return True
    label = f"{tag.get('name') or ''} {tag.get('id') or ''} {class_text(tag)}"
    return _QUANTITY.search(label) is not None


def _is_field(tag: Tag) -> bool:
    """A form field a shopper fills in (not a button, not a hidden input)."""
    if tag.name in ("select", "textarea"):
        return True
    return tag.name == "input" and _input_type(tag) not in _NOT_FIELDS


def _is_buy_option(tag: Tag) -> bool:
    """A variant select, radio or checkbox, or the quantity: what configures the purchase."""
    return tag.name == "select" or _input_type(tag) in _CHOICE_INPUTS or _is_quantity(tag)


def _describe(page: Page, tag: Tag) -> str:
    if tag is page.buy_button:
        return "the add-to-cart control"
    if _is_quantity(tag):
        return "the quantity field"
    kind = _input_type(tag)
    if tag.name == "select":
        return "an option list"
    if kind in _CHOICE_INPUTS:
        return f"a {kind} option"
    if tag.name == "a" or str(tag.get("role") or "").lower() in ("option", "radio"):
        return "an option swatch"
    return "a button"


def _unnamed_controls(ctx: Context, fields: bool) -> list[Tag]:
    """The shown, enabled controls without an accessible name that a rule reports: the form
    fields (`fields`) or the buttons and option pickers. On a product page they are the buy
    box's, where option pickers and the quantity count as buy controls, not fields to fill in;
    on other pages the page's outside the site chrome."""
    page = ctx.page
    names = names_for(page)
    if ctx.page_type == "product":
        box = buy_box(page)
        if box is None:
            return []
        controls = page_controls(page, box)
    else:
        controls = page_controls(page, None)
    in_box = ctx.page_type == "product"
    return [
        tag
        for tag in controls
        if (_is_field(tag) and not (in_box and _is_buy_option(tag))) == fields
        and not names.is_hidden(tag)
        and not tag.has_attr("disabled")
        and not names.name(tag)
    ]


def _opening_tag(tag: Tag) -> str:
    attributes = " ".join(
        f'{key}="{" ".join(value) if isinstance(value, list) else value}"'
        for key, value in list(tag.attrs.items())[:6]
    )
    return f"<{tag.name}{' ' + attributes if attributes else ''}>"


# --- the rules -------------------------------------------------------------------------------


@register
class ProductImageAlt(Rule):
    id = "access-product-image-alt"
    severity = "error"
    page_types = ("product",)
    summary = "Every photo of the product has a text alternative (an alt attribute)."
    why = (
        "A shopper who cannot see the photo hears its alt text instead. A product photo "
        "without an alt attribute is announced by its file name ('IMG underscore 2041 dot "
        "jpg') or skipped, so the shopper cannot tell what the product looks like (WCAG 2.1 "
        "success criterion 1.1.1, axe-core rule image-alt). The photos are the ones the "
        "checker reads as the product's gallery; decorative images elsewhere may keep "
        'alt="". When every product photo is marked decorative (alt=""), the product has '
        "no picture at all for a screen reader: that is a warning. "
        "`product-images` judges whether the alt text describes the photo. " + AXE
    )
    failing = (
        '<h1>Fietstas Urban</h1><img src="/img/urban-side.jpg" width="1200">'
        "<p>€ 49,95</p><button>In winkelwagen</button>"
    )
    passing = (
        '<h1>Fietstas Urban</h1><img src="/img/urban-side.jpg" alt="Fietstas Urban, zijkant, '
        'zwart" width="1200"><p>€ 49,95</p><button>In winkelwagen</button>'
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        names = names_for(ctx.page)
        shown = [image for image in ctx.facts.images if not names.is_hidden(image.element)]
        decorative = []
        for image in shown:
            element = image.element
            role = str(element.get("role") or "").strip().lower()
            if element.get("alt") is None and role not in ("presentation", "none"):
                if not names.name(element):
                    yield Hit(
                        "product photo has no alt attribute: a screen reader announces its "
                        "file name or nothing; describe the photo in alt",
                        element,
                        _opening_tag(element),
                    )
                continue
            if not names.name(element):
                decorative.append(element)
        if shown and len(decorative) == len(shown):
            yield Hit(
                f'every product photo ({len(shown)}) is marked decorative (alt="" or '
                "role=presentation): a screen reader user gets no picture of the product",
                decorative[0],
                _opening_tag(decorative[0]),
                severity="warning",
            )


@register
class ControlName(Rule):
    id = "access-control-name"
    severity = "error"
    page_types = ("product", "cart", "checkout")
    summary = (
        "The add-to-cart control, option pickers (selects, radios, swatches), the quantity "
        "field and the other buttons of the buy box have an accessible name."
    )
    why = (
        "A screen reader announces a control by its accessible name. An icon-only button, a "
        "colour swatch with only a background colour or a variant list without a label is "
        "announced as 'button' or 'list box, blank': the shopper cannot choose a size or "
        "find the add-to-cart button (WCAG 2.1 success criteria 4.1.2 and 1.3.1; axe-core "
        "rules button-name, select-name, label and aria-command-name). A name comes from the "
        "visible text, an image's alt, aria-label, aria-labelledby, a `<label>`, or title; "
        "visually hidden text (sr-only) counts. On product pages the rule reads the buy box "
        "around the heading and the primary add-to-cart control; on cart and checkout pages "
        "every button outside the site's header and footer. Form fields to fill in are "
        "`access-form-label`'s. " + AXE
    )
    failing = (
        '<h1>Fietstas Urban</h1><p>€ 49,95</p><form action="/cart/add">'
        '<div class="swatches"><span role="radio" tabindex="0" aria-checked="true" '
        'class="swatch" style="background:#000"></span></div>'
        '<button type="button" class="qty-plus"><svg aria-hidden="true" viewBox="0 0 10 10">'
        '<path d="M5 0v10M0 5h10"/></svg></button>'
        '<button type="submit" class="product-form__submit" name="add"><svg '
        'class="icon-cart"/></button></form>'
    )
    passing = (
        '<h1>Fietstas Urban</h1><p>€ 49,95</p><form action="/cart/add">'
        '<fieldset><legend>Kleur</legend><span role="radio" tabindex="0" aria-checked="true" '
        'aria-label="Zwart" class="swatch" style="background:#000"></span></fieldset>'
        '<button type="button" class="qty-plus" aria-label="Eén meer"><svg aria-hidden="true" '
        'viewBox="0 0 10 10"><path d="M5 0v10M0 5h10"/></svg></button>'
        '<button type="submit" class="product-form__submit" name="add">In winkelwagen</button>'
        "</form>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        for tag in _unnamed_controls(ctx, fields=False):
            yield Hit(
                f"{_describe(ctx.page, tag)} has no accessible name: a screen reader announces "
                "it without saying what it does; give it visible text, a <label>, or aria-label",
                tag,
                _opening_tag(tag),
            )


@register
class FormLabel(Rule):
    id = "access-form-label"
    severity = "error"
    page_types = ("product", "cart", "checkout")
    summary = (
        "Every form field a shopper fills in (address, email, postcode, gift message) has a label."
    )
    why = (
        "Without a label a screen reader announces 'edit text, blank': the shopper has to "
        "guess whether the field wants a postcode, a house number or an email address, and "
        "voice-control users cannot say its name to reach it (WCAG 2.1 success criteria 1.3.1, "
        "3.3.2 and 4.1.2; axe-core rule label). A `<label for>`, a wrapping `<label>`, "
        "aria-label, aria-labelledby, title or (weakest) placeholder names a field. The rule "
        "reads cart and checkout pages outside the site's header and footer, and the fields "
        "of a product page's buy box (option pickers and quantity are `access-control-name`'s). "
        + AXE
    )
    failing = (
        '<h1>Afrekenen</h1><form action="/checkout" method="post"><p>Postcode</p>'
        '<input type="text" name="postcode" autocomplete="postal-code">'
        '<input type="email" name="email"><button type="submit">Verder naar betalen</button>'
        "</form>"
    )
    passing = (
        '<h1>Afrekenen</h1><form action="/checkout" method="post">'
        '<label for="postcode">Postcode</label>'
        '<input type="text" id="postcode" name="postcode" autocomplete="postal-code">'
        '<label>E-mailadres <input type="email" name="email"></label>'
        '<button type="submit">Verder naar betalen</button></form>'
    )
    example_page_type = "checkout"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for tag in _unnamed_controls(ctx, fields=True):
            yield Hit(
                f"a {_input_type(tag) or tag.name} field has no label: a screen reader announces "
                "it blank; add a <label for> or aria-label that says what to fill in",
                tag,
                _opening_tag(tag),
            )


@register
class PageLang(Rule):
    id = "access-page-lang"
    severity = "error"
    page_types = ("product", "cart", "checkout", "other")
    summary = 'The page says its language: `<html lang="...">` with a valid BCP 47 tag.'
    why = (
        "A screen reader picks its voice and pronunciation from the page's language. Without "
        "a lang attribute, or with one it does not know ('english', 'nl_NL'), a Dutch product "
        "page is read aloud with English rules and becomes hard to follow; browsers also "
        "choose hyphenation, quotes and translation offers by it (WCAG 2.1 success criterion "
        "3.1.1; axe-core rules html-has-lang and html-lang-valid). The tag is checked against "
        "the IANA language subtag registry. " + AXE
    )
    failing = (
        '<!doctype html><html><head><meta charset="utf-8"><title>Fietstas Urban</title></head>'
        "<body><h1>Fietstas Urban</h1><p>€ 49,95</p><button>In winkelwagen</button></body>"
        "</html>"
    )
    passing = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Fietstas Urban'
        "</title></head><body><h1>Fietstas Urban</h1><p>€ 49,95</p>"
        "<button>In winkelwagen</button></body></html>"
    )

    def check(self, ctx: Context) -> Iterator[Hit]:
        html = ctx.page.soup.html
        if html is None:
            return
        value = html.get("lang")
        if value is None:
            # XHTML pages may say it with xml:lang alone; browsers honour that too.
            value = html.get("xml:lang")
        tag = str(value or "").strip()
        if not tag:
            yield Hit(
                "the page does not say its language (<html> has no lang attribute): a "
                'screen reader may read it with the wrong voice; add lang="nl" (or the '
                "page's language)",
                html,
                _opening_tag(html),
            )
        elif "_" in tag or not langcodes.tag_is_valid(tag):
            yield Hit(
                f"lang={tag!r} is not a valid BCP 47 language tag (e.g. 'nl', 'en-GB', "
                "'de-CH'): a screen reader cannot pick a voice for it",
                html,
                _opening_tag(html),
            )
