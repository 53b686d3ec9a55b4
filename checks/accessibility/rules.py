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
from defenceline.checks.registry import Context, Hit, register
from defenceline.checks.report import Severity

__all__ = ["buy_box", "page_controls"]

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


def _on_tag(message: str, tag: Tag, severity: Severity | None = None) -> Hit:
    """A hit on one element, quoted by its opening tag (the first six attributes): what a
    developer searches the template for."""
    attributes = " ".join(
        f'{key}="{" ".join(value) if isinstance(value, list) else value}"'
        for key, value in list(tag.attrs.items())[:6]
    )
    return Hit(message, tag, f"<{tag.name}{' ' + attributes if attributes else ''}>", severity)


# --- the rules -------------------------------------------------------------------------------


@register("access-product-image-alt")
def product_image_alt(ctx: Context) -> Iterator[Hit]:
    names = names_for(ctx.page)
    shown = [image for image in ctx.facts.images if not names.is_hidden(image.element)]
    decorative = []
    for image in shown:
        element = image.element
        role = str(element.get("role") or "").strip().lower()
        if element.get("alt") is None and role not in ("presentation", "none"):
            if not names.name(element):
                yield _on_tag(
                    "product photo has no alt attribute: a screen reader announces its "
                    "file name or nothing; describe the photo in alt",
                    element,
                )
            continue
        if not names.name(element):
            decorative.append(element)
    if shown and len(decorative) == len(shown):
        yield _on_tag(
            f'every product photo ({len(shown)}) is marked decorative (alt="" or '
            "role=presentation): a screen reader user gets no picture of the product",
            decorative[0],
            severity="warning",
        )


@register("access-control-name")
def control_name(ctx: Context) -> Iterator[Hit]:
    for tag in _unnamed_controls(ctx, fields=False):
        yield _on_tag(
            f"{_describe(ctx.page, tag)} has no accessible name: a screen reader announces "
            "it without saying what it does; give it visible text, a <label>, or aria-label",
            tag,
        )


@register("access-form-label")
def form_label(ctx: Context) -> Iterator[Hit]:
    for tag in _unnamed_controls(ctx, fields=True):
        yield _on_tag(
            f"a {_input_type(tag) or tag.name} field has no label: a screen reader announces "
            "it blank; add a <label for> or aria-label that says what to fill in",
            tag,
        )


@register("access-page-lang")
def page_lang(ctx: Context) -> Iterator[Hit]:
    html = ctx.page.soup.html
    if html is None:
        return
    value = html.get("lang")
    if value is None:
        # XHTML pages may say it with xml:lang alone; browsers honour that too.
        value = html.get("xml:lang")
    tag = str(value or "").strip()
    if not tag:
        yield _on_tag(
            "the page does not say its language (<html> has no lang attribute): a "
            'screen reader may read it with the wrong voice; add lang="nl" (or the '
            "page's language)",
            html,
        )
    elif "_" in tag or not langcodes.tag_is_valid(tag):
        yield _on_tag(
            f"lang={tag!r} is not a valid BCP 47 language tag (e.g. 'nl', 'en-GB', "
            "'de-CH'): a screen reader cannot pick a voice for it",
            html,
        )
