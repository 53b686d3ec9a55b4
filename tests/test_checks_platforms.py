"""Product pages as shop platforms render them: the checker reads price, currency and stock the
way a shopper does, helped by the state the platform embeds, and says where it read each fact.

Each page below is a trimmed copy of the markup a platform's stock theme produces (Shopify Dawn,
WooCommerce, Magento Luma, PrestaShop Classic, BigCommerce Cornerstone, Next.js and Nuxt
storefronts), with the traps real pages carry: old prices, unit prices, instalments, related
products, prices in cents, currency symbols that several currencies share.
"""

from __future__ import annotations

import html as html_lib
import json
from decimal import Decimal
from typing import Any

import pytest
from bs4 import BeautifulSoup

from defenceline.checks import check_html


def _page(body: str, lang: str = "en", head: str = "") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Shop</title>'
        f"{head}</head><body>{body}</body></html>"
    )


def _facts(page: str, url: str | None = None) -> dict[str, Any]:
    report = check_html(page, "page.html", url=url)
    assert report.page_type == "product", report.notes
    assert report.facts is not None
    return report.facts


# --- Shopify -----------------------------------------------------------------------------------

_DAWN_PRICE = (
    '<div class="price price--on-sale"><div class="price__container">'
    '<div class="price__regular"><span class="visually-hidden visually-hidden--inline">Regular '
    'price</span><span class="price-item price-item--regular">$40.00</span></div>'
    '<div class="price__sale"><span class="visually-hidden visually-hidden--inline">Regular price'
    '</span><span><s class="price-item price-item--regular">$50.00</s></span>'
    '<span class="visually-hidden visually-hidden--inline">Sale price</span>'
    '<span class="price-item price-item--sale price-item--last">$40.00</span></div></div>'
    '<small class="unit-price caption"><span>$8.00</span><span aria-hidden="true">/</span>'
    "<span>kg</span></small></div>"
)


def _dawn(button: str, variants: list[dict[str, Any]], currency: str = "CAD") -> str:
    meta = {
        "product": {"id": 1, "vendor": "Acme", "variants": variants},
        "page": {"pageType": "product"},
    }
    head = (
        f'<script>var Shopify = Shopify || {{}}; Shopify.currency = {{"active":"{currency}",'
        f'"rate":"1.0"}};</script><script>var meta = {json.dumps(meta)};\n'
        "for (var attr in meta) { window.ShopifyAnalytics.meta[attr] = meta[attr]; }</script>"
    )
    body = (
        '<main id="MainContent"><section class="product"><div class="product__info-container">'
        '<h1 class="product__title">Trail Bottle</h1>'
        f"{_DAWN_PRICE}"
        '<p class="product__tax caption">Tax included.</p>'
        '<form method="post" action="/cart/add" class="form">'
        f"{button}</form>"
        "<p>Or 4 interest-free payments of $10.00 with <b>Afterpay</b></p>"
        "</div></section>"
        '<div class="related-products"><h2>You may also like</h2><ul class="grid">'
        + "".join(
            f'<li class="grid__item"><div class="card"><a href="/p/{n}">Cup {n}</a>'
            f'<span class="price-item">${n}.00</span></div></li>'
            for n in (12, 15, 18)
        )
        + "</ul></div></main>"
    )
    return _page(body, "en", head)


_ADD = (
    '<button id="ProductSubmitButton-main" type="submit" name="add" '
    'class="product-form__submit button button--full-width">Add to cart</button>'
)
_SOLD_OUT = (
    '<button id="ProductSubmitButton-main" type="submit" name="add" disabled '
    'class="product-form__submit button button--full-width">Sold out</button>'
)


def test_shopify_sale_price_is_read_not_the_old_unit_or_instalment_price() -> None:
    facts = _facts(_dawn(_ADD, [{"id": 7, "price": 4000, "name": "Trail Bottle"}]))
    assert facts["price"] == "40.00"


def test_a_dollar_sign_takes_the_shops_own_currency_setting() -> None:
    facts = _facts(_dawn(_ADD, [{"id": 7, "price": 4000, "name": "Trail Bottle"}], "CAD"))
    assert facts["currency"] == "CAD"
    assert facts["provenance"]["currency"]["source"] in ("platform:shopify", "platform:settings")


def test_a_dollar_sign_without_any_setting_follows_the_pages_territory() -> None:
    body = (
        '<main><h1>Trail Bottle</h1><p class="price">$40.00</p><button>Add to cart</button></main>'
    )
    assert _facts(_page(body, "en-AU"))["currency"] == "AUD"
    assert _facts(_page(body, "en"), url="https://shop.example.ca/p/1")["currency"] == "CAD"
    assert _facts(_page(body, "en"))["currency"] == "USD"


def test_a_disabled_sold_out_button_means_out_of_stock() -> None:
    facts = _facts(_dawn(_SOLD_OUT, [{"id": 7, "price": 4000, "name": "Trail Bottle"}]))
    assert facts["availability"] == "OutOfStock"


def test_shopify_product_json_gives_stock_when_the_page_states_none() -> None:
    product = {
        "id": 1,
        "title": "Trail Bottle",
        "handle": "trail-bottle",
        "price": 4000,
        "available": False,
        "variants": [{"id": 7, "price": 4000, "available": False}],
    }
    page = _page(
        "<main><h1>Trail Bottle</h1><p class='price'>€40,00</p>"
        '<form action="/cart/add"><button type="submit" name="add">In winkelwagen</button>'
        f'</form><script type="application/json" data-product-json>{json.dumps(product)}'
        "</script></main>",
        "nl",
    )
    facts = _facts(page)
    assert facts["availability"] == "OutOfStock"
    assert facts["provenance"]["availability"]["source"] == "platform:shopify"
    assert facts["platform"] == "shopify"


def test_the_first_available_variant_is_the_one_shown() -> None:
    variants = [
        {"id": 1, "price": 2500, "available": False, "title": "S"},
        {"id": 2, "price": 2900, "available": True, "title": "M"},
    ]
    page = _page(
        "<main><h1>Wool Socks</h1>"
        '<form action="/cart/add"><button type="submit" name="add">Add to cart</button></form>'
        f'<script type="application/json">{json.dumps(variants)}</script></main>'
    )
    facts = _facts(page)
    assert Decimal(facts["price"]) == Decimal("29")  # cents in the variant JSON
    assert facts["availability"] == "InStock"
    assert facts["provenance"]["price"]["source"] == "platform:shopify"


# --- WooCommerce -------------------------------------------------------------------------------


def test_woocommerce_variable_product_from_price_and_stock_classes() -> None:
    variations = [
        {"variation_id": 11, "display_price": 20, "display_regular_price": 25, "is_in_stock": True},
        {
            "variation_id": 12,
            "display_price": 35,
            "display_regular_price": 35,
            "is_in_stock": False,
        },
    ]
    encoded = html_lib.escape(json.dumps(variations), quote=True)
    body = (
        '<div id="product-42" class="product type-product post-42 status-publish instock '
        'product-type-variable has-post-thumbnail">'
        '<div class="summary entry-summary"><h1 class="product_title entry-title">Linen Shirt</h1>'
        '<p class="price"><span class="woocommerce-Price-amount amount"><bdi><span '
        'class="woocommerce-Price-currencySymbol">&pound;</span>20.00</bdi></span> &ndash; '
        '<span class="woocommerce-Price-amount amount"><bdi><span '
        'class="woocommerce-Price-currencySymbol">&pound;</span>35.00</bdi></span></p>'
        f'<form class="variations_form cart" data-product_variations="{encoded}">'
        '<button type="submit" class="single_add_to_cart_button button alt">Add to basket'
        "</button></form></div></div>"
    )
    page = _page(body, "en-GB").replace(
        "<body>",
        '<body class="product-template-default '
        'single single-product woocommerce woocommerce-page">',
    )
    facts = _facts(page)
    assert (facts["price"], facts["currency"]) == ("20.00", "GBP")
    assert facts["availability"] == "InStock"


# --- Magento -----------------------------------------------------------------------------------


def test_magento_final_price_box_not_the_old_price_or_related_boxes() -> None:
    def box(amount: str, kind: str, shown: str) -> str:
        return (
            f'<span class="price-container price-{kind}"><span id="product-price-{kind}" '
            f'data-price-amount="{amount}" data-price-type="{kind}" class="price-wrapper">'
            f'<span class="price">{shown}</span></span></span>'
        )

    body = (
        '<main id="maincontent" class="page-main"><div class="product-info-main">'
        '<div class="page-title-wrapper product"><h1 class="page-title"><span class="base">'
        'Hiking Jacket</span></h1></div><div class="price-box price-final_price">'
        '<span class="special-price">'
        + box("89.9", "finalPrice", "89,90 €")
        + '</span><span class="old-price">'
        + box("129", "oldPrice", "129,00 €")
        + '</span></div><div class="stock available" title="Verfügbarkeit"><span>Auf Lager'
        '</span></div><form id="product_addtocart_form"><button type="submit" title="In den '
        'Warenkorb" class="action primary tocart" id="product-addtocart-button"><span>In den '
        "Warenkorb</span></button></form></div>"
        '<div class="block related"><ol class="products list">'
        + "".join(
            f'<li class="item product"><div class="price-box">{box(p, "finalPrice", p + " €")}'
            "</div></li>"
            for p in ("19", "29", "39")
        )
        + "</ol></div></main>"
    )
    facts = _facts(_page(body, "de-DE"))
    assert (facts["price"], facts["currency"], facts["availability"]) == (
        "89.90",
        "EUR",
        "InStock",
    )


# --- PrestaShop, BigCommerce ------------------------------------------------------------------


def test_prestashop_currency_setting_decides_a_bare_amount() -> None:
    data = {
        "id_product": 3,
        "name": "Tasse Alpine",
        "price_amount": 24.5,
        "availability": "unavailable",
    }
    encoded = html_lib.escape(json.dumps(data), quote=True)
    head = (
        '<script>var prestashop = {"currency":{"iso_code":"CHF","sign":"CHF"},'
        '"language":{"iso_code":"fr"}};</script>'
    )
    body = (
        '<section id="main"><h1 class="h1">Tasse Alpine</h1>'
        '<div class="product-prices"><div class="current-price"><span class="current-price-value"'
        ' content="24.5">24,50</span></div></div>'
        '<div class="product-add-to-cart"><button class="btn btn-primary add-to-cart" '
        'data-button-action="add-to-cart" type="submit" disabled>Ajouter au panier</button></div>'
        f'<div class="tab-pane" id="product-details" data-product="{encoded}"></div></section>'
    )
    facts = _facts(_page(body, "fr-CH", head))
    assert (facts["price"], facts["currency"]) == ("24.50", "CHF")
    assert facts["availability"] == "OutOfStock"


def test_bigcommerce_bcdata_confirms_price_and_stock() -> None:
    data = {
        "product_attributes": {
            "price": {"without_tax": {"formatted": "$49.00", "value": 49, "currency": "AUD"}},
            "instock": True,
            "purchasable": True,
        }
    }
    body = (
        '<main class="body"><div class="productView"><h1 class="productView-title">Camp Stool'
        '</h1><div class="productView-price"><span class="price price--withoutTax">$49.00</span>'
        '</div><p>4 x $12.25 with Afterpay</p><input id="form-action-addToCart" type="submit" '
        'class="button button--primary" value="Add to Cart"></div></main>'
        f"<script>var BCData = {json.dumps(data)};</script>"
    )
    facts = _facts(_page(body, "en"))
    assert (facts["price"], facts["currency"], facts["availability"]) == ("49.00", "AUD", "InStock")
    assert facts["platform"] == "bigcommerce"


# --- JavaScript storefronts ---------------------------------------------------------------------


def test_next_data_product_fills_currency_and_stock() -> None:
    state = {
        "props": {
            "pageProps": {
                "product": {
                    "title": "Ceramic Vase",
                    "availableForSale": False,
                    "priceRange": {"minVariantPrice": {"amount": "59.0", "currencyCode": "SEK"}},
                },
                "recommendations": [{"title": "Bowl", "price": {"amount": "19.0"}}],
            }
        }
    }
    body = (
        '<div id="__next"><main><h1>Ceramic Vase</h1><p class="text-lg">59 kr</p>'
        "<button disabled>Lägg i varukorgen</button></main></div>"
        f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(state)}</script>'
    )
    facts = _facts(_page(body, "sv"))
    assert (facts["price"], facts["currency"], facts["availability"]) == (
        "59.00",
        "SEK",
        "OutOfStock",
    )


def test_nuxt_payload_is_decoded() -> None:
    # devalue: the root object's values point at other entries of the array.
    payload = [{"data": 1}, {"product": 2}, {"name": 3, "price": 4, "currency": 5, "inStock": 6},
               "Stoel Nova", 129.95, "EUR", True]  # fmt: skip
    body = (
        '<div id="__nuxt"><h1>Stoel Nova</h1><p class="prijs">€ 129,95</p>'
        "<button>In winkelwagen</button></div>"
        f'<script type="application/json" id="__NUXT_DATA__">{json.dumps(payload)}</script>'
    )
    facts = _facts(_page(body, "nl"))
    assert facts["price"] == "129.95"
    assert facts["availability"] == "InStock"
    assert facts["platform"] == "nuxt"


# --- structured data ---------------------------------------------------------------------------


def _ld(value: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(value)}</script>'


def test_graph_with_related_products_reads_the_main_one() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "name": "Rain Jacket"},
            {
                "@type": "Product",
                "name": "Rain Jacket",
                "offers": {"@type": "Offer", "price": "120.00", "priceCurrency": "NOK",
                           "availability": "https://schema.org/PreOrder"},
                "isRelatedTo": [{"@type": "Product", "name": "Rain Hat",
                                 "offers": {"@type": "Offer", "price": "20.00"}}],
            },
            {"@type": "Product", "name": "Boots", "offers": {"@type": "Offer", "price": "90"}},
        ],
    }  # fmt: skip
    body = _ld(graph) + "<main><h1>Rain Jacket</h1><p>kr 120,00</p></main>"
    facts = _facts(_page(body, "nb"))
    assert (facts["price"], facts["currency"], facts["availability"]) == (
        "120.00",
        "NOK",
        "PreOrder",
    )
    assert facts["provenance"]["availability"]["source"] == "json-ld"


def test_product_group_variants_give_the_price_when_the_page_shows_none() -> None:
    group = {
        "@context": "https://schema.org",
        "@type": "ProductGroup",
        "name": "Desk Lamp",
        "hasVariant": [
            {"@type": "Product", "name": "Desk Lamp black",
             "offers": {"@type": "Offer", "price": 45, "priceCurrency": "EUR",
                        "availability": "https://schema.org/OutOfStock"}},
            {"@type": "Product", "name": "Desk Lamp white",
             "offers": {"@type": "Offer", "price": 49, "priceCurrency": "EUR",
                        "availability": "https://schema.org/InStock"}},
        ],
    }  # fmt: skip
    facts = _facts(_page(_ld(group) + "<main><h1>Desk Lamp</h1></main>"))
    assert (facts["price"], facts["availability"]) == ("49.00", "InStock")


def test_rdfa_product_is_read_through_extruct() -> None:
    body = (
        '<main vocab="https://schema.org/" typeof="Product"><h1 property="name">Oak Board</h1>'
        '<div property="offers" typeof="Offer"><span property="priceCurrency" content="GBP">£'
        '</span><span property="price" content="35.00">35.00</span>'
        '<link property="availability" href="https://schema.org/InStock"></div></main>'
    )
    facts = _facts(_page(body, "en-GB"))
    assert (facts["price"], facts["currency"], facts["availability"]) == ("35.00", "GBP", "InStock")
    assert facts["provenance"]["name"]["source"] == "rdfa"


def test_microdata_mixed_with_json_ld_does_not_take_a_related_products_price() -> None:
    body = (
        _ld({"@context": "https://schema.org", "@type": "Product", "name": "Tent Duo",
             "offers": {"@type": "Offer", "price": "249.00", "priceCurrency": "EUR"}})
        + '<main><h1>Tent Duo</h1><p class="price">249,00 €</p><button>In den Warenkorb</button>'
        '<section class="cross-sell"><h2>Passend dazu</h2>'
        '<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Heringe'
        '</span><span itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        '<span itemprop="price" content="9.99">9,99 €</span></span></div></section></main>'
    )  # fmt: skip
    facts = _facts(_page(body, "de"))
    assert (facts["price"], facts["currency"]) == ("249.00", "EUR")


# --- prices as the world writes them ------------------------------------------------------------

WORLD_PRICES = {
    "cents in sup": ("en", '<p class="price">$12<sup>99</sup></p>', "12.99", "USD"),
    "french euro mark": ("fr", '<p class="prix">12€99</p>', "12.99", "EUR"),
    "yen without decimals": ("ja", '<p class="price">¥1,980（税込）</p>', "1980", "JPY"),
    "yen after the number": ("ja", '<p class="price">12,800円</p>', "12800", "JPY"),
    "indian grouping": ("en-IN", '<p class="price">₹1,29,900</p>', "129900.00", "INR"),
    "space grouping": ("fr", '<p class="prix">1&nbsp;299,00&nbsp;€</p>', "1299.00", "EUR"),
    "swiss apostrophe": ("de-CH", '<p class="preis">CHF 1\'299.00</p>', "1299.00", "CHF"),
    "hebrew shekel": ("he", '<p class="price">₪ 129.90</p>', "129.90", "ILS"),
    "russian rouble": ("ru", '<p class="price">2 490 ₽</p>', "2490.00", "RUB"),
    "forint": ("hu", '<p class="price">12 990 Ft</p>', "12990", "HUF"),
    "krona": ("sv", '<p class="price">299 kr</p>', "299.00", "SEK"),
    # The trap sits between the price and the button, nearer the button.
    "unit price": ("nl", "<p>€ 12,50</p><p>€ 2,50/kg</p>", "12.50", "EUR"),
    "instalments": ("it", "<p>30,00 €</p><p>3 rate da 10,00 €</p>", "30.00", "EUR"),
    "klarna": ("en-GB", "<p>£30.00</p><p>or 3 payments of £10.00</p>", "30.00", "GBP"),
    "deposit": ("de", "<p>1,99 €</p><p>zzgl. Pfand 0,25 €</p>", "1.99", "EUR"),
    "save": ("en", "<p>$30.00</p><p>Save $10.00</p>", "30.00", "USD"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(WORLD_PRICES))
def test_prices_in_every_format_are_read(name: str) -> None:
    lang, price_html, price, currency = WORLD_PRICES[name]
    body = f"<main><h1>Product</h1>{price_html}<button>Add to cart</button></main>"
    facts = _facts(_page(body, lang))
    assert (facts["price"], facts["currency"]) == (price, currency)


# --- stock in every supported language ----------------------------------------------------------

STOCK_TEXTS = {
    "he": ("אזל מהמלאי", "OutOfStock"),
    "ru": ("Нет в наличии", "OutOfStock"),
    "el": ("Άμεσα διαθέσιμο", "InStock"),
    "ja": ("在庫切れ", "OutOfStock"),
    "ja-preorder": ("予約受付中", "PreOrder"),
    "ru-order": ("Под заказ", "BackOrder"),
    "de": ("Vorbestellbar", "PreOrder"),
    "en-notify": ("Notify me when available", "OutOfStock"),
}


@pytest.mark.parametrize("name", sorted(STOCK_TEXTS))
def test_stated_stock_is_read_in_every_language(name: str) -> None:
    text, term = STOCK_TEXTS[name]
    body = (
        f'<main><h1>Product</h1><p class="price">€ 10,00</p><p class="stock">{text}</p>'
        "<button>Add to cart</button></main>"
    )
    facts = _facts(_page(body, name.split("-")[0]))
    assert facts["availability"] == term
    assert facts["provenance"]["availability"]["source"] == "page"


def test_an_enabled_add_to_cart_button_alone_means_in_stock_but_stock_visible_still_reports() -> (
    None
):
    body = (
        '<main><h1>Product</h1><p class="price">€ 10,00</p><button>In winkelwagen</button></main>'
    )
    report = check_html(_page(body, "nl"), "p.html")
    assert report.facts is not None
    assert report.facts["availability"] == "InStock"
    assert report.facts["provenance"]["availability"]["source"] == "buy-button"
    assert "stock-visible" in {finding.rule for finding in report.findings}


def test_only_a_disabled_button_makes_stock_visible_a_warning() -> None:
    body = (
        '<main><h1>Product</h1><p class="price">€ 10,00</p>'
        '<button class="add-to-cart" disabled>In winkelwagen</button></main>'
    )
    report = check_html(_page(body, "nl"), "p.html")
    assert report.facts is not None and report.facts["availability"] == "OutOfStock"
    stock = [f for f in report.findings if f.rule == "stock-visible"]
    assert [f.severity for f in stock] == ["warning"]


def test_markup_matches_page_ignores_stock_inferred_from_the_button() -> None:
    body = (
        _ld({"@context": "https://schema.org", "@type": "Product", "name": "Lamp",
             "offers": {"@type": "Offer", "price": "10.00", "priceCurrency": "EUR",
                        "availability": "https://schema.org/InStock"}})
        + '<main><h1>Lamp</h1><p class="price">€ 10,00</p>'
        '<button class="add-to-cart" disabled>In winkelwagen</button></main>'
    )  # fmt: skip
    report = check_html(_page(body, "nl"), "p.html")
    assert "markup-matches-page" not in {finding.rule for finding in report.findings}


# --- provenance --------------------------------------------------------------------------------


def test_every_fact_says_where_it_was_read_with_a_selector_that_finds_it() -> None:
    page = _dawn(_ADD, [{"id": 7, "price": 4000, "name": "Trail Bottle"}])
    facts = _facts(page)
    price = facts["provenance"]["price"]
    assert price["source"] == "page"
    soup = BeautifulSoup(page, "lxml")
    assert "$40.00" in soup.select_one(price["selector"]).get_text()
    assert set(facts["provenance"]) >= {"name", "price", "currency", "availability"}
    assert facts["sources"]["price"] == "page"


def test_every_report_format_shows_where_the_price_was_read() -> None:
    from defenceline.checks import check_documents
    from defenceline.checks.formats import render_junit, render_sarif, render_text
    from defenceline.checks.htmlreport import render_html

    body = (
        _ld({"@context": "https://schema.org", "@type": "Product", "name": "Lamp",
             "offers": {"@type": "Offer", "availability": "https://schema.org/InStock"}})
        + '<main><h1>Lamp</h1><p class="price" id="price">€ 10,00</p>'
        "<button>In winkelwagen</button></main>"
    )  # fmt: skip
    report = check_documents([("lamp.html", _page(body, "nl"))])
    assert "price 10.00 EUR (from page at #price)" in render_text(report)
    assert "InStock (from json-ld" in render_text(report)
    assert "from page at #price" in render_html(report)
    assert 'name="price" value="10.00 (from page at #price)"' in render_junit(report)
    sarif = json.loads(render_sarif(report))
    facts = sarif["runs"][0]["properties"]["facts"]["lamp.html"]
    assert facts["provenance"]["price"] == {
        "source": "page",
        "selector": "#price",
        "text": "€ 10,00",
    }


# --- what tuning on real-shaped pages taught ----------------------------------------------------


def _related_cards(price: str, label: str = "Add to cart") -> str:
    return (
        '<section class="related-products"><h2>You may also like</h2><ul class="grid">'
        + "".join(
            f'<li class="grid__item"><div class="card"><a href="/p/{n}">Item {n}</a>'
            f'<div class="price"><span>{price}{n}.00</span></div><button type="button" '
            f'class="quick-add__submit button" name="add">{label}</button></div></li>'
            for n in range(1, 5)
        )
        + "</ul></section>"
    )


def test_quick_add_buttons_of_other_products_are_not_the_buy_button() -> None:
    # The related products come first in the markup and the product's own button says
    # "Sold out": the price next to the first quick-add button is not the product's.
    body = (
        '<main><div class="product"><h1>Duvet Cover</h1><p class="price">€ 179,00</p>'
        '<p class="stock">Sold out</p><button type="submit" disabled>Sold out</button></div>'
        + _related_cards("€ ")
        + "</main>"
    )
    facts = _facts(_page(body, "en"))
    assert (facts["price"], facts["availability"]) == ("179.00", "OutOfStock")


def test_a_sold_out_badge_counts_only_when_its_container_is_sold_out() -> None:
    def dawn(state: str) -> str:
        return (
            f'<main><h1>Wool Sweater</h1><div class="price price--on-sale {state}">'
            '<span class="price-item price-item--sale">€ 89,00</span>'
            '<span class="badge price__badge-sale">Sale</span>'
            '<span class="badge price__badge-sold-out">Sold out</span></div>'
            '<p>Only 2 left!</p><button type="submit" name="add" '
            'class="product-form__submit">Add to cart</button></main>'
        )

    assert _facts(_page(dawn(""), "en"))["availability"] != "OutOfStock"
    assert _facts(_page(dawn("price--sold-out"), "en"))["availability"] == "OutOfStock"


def test_analytics_events_name_the_currency_a_shared_symbol_stands_for() -> None:
    body = (
        '<main><h1>Desk Lamp</h1><p class="price">$512.99</p><button>Add to cart</button></main>'
        "<script>gtag('event', 'view_item', {currency: 'CAD', value: 512.99});\n"
        "fbq('track', 'ViewContent', {content_type: 'product', currency: 'CAD'});</script>"
    )
    facts = _facts(_page(body, "en"))
    assert facts["currency"] == "CAD"


def test_a_button_disabled_until_a_variation_is_chosen_is_not_sold_out() -> None:
    ld = _ld({"@context": "https://schema.org", "@type": "Product", "name": "Mug",
              "offers": {"@type": "AggregateOffer", "lowPrice": "149.99", "highPrice": "216.94",
                         "priceCurrency": "EUR",
                         "availability": "https://schema.org/InStock"}})  # fmt: skip
    body = (
        ld + '<main><h1>Mug</h1><p class="price">149,99 € – 216,94 €</p>'
        '<button type="submit" class="single_add_to_cart_button button alt disabled '
        'wc-variation-selection-needed">In den Warenkorb</button></main>'
    )
    facts = _facts(_page(body, "de"))
    assert (facts["price"], facts["availability"]) == ("149.99", "InStock")


def test_availability_on_the_product_and_an_offer_without_its_product_are_read() -> None:
    luma = (
        '<main><div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">Beans'
        '</h1><meta itemprop="availability" content="http://schema.org/InStock">'
        '<div itemprop="offers" itemscope itemtype="http://schema.org/Offer">'
        '<span itemprop="price" content="63.50">63,50 zł</span>'
        '<meta itemprop="priceCurrency" content="PLN"></div></div>'
        "<p>Brak w magazynie</p><button>Dodaj do koszyka</button></main>"
    )
    report = check_html(_page(luma, "pl"), "p.html")
    assert "markup-matches-page" in {finding.rule for finding in report.findings}
    presta = (
        '<main><h1>Rain Jacket</h1><div itemprop="offers" itemscope '
        'itemtype="https://schema.org/Offer"><link itemprop="availability" '
        'href="https://schema.org/InStock"><span itemprop="price" content="1618.95">$1,618.95'
        '</span></div><p id="product-availability">Out of stock</p>'
        "<button>Add to cart</button></main>"
    )
    report = check_html(_page(presta, "en"), "p.html")
    assert "markup-matches-page" in {finding.rule for finding in report.findings}


def test_a_stated_back_order_beats_a_nearer_low_stock_line() -> None:
    body = (
        '<main><h1>Caffè</h1><p class="price">€ 348,99</p>'
        "<p>Su ordinazione – spedito in 2-3 settimane</p><p>Affrettati, solo 5 pezzi rimasti!</p>"
        "<button>Aggiungi al carrello</button></main>"
    )
    assert _facts(_page(body, "it"))["availability"] == "BackOrder"


AMOUNTS_THAT_ARE_NOT_THE_PRICE = {
    "ru saving": ("ru", "<p>4 899,00 ₽</p><p>Экономия 1 500,00 ₽</p>", "4899.00"),
    "el instalments": ("el", "<p>€ 1.298,95</p><p>ή έως 3 άτοκες δόσεις των € 432,98</p>",
                       "1298.95"),
    "pl instalments": ("pl", "<p>1 500,50 zł</p><p>lub 10 rat po 150,05 zł</p>", "1500.50"),
    "sv free shipping": ("sv", "<p>679,00 kr</p><p>Fri frakt över 569,00 kr</p>", "679.00"),
    "ja saving": ("ja", "<p>79,800円</p><p>24,000円お得</p>", "79800"),
    "shopware list price": (
        "en-AU",
        '<p class="product-detail-price with-list-price">A$81.00*</p>'
        '<p class="list-price">A$105.00*</p><p>Content: 0.75 kg (A$108.00* / 1 kg)</p>',
        "81.00",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(AMOUNTS_THAT_ARE_NOT_THE_PRICE))
def test_amounts_near_the_button_that_are_not_the_price(name: str) -> None:
    lang, prices, price = AMOUNTS_THAT_ARE_NOT_THE_PRICE[name]
    body = f"<main><h1>Product</h1>{prices}<button>Add to cart</button></main>"
    assert _facts(_page(body, lang))["price"] == price


def test_the_shop_name_in_a_header_h1_is_not_the_product_heading() -> None:
    body = (
        '<header class="site-header"><h1 class="logo">Kestrel Goods</h1>'
        '<button class="add-to-cart">Add to cart</button></header>'
        '<main><h1>Trail Bottle</h1><p class="price">£18.00</p>'
        "<button>Add to basket</button></main>"
    )
    facts = _facts(_page(body, "en-GB"))
    assert facts["price"] == "18.00"
    assert facts["provenance"]["name"]["source"] == "page"
    assert facts["name"] == "Trail Bottle"


@pytest.mark.parametrize(
    ("text", "lang", "price", "currency"),
    [
        ("29,95 euro", "it", "29.95", "EUR"),
        ("120.00 د.إ", "ar", "120.00", "AED"),
        ("Rp 150.000", "id", "150000", "IDR"),
        ("RM 49.90", "ms", "49.90", "MYR"),
    ],
)
def test_currency_words_and_symbols_beyond_the_usual(
    text: str, lang: str, price: str, currency: str
) -> None:
    body = f'<main><h1>Product</h1><p class="price">{text}</p><button>Add to cart</button></main>'
    facts = _facts(_page(body, lang))
    assert (Decimal(facts["price"]), facts["currency"]) == (Decimal(price), currency)


def test_shopify_prices_are_cents_unless_the_theme_wrote_them_out() -> None:
    def page(price: object) -> str:
        product = {"title": "Socks", "handle": "socks", "variants": [{"price": price}]}
        return _page(
            "<main><h1>Socks</h1><button type='submit' name='add'>Add to cart</button>"
            f"<script type='application/json' data-product-json>{json.dumps(product)}</script>"
            "</main>"
        )

    assert Decimal(_facts(page(2995))["price"]) == Decimal("29.95")
    assert Decimal(_facts(page("29,95"))["price"]) == Decimal("29.95")


def test_open_graph_locale_gives_the_region_a_dollar_sign_belongs_to() -> None:
    head = '<meta property="og:locale" content="en_CA">'
    body = '<main><h1>Toque</h1><p class="price">$24.00</p><button>Add to cart</button></main>'
    assert _facts(_page(body, "en", head))["currency"] == "CAD"


def test_an_email_me_when_it_is_back_in_stock_form_means_out_of_stock() -> None:
    body = (
        '<main><h1>Achterlicht</h1><p class="price">€ 19,95</p>'
        "<form><label><input type='checkbox'> Stuur me één e-mail als dit artikel weer op "
        "voorraad is.</label><button>Houd me op de hoogte</button></form>"
        "<button>In winkelwagen</button></main>"
    )
    assert _facts(_page(body, "nl"))["availability"] == "OutOfStock"


def test_sold_out_on_a_variants_button_is_that_variants_not_the_products() -> None:
    body = (
        "<main><h1>Regenjas</h1><p class='price'>€ 89,95</p><fieldset>"
        "<button type='button' class='opt is-selected' aria-pressed='true'>S</button>"
        "<button type='button' class='opt' aria-pressed='false' disabled>M "
        "<span>Uitverkocht</span></button>"
        "<label><input type='radio' name='kleur' value='rood'> Rood – uitverkocht</label>"
        "</fieldset><button>In winkelwagen</button></main>"
    )
    assert _facts(_page(body, "nl"))["availability"] == "InStock"


def test_a_stock_line_in_a_themes_variant_inventory_box_is_still_read() -> None:
    body = (
        "<main><h1>Regenjas</h1><p class='price'>€ 89,95</p>"
        "<div class='variant-inventory'>Voorbestellen: verwacht op 12 januari</div>"
        "<button>In winkelwagen</button></main>"
    )
    assert _facts(_page(body, "nl"))["availability"] == "PreOrder"


def test_not_in_stock_with_a_delivery_time_and_a_working_button_is_back_order() -> None:
    body = (
        "<main><h1>Regenjas</h1><p class='price'>€ 89,95</p>"
        "<p class='stock'>Levertijd: 5-8 werkdagen (niet op voorraad)</p>"
        "<button>In winkelwagen</button></main>"
    )
    assert _facts(_page(body, "nl"))["availability"] == "BackOrder"
