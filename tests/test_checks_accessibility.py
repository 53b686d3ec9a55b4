"""The accessibility rules on the markup real shop platforms write.

Buy boxes are written after Shopify's Dawn theme (snippets/buy-buttons.liquid, the variant
radios of snippets/product-variant-options.liquid, the select of product-variant-picker),
WooCommerce (templates/global/quantity-input.php, the variations table of
single-product/add-to-cart/variable.php) and Magento 2's Luma swatches as its swatch renderer
leaves them in the page.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from defenceline.checks import RULES, CheckConfig, PageReport, check_html
from defenceline.checks.accessibility import names_for
from defenceline.checks.page import Page

ACCESS = [rule for rule in RULES if rule.startswith("access-")]


def check(body: str, page_type: str = "product", html_attrs: str = ' lang="en"') -> PageReport:
    config = CheckConfig(rules={rule: "off" for rule in RULES if rule not in ACCESS})
    page = (
        f'<!doctype html><html{html_attrs}><head><meta charset="utf-8"><title>Shop</title>'
        f"</head><body>{body}</body></html>"
    )
    report = check_html(page, "page.html", config, page_type=page_type)
    assert report.error is None
    assert not [note for note in report.notes if "failed" in note], report.notes
    return report


def findings(report: PageReport, rule: str) -> list[str]:
    return [f"{f.severity}: {f.message}" for f in report.findings if f.rule == rule]


def selected(body: str, selector: str | None) -> list[str]:
    """The tag names the finding's selector selects in the page (exactly one expected)."""
    assert selector is not None
    soup = BeautifulSoup(f"<html><body>{body}</body></html>", "lxml")
    return [tag.name for tag in soup.select(selector)]


GALLERY = (
    '<div class="product__media-list">'
    '<img src="//shop.example/cdn/files/urban-side_1200x.jpg" alt="Urban pannier, side view, '
    'black" width="1200" height="1200">'
    '<img src="//shop.example/cdn/files/urban-open_1200x.jpg" alt="Urban pannier opened, '
    'laptop sleeve" width="1200" height="1200"></div>'
)

# Dawn: the variant radios (fieldset and legend), sold-out text only for screen readers, the
# quantity input with its label, the buy button whose spinner is hidden.
DAWN = (
    '<div class="product__info-container"><h1 class="product__title">Urban pannier</h1>'
    '<div class="price"><span class="price-item price-item--regular">€49,95</span></div>'
    '<variant-radios class="no-js-hidden"><fieldset class="js product-form__input">'
    '<legend class="form__label">Colour</legend>'
    '<input type="radio" id="template--1__main-1-0" name="Colour" value="Black" '
    'form="product-form-template--1__main" checked>'
    '<label for="template--1__main-1-0">Black<span class="visually-hidden label-unavailable">'
    "</span></label>"
    '<input type="radio" id="template--1__main-1-1" name="Colour" value="Olive" '
    'form="product-form-template--1__main" class="disabled">'
    '<label for="template--1__main-1-1">Olive<span class="visually-hidden label-unavailable">'
    "Variant sold out or unavailable</span></label></fieldset></variant-radios>"
    '<div class="product-form__input product-form__quantity">'
    '<label class="quantity__label form__label" for="Quantity-template--1__main">Quantity'
    '</label><quantity-input class="quantity">'
    '<button class="quantity__button no-js-hidden" name="minus" type="button">'
    '<span class="visually-hidden">Decrease quantity for Urban pannier</span>'
    '<svg aria-hidden="true" focusable="false" class="icon icon-minus"></svg></button>'
    '<input class="quantity__input" type="number" name="quantity" '
    'id="Quantity-template--1__main" min="1" value="1" form="product-form-template--1__main">'
    '<button class="quantity__button no-js-hidden" name="plus" type="button">'
    '<span class="visually-hidden">Increase quantity for Urban pannier</span>'
    '<svg aria-hidden="true" focusable="false" class="icon icon-plus"></svg></button>'
    "</quantity-input></div>"
    '<product-form class="product-form"><form method="post" action="/cart/add" '
    'id="product-form-template--1__main" class="form" novalidate="novalidate" '
    'data-type="add-to-cart-form"><input type="hidden" name="id" value="4242" disabled '
    'class="product-variant-id"><div class="product-form__buttons">'
    "{button}</div></form></product-form></div>"
)
DAWN_BUTTON = (
    '<button type="submit" name="add" class="product-form__submit button button--full-width '
    'button--primary"><span>Add to cart</span><div class="loading-overlay__spinner hidden">'
    '<svg aria-hidden="true" focusable="false" class="spinner" viewBox="0 0 66 66"></svg>'
    "</div></button>"
)
ICON_BUTTON = (
    '<button type="submit" name="add" class="product-form__submit button button--full-width '
    'button--primary"><svg aria-hidden="true" focusable="false" class="icon icon-cart" '
    'viewBox="0 0 40 40"></svg><div class="loading-overlay__spinner hidden"></div></button>'
)


def test_dawn_buy_box_with_labelled_radios_quantity_and_button_gets_no_finding() -> None:
    report = check(GALLERY + DAWN.replace("{button}", DAWN_BUTTON))
    assert findings(report, "access-control-name") == []
    assert findings(report, "access-form-label") == []
    assert findings(report, "access-product-image-alt") == []


def test_icon_only_add_to_cart_button_is_an_error_pointing_at_the_button() -> None:
    body = GALLERY + DAWN.replace("{button}", ICON_BUTTON)
    report = check(body)
    found = [f for f in report.findings if f.rule == "access-control-name"]
    assert [f.severity for f in found] == ["error"]
    assert "the add-to-cart control has no accessible name" in found[0].message
    assert selected(body, found[0].selector) == ["button"]
    assert found[0].snippet is not None and found[0].snippet.startswith('<button type="submit"')


def test_icon_button_named_by_aria_label_or_an_image_alt_passes() -> None:
    by_label = ICON_BUTTON.replace('name="add"', 'name="add" aria-label="Add to cart"')
    by_image = ICON_BUTTON.replace(
        "<svg", '<img src="/cart.svg" alt="Add to cart" width="20"><svg', 1
    )
    for button in (by_label, by_image):
        report = check(GALLERY + DAWN.replace("{button}", button))
        assert findings(report, "access-control-name") == [], button


def test_image_with_empty_alt_does_not_name_a_button() -> None:
    button = ICON_BUTTON.replace("<svg", '<img src="/cart.svg" alt="" width="20"><svg', 1)
    report = check(GALLERY + DAWN.replace("{button}", button))
    assert len(findings(report, "access-control-name")) == 1


def test_quantity_stepper_buttons_with_only_icons_are_reported() -> None:
    body = DAWN.replace("{button}", DAWN_BUTTON).replace(
        '<span class="visually-hidden">Increase quantity for Urban pannier</span>', ""
    )
    report = check(GALLERY + body)
    messages = findings(report, "access-control-name")
    assert messages == [
        "error: a button has no accessible name: a screen reader announces it without saying "
        "what it does; give it visible text, a <label>, or aria-label"
    ]


def test_variant_radio_whose_label_points_elsewhere_is_reported() -> None:
    body = DAWN.replace("{button}", DAWN_BUTTON).replace(
        '<label for="template--1__main-1-1">', '<label for="template--1__main-9-9">'
    )
    report = check(GALLERY + body)
    assert findings(report, "access-control-name") == [
        "error: a radio option has no accessible name: a screen reader announces it without "
        "saying what it does; give it visible text, a <label>, or aria-label"
    ]


def test_colour_swatch_label_holding_only_an_image_is_named_by_its_alt() -> None:
    swatch = (
        '<h1>Urban pannier</h1><p>€49,95</p><form action="/cart/add" id="f">'
        '<div class="product-form-color"><input type="radio" id="c1" name="Color-1" '
        'value="Black" checked><label for="c1"><img src="/swatch-black.jpg" '
        'alt="Urban pannier - Black" width="60" height="73"></label></div>'
        '<div class="product-form-color"><input type="radio" id="c2" name="Color-1" '
        'value="Olive"><label for="c2"><img src="/swatch-olive.jpg" alt="" width="60" '
        'height="73"></label></div><button type="submit" name="add">Add to cart</button></form>'
    )
    report = check(GALLERY + swatch)
    found = [f for f in report.findings if f.rule == "access-control-name"]
    assert len(found) == 1
    assert selected(GALLERY + swatch, found[0].selector) == ["input"]
    assert 'value="Olive"' in (found[0].snippet or "")


# WooCommerce: a variable product's attribute select labelled in the variations table, and the
# quantity input as templates/global/quantity-input.php writes it (2.7: a title; 3.x: a label
# for screen readers only).
WOO = (
    '<div class="summary entry-summary"><h1 class="product_title entry-title">Urban pannier'
    '</h1><p class="price"><span class="woocommerce-Price-amount amount">'
    '<span class="woocommerce-Price-currencySymbol">€</span>49,95</span></p>'
    '<form class="variations_form cart" action="/product/urban/" method="post" '
    'enctype="multipart/form-data" data-product_id="65">'
    '<table class="variations" cellspacing="0" role="presentation"><tbody><tr>'
    '<th class="label"><label for="pa_colour">Colour</label></th><td class="value">'
    '<select id="pa_colour" class="" name="attribute_pa_colour" '
    'data-attribute_name="attribute_pa_colour" data-show_option_none="yes">'
    '<option value="">Choose an option</option><option value="black">Black</option>'
    "</select></td></tr></tbody></table>"
    '<div class="single_variation_wrap"><div class="woocommerce-variation-add-to-cart '
    'variations_button">{quantity}'
    '<button type="submit" class="single_add_to_cart_button button alt">Add to basket</button>'
    '<input type="hidden" name="add-to-cart" value="65">'
    '<input type="hidden" name="product_id" value="65"></div></div></form></div>'
)
WOO_QTY_27 = (
    '<div class="quantity"><input type="number" step="1" min="1" max="" name="quantity" '
    'value="1" title="Qty" class="input-text qty text" size="4" pattern="[0-9]*" '
    'inputmode="numeric" /></div>'
)
WOO_QTY_3 = (
    '<div class="quantity"><label class="screen-reader-text" for="quantity_65f1">Urban '
    'pannier quantity</label><input type="number" id="quantity_65f1" class="input-text qty '
    'text" step="1" min="1" max="" name="quantity" value="1" size="4" placeholder="" '
    'inputmode="numeric" autocomplete="off" /></div>'
)


@pytest.mark.parametrize("quantity", [WOO_QTY_27, WOO_QTY_3], ids=["title", "sr-only-label"])
def test_woocommerce_quantity_and_variation_select_are_named(quantity: str) -> None:
    report = check(GALLERY + WOO.replace("{quantity}", quantity))
    assert findings(report, "access-control-name") == []
    assert findings(report, "access-form-label") == []


def test_quantity_input_without_label_or_title_is_reported() -> None:
    bare = WOO_QTY_27.replace(' title="Qty"', "")
    body = GALLERY + WOO.replace("{quantity}", bare)
    report = check(body)
    found = [f for f in report.findings if f.rule == "access-control-name"]
    assert [f.message.split(" has ")[0] for f in found] == ["the quantity field"]
    assert selected(body, found[0].selector) == ["input"]


def test_variation_select_whose_table_label_is_gone_is_reported() -> None:
    body = WOO.replace("{quantity}", WOO_QTY_3).replace(
        '<label for="pa_colour">Colour</label>', "Colour"
    )
    report = check(GALLERY + body)
    assert [m.split(" has ")[0] for m in findings(report, "access-control-name")] == [
        "error: an option list"
    ]


# Magento 2 (Luma): the swatch renderer writes role="option" swatches named by aria-label in a
# listbox labelled by the attribute's label.
MAGENTO = (
    '<div class="product-info-main"><div class="page-title-wrapper product"><h1 '
    'class="page-title"><span class="base" data-ui-id="page-title-wrapper" itemprop="name">'
    "Urban pannier</span></h1></div>"
    '<div class="price-box price-final_price"><span class="price">€49,95</span></div>'
    '<form data-product-sku="MB01" action="/checkout/cart/add/" method="post" '
    'id="product_addtocart_form"><div class="swatch-opt">'
    '<div class="swatch-attribute color" data-attribute-code="color" data-attribute-id="93">'
    '<span id="option-label-color-93" class="swatch-attribute-label">Color</span>'
    '<div aria-activedescendant="" tabindex="0" aria-invalid="false" aria-required="true" '
    'role="listbox" aria-labelledby="option-label-color-93" class="swatch-attribute-options '
    'clearfix">{swatches}</div></div></div>'
    '<div class="box-tocart"><div class="field qty"><label class="label" for="qty">'
    '<span>Qty</span></label><div class="control"><input type="number" name="qty" id="qty" '
    'min="0" value="1" title="Qty" class="input-text qty"></div></div>'
    '<div class="actions"><button type="submit" title="Add to Cart" class="action primary '
    'tocart" id="product-addtocart-button"><span>Add to Cart</span></button></div></div>'
    "</form></div>"
)


def _swatch(label: str, colour: str, named: bool = True) -> str:
    aria = f' aria-label="{label}"' if named else ""
    return (
        f'<div class="swatch-option color" id="option-label-color-93-item-{label}" index="0" '
        f'aria-checked="false" aria-describedby="option-label-color-93" tabindex="0" '
        f'data-option-type="1" data-option-label="{label}"{aria} role="option" '
        f'option-label="{label}" style="background: {colour} no-repeat center;"></div>'
    )


def test_magento_swatches_named_by_aria_label_pass() -> None:
    swatches = _swatch("Black", "#000000") + _swatch("Blue", "#1857f7")
    report = check(GALLERY + MAGENTO.replace("{swatches}", swatches))
    assert findings(report, "access-control-name") == []


def test_magento_swatch_with_only_a_background_colour_is_reported() -> None:
    swatches = _swatch("Black", "#000000") + _swatch("Blue", "#1857f7", named=False)
    body = GALLERY + MAGENTO.replace("{swatches}", swatches)
    report = check(body)
    found = [f for f in report.findings if f.rule == "access-control-name"]
    assert [f.message.split(" has ")[0] for f in found] == ["an option swatch"]
    assert selected(body, found[0].selector) == ["div"]


def test_controls_hidden_from_assistive_technology_need_no_name() -> None:
    hidden = (
        '<button type="button" class="qty-plus" style="display: none"><svg></svg></button>'
        '<button type="button" class="wishlist" hidden><svg></svg></button>'
        '<div aria-hidden="true"><button type="button" class="zoom"><svg></svg></button></div>'
        '<dialog><button type="button" class="close"><svg></svg></button></dialog>'
        '<button type="button" class="share" disabled><svg></svg></button>'
    )
    body = GALLERY + DAWN.replace("{button}", DAWN_BUTTON + hidden)
    assert findings(check(body), "access-control-name") == []
    shown = hidden.replace(' style="display: none"', "")
    assert len(findings(check(GALLERY + DAWN.replace("{button}", DAWN_BUTTON + shown)),
                        "access-control-name")) == 1  # fmt: skip


def test_quick_add_buttons_of_related_products_are_not_the_buy_box() -> None:
    card = (
        '<li class="grid__item"><div class="card"><a href="/p/{n}">Bag {n}</a>'
        '<span class="price">€{n}9,95</span><button type="button" class="quick-add__submit">'
        '<svg aria-hidden="true"></svg></button></div></li>'
    )
    related = (
        '<section class="related-products"><h2>You may also like</h2><ul class="grid">'
        + "".join(card.replace("{n}", str(n)) for n in range(1, 4))
        + "</ul></section>"
    )
    report = check("<main>" + GALLERY + DAWN.replace("{button}", DAWN_BUTTON) + related + "</main>")
    assert findings(report, "access-control-name") == []


# --- product photos -------------------------------------------------------------------------


def test_product_photo_without_alt_is_an_error_and_its_selector_finds_it() -> None:
    gallery = GALLERY.replace(' alt="Urban pannier opened, laptop sleeve"', "")
    body = gallery + DAWN.replace("{button}", DAWN_BUTTON)
    report = check(body)
    found = [f for f in report.findings if f.rule == "access-product-image-alt"]
    assert [f.severity for f in found] == ["error"]
    assert selected(body, found[0].selector) == ["img"]
    assert "urban-open" in (found[0].snippet or "")


def test_every_product_photo_marked_decorative_is_a_warning() -> None:
    gallery = GALLERY.replace('alt="Urban pannier, side view, black"', 'alt=""').replace(
        'alt="Urban pannier opened, laptop sleeve"', 'alt=""'
    )
    report = check(gallery + DAWN.replace("{button}", DAWN_BUTTON))
    assert [m.split(":")[0] for m in findings(report, "access-product-image-alt")] == ["warning"]


def test_decorative_images_outside_the_gallery_and_one_empty_thumbnail_are_fine() -> None:
    thumbnail = GALLERY.replace(
        "</div>",
        '<img src="//shop.example/cdn/files/urban-side_100x.jpg" alt="" width="100"></div>',
    )
    badges = (
        '<footer><img src="/icons/ideal.svg" alt="" width="40"><img src="/payment/visa.png" '
        'width="40"></footer>'
    )
    report = check(thumbnail + DAWN.replace("{button}", DAWN_BUTTON) + badges)
    assert findings(report, "access-product-image-alt") == []


# --- form fields ----------------------------------------------------------------------------

CHECKOUT = (
    '<header><form role="search" action="/search"><input type="search" name="q"></form>'
    '</header><main><h1>Checkout</h1><form action="/checkout" method="post">'
    '<input type="hidden" name="csrf_token" value="x">'
    '<label for="email">Email</label><input type="email" id="email" name="email" '
    'autocomplete="email">'
    '<div class="field"><span>Postcode</span><input type="text" id="postcode" name="postcode">'
    "</div>"
    '<label>Country <select name="country"><option>Netherlands</option></select></label>'
    '<textarea name="note" aria-labelledby="note-label"></textarea>'
    '<p id="note-label">Note for the courier</p>'
    '<button type="submit">Continue to payment</button></form></main>'
)


def test_checkout_field_without_label_is_reported_once_and_hidden_and_header_fields_not() -> None:
    report = check(CHECKOUT, page_type="checkout")
    found = [f for f in report.findings if f.rule == "access-form-label"]
    assert [f.message.split(":")[0] for f in found] == ["a text field has no label"]
    assert selected(CHECKOUT, found[0].selector) == ["input"]
    assert 'id="postcode"' in (found[0].snippet or "")
    assert findings(report, "access-control-name") == []


def test_checkout_with_every_field_labelled_passes() -> None:
    fixed = CHECKOUT.replace("<span>Postcode</span>", '<label for="postcode">Postcode</label>')
    assert findings(check(fixed, page_type="checkout"), "access-form-label") == []


def test_aria_labelledby_naming_a_missing_id_does_not_name_the_field() -> None:
    broken = CHECKOUT.replace('id="note-label"', 'id="courier-note"').replace(
        "<span>Postcode</span>", '<label for="postcode">Postcode</label>'
    )
    report = check(broken, page_type="checkout")
    assert [m.split(":")[1].strip() for m in findings(report, "access-form-label")] == [
        "a textarea field has no label"
    ]


def test_cart_remove_button_with_only_an_icon_is_reported() -> None:
    cart = (
        "<main><h1>Your cart</h1><table><tr><td>Urban pannier</td><td>€49,95</td><td>"
        '<label for="q1">Quantity</label><input type="number" id="q1" name="updates[]" '
        'value="1"></td><td><a href="/cart/change?line=1&amp;quantity=0" class="button">'
        '<svg aria-hidden="true"></svg></a><button type="submit" name="remove" '
        'class="cart-remove"><svg aria-hidden="true"></svg></button></td></tr></table>'
        '<button type="submit" name="checkout">Check out</button></main>'
    )
    report = check(cart, page_type="cart")
    found = [f for f in report.findings if f.rule == "access-control-name"]
    assert len(found) == 1 and selected(cart, found[0].selector) == ["button"]
    assert findings(report, "access-form-label") == []


# --- the page's language --------------------------------------------------------------------


@pytest.mark.parametrize("attrs", ["", ' lang=""', ' lang="english"', ' lang="nl_NL"'])
def test_missing_empty_or_invalid_lang_is_an_error(attrs: str) -> None:
    report = check("<h1>Over ons</h1><p>Wij zijn een winkel.</p>", "other", attrs)
    assert [m.split(":")[0] for m in findings(report, "access-page-lang")] == ["error"]


@pytest.mark.parametrize("tag", ["nl", "en-GB", "de-CH-1996", "zh-Hant-TW", "he"])
def test_valid_bcp47_lang_passes(tag: str) -> None:
    report = check("<h1>Over ons</h1><p>Wij zijn een winkel.</p>", "other", f' lang="{tag}"')
    assert findings(report, "access-page-lang") == []


# --- accessible names -----------------------------------------------------------------------


def _name(body: str, selector: str) -> str:
    page = Page(f"<html><body>{body}</body></html>", "page.html")
    tag = page.soup.select_one(selector)
    assert tag is not None
    return names_for(page).name(tag)


def test_names_follow_the_accessible_name_algorithm_in_the_common_cases() -> None:
    assert _name(
        '<span id="a">Colour</span><span id="b">Olive</span>'
        '<div role="option" aria-labelledby="a b" aria-label="ignored"></div>',
        "div",
    ) == "Colour Olive"  # fmt: skip
    assert _name('<button aria-label="Close">×</button>', "button") == "Close"
    assert (
        _name('<button>Add <span aria-hidden="true">🛒</span><span class="sr-only">to cart'
              "</span></button>", "button") == "Add to cart"
    )  # fmt: skip
    assert _name('<input type="submit" value="Buy now">', "input") == "Buy now"
    assert _name('<input type="submit">', "input") == "Submit"
    assert _name("<button><svg><title>Wishlist</title></svg></button>", "button") == "Wishlist"
    assert _name('<button title="Share"><svg></svg></button>', "button") == "Share"
    assert _name('<input type="email" placeholder="you@example.com">', "input") == (
        "you@example.com"
    )
    assert _name("<label>Size <select><option>M</option></select></label>", "select") == "Size"
    assert _name('<button><img src="/i.svg" alt=""></button>', "button") == ""


def test_unlabelled_engraving_field_in_the_buy_box_is_a_form_label_finding() -> None:
    engraving = (
        '<div class="product-form__input"><p>Engraving (max. 20 characters)</p>'
        '<input type="text" name="properties[Engraving]" maxlength="20" '
        'form="product-form-template--1__main"></div>'
    )
    body = GALLERY + DAWN.replace("{button}", DAWN_BUTTON).replace(
        "<product-form", engraving + "<product-form"
    )
    report = check(body)
    found = [f for f in report.findings if f.rule == "access-form-label"]
    assert [f.message.split(":")[0] for f in found] == ["a text field has no label"]
    assert selected(body, found[0].selector) == ["input"]
    assert findings(report, "access-control-name") == []
    labelled = body.replace('maxlength="20"', 'maxlength="20" aria-label="Engraving"')
    assert findings(check(labelled), "access-form-label") == []


def test_checked_pages_are_not_kept_alive_by_the_accessible_names_cache() -> None:
    import gc

    from defenceline.checks.accessibility import names as names_module

    html = (
        '<html lang="nl"><body><h1>Fietsbel</h1><p class="price">€ 12,95</p>'
        '<form><label for="q">Aantal</label><input id="q" name="qty" value="1">'
        '<button type="submit">In winkelwagen</button></form></body></html>'
    )
    for index in range(3):
        check_html(html, f"page-{index}.html")
    gc.collect()
    assert len(names_module._CACHE) == 0
