"""The facts a shopper reads: which amount is the price, and what kind of page this is.

A struck-through old price, the price of a pre-ticked donation or gift wrap and an
excluding-VAT line are on the page too, but a shopper does not read them as the price; and a
terms page that mentions amounts and stock is not a product page.
"""

from __future__ import annotations

import pytest

from defenceline.checks import check_html


def _page(body: str, lang: str = "nl") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Winkel</title>'
        f"</head><body>{body}</body></html>"
    )


# Each page shows 9.95 as the price (currency EUR or GBP) and another amount that is not it.
PRICE_PAGES = {
    "old price after": (
        "nl",
        "<h1>Fietsbel Deluxe</h1><p>€ 9,95 <del>€ 29,95</del></p><form><button>Nu kopen</button>"
        "</form>",
    ),
    "old price before": (
        "nl",
        "<h1>Fietsbel Deluxe</h1><p><s>€ 29,95</s> € 9,95</p><button>In winkelwagen</button>",
    ),
    "line-through style": (
        "nl",
        '<h1>Fietsbel Deluxe</h1><p>€ 9,95 <span style="text-decoration: line-through">€ 29,95'
        "</span></p><button>In winkelwagen</button>",
    ),
    "pre-ticked donation in a label": (
        "nl",
        "<h1>Fietsbel Deluxe</h1><p>€ 9,95 <del>€ 29,95</del></p><form><label><input "
        'type="checkbox" checked> Doneer € 1,00 aan ons goede doel</label>'
        "<button>Nu kopen</button></form>",
    ),
    "label for a checkbox": (
        "nl",
        '<h1>Fietsbel Deluxe</h1><p>€ 9,95</p><form><input type="checkbox" id="d" checked>'
        '<label for="d">Steun het goede doel met € 1,00</label><button>Nu kopen</button></form>',
    ),
    "text next to a checkbox": (
        "en",
        '<h1>Bell Deluxe</h1><div class="pdp"><span class="was">£29.95</span> <span>£9.95</span>'
        '</div><div class="extra"><input type="checkbox" checked><span>Add a card for £1.00'
        "</span></div><button>Add to basket</button>",
    ),
    "priced select options": (
        "en",
        "<h1>Bell Deluxe</h1><p>£9.95</p><select><option>Standard</option><option>Engraved "
        "+ £4.00</option></select><button>Add to basket</button>",
    ),
    "excluding VAT line": (
        "fr",
        "<h1>Sonnette Deluxe</h1><p>9,95 € TTC</p><p>soit 8,29 € HT</p>"
        "<button>Ajouter au panier</button>",
    ),
    "German UVP": (
        "de",
        '<h1>Klingel Deluxe</h1><p>9,95 € <span class="uvp">UVP 29,95 €</span></p>'
        "<button>In den Warenkorb</button>",
    ),
}


@pytest.mark.parametrize("name", sorted(PRICE_PAGES))
def test_the_price_is_the_one_a_shopper_pays(name: str) -> None:
    lang, body = PRICE_PAGES[name]
    report = check_html(_page(body, lang), "p.html")
    assert report.page_type == "product"
    assert report.facts is not None and report.facts["price"] == "9.95"


INFORMATION_PAGES = {
    "terms with prices and stock in running text": (
        "<h1>Algemene voorwaarden</h1><p>Artikel 1. Verzendkosten € 4,95.</p><p>De prijs is "
        "€ 9,95 per stuk; producten die niet op voorraad zijn, worden zo snel mogelijk "
        "nageleverd.</p>"
    ),
    "terms with a cost table": (
        "<h1>Leveringsvoorwaarden</h1><table><tr><td>Verzending</td><td>€ 4,95</td></tr>"
        "<tr><td>Administratiekosten</td><td>€ 0,00</td></tr></table>"
        "<p>Alles op voorraad.</p>"
    ),
    "FAQ with an order button": (
        "<h1>Veelgestelde vragen</h1><p>Wat kost verzending?</p><p>€ 4,95</p>"
        '<a class="btn" href="/winkel">Bestel nu</a>'
    ),
    "shipping page": (
        "<h1>Verzenden &amp; retourneren</h1><p>€ 4,95</p><p>Op voorraad = morgen in huis</p>"
    ),
}


@pytest.mark.parametrize("name", sorted(INFORMATION_PAGES))
def test_information_pages_are_not_product_pages(name: str) -> None:
    report = check_html(_page(INFORMATION_PAGES[name]), "info.html")
    assert report.page_type == "other"
    assert report.facts is not None and report.facts["price"] is None


@pytest.mark.parametrize(
    ("lang", "body"),
    [
        (
            "en",
            "<h1>Wicker Picnic Basket</h1><p>£39.00</p><p>In stock</p><button>Add to cart</button>"
            '<footer><input type="email" name="newsletter"></footer>',
        ),
        (
            "it",
            "<h1>Cassa bluetooth Onda</h1><p>59,90 €</p><p>Disponibile</p>"
            '<button>Aggiungi al carrello</button><footer><input type="email" name="n">'
            '<input name="a"><input name="b"></footer>',
        ),
    ],
)
def test_a_product_named_like_a_cart_or_checkout_is_a_product(lang: str, body: str) -> None:
    assert check_html(_page(body, lang), "x.html").page_type == "product"


def test_a_price_block_and_stock_without_a_button_is_a_product_page() -> None:
    body = "<h1>Fietsbel Deluxe</h1><p>€ 9,95</p><p>Tijdelijk uitverkocht</p>"
    report = check_html(_page(body), "sold-out.html")
    assert report.page_type == "product"
    assert report.facts is not None and report.facts["availability"] == "OutOfStock"


def test_a_label_cell_and_its_value_cell_are_read_together() -> None:
    body = (
        "<h1>Desk Frame</h1><p>£144.00</p><p>In stock</p><button>Add to Cart</button>"
        "<dl><dt>Shipping:</dt><dd>UK mainland £6.95, free on orders over £250</dd>"
        "<dt>Delivery:</dt><dd>2–3 working days by DPD</dd></dl>"
    )
    report = check_html(_page(body, "en"), "desk.html")
    assert report.facts is not None
    assert report.facts["delivery_text"] == "Delivery: 2–3 working days by DPD"
    assert report.facts["shipping_text"] == "Shipping: UK mainland £6.95, free on orders over £250"
    reported = {f.rule for f in report.findings}
    assert not {"shipping-cost-visible", "delivery-time-visible"} & reported


def test_a_banner_that_states_the_cost_beats_a_bare_excl_shipping_note() -> None:
    body = (
        '<div class="top-bar">Versandkostenfrei ab 50 €</div><main><h1>Brotkasten</h1>'
        "<p>79,90 €</p><p>inkl. 19 % MwSt., zzgl. Versandkosten</p><p>Auf Lager</p>"
        "<button>In den Warenkorb</button></main>"
    )
    report = check_html(_page(body, "de"), "brot.html")
    assert report.facts is not None
    assert report.facts["shipping_text"] == "Versandkostenfrei ab 50 €"
    shipping = [f for f in report.findings if f.rule == "shipping-cost-visible"]
    assert [f.severity for f in shipping] == ["warning"]  # only in the site-wide banner


def test_pre_order_on_the_page_and_back_order_in_the_markup_agree() -> None:
    body = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
        '"Product", "name": "Kettle", "image": "https://k.example/1.jpg", "offers": {"@type": '
        '"Offer", "price": "89.00", "priceCurrency": "USD", "availability": '
        '"https://schema.org/BackOrder"}}</script><h1>Kettle</h1><p>$89.00</p>'
        "<button>Pre-order now</button>"
    )
    report = check_html(_page(body, "en-US"), "kettle.html")
    assert report.facts is not None and report.facts["availability"] in ("BackOrder", "PreOrder")
    assert "markup-matches-page" not in {f.rule for f in report.findings}


def test_products_under_a_related_heading_are_not_the_products_photos() -> None:
    related = "".join(
        f'<a href="/p/{n}"><img src="/fotos/otro-{n}.jpg" alt="Otro {n}" width="300"></a>'
        for n in range(3)
    )
    body = (
        '<div class="ficha"><div class="fotos"><img src="/fotos/alba-1.jpg" alt="Lámpara Alba" '
        'width="1000"></div><div class="datos"><h1>Lámpara Alba</h1><p>45,00 €</p>'
        "<p>Agotado</p></div></div>"
        f'<div class="tambien"><h2>También te puede gustar</h2><div class="lista">{related}'
        "</div></div>"
    )
    report = check_html(_page(body, "es"), "alba.html")
    assert report.facts is not None and report.facts["image_count"] == 1


def test_photos_with_the_same_file_name_in_id_folders_are_different_photos() -> None:
    gallery = "".join(
        f'<img src="https://s.example/{n}-large_default/platine-onde.jpg" alt="Platine vue {n}" '
        'width="800">'
        for n in (118, 119, 120)
    )
    thumb = '<img src="https://s.example/118-small_default/platine-onde.jpg" alt="v" width="98">'
    body = f"<div>{gallery}{thumb}</div><h1>Platine</h1><p>149,00 €</p><button>Acheter</button>"
    report = check_html(_page(body, "fr"), "platine.html")
    assert report.facts is not None and report.facts["image_count"] == 3


def test_a_clickable_thumbnail_is_not_a_too_small_photo() -> None:
    thumbs = "".join(
        f'<button type="button"><img src="/t/{n}.jpg" alt="Ansicht {n} des Brotkastens" '
        'width="110"></button>'
        for n in range(3)
    )
    body = f"<div>{thumbs}</div><h1>Brotkasten</h1><p>79,90 €</p><button>In den Warenkorb</button>"
    report = check_html(_page(body, "de"), "brot.html")
    assert not [f for f in report.findings if "px" in f.message]


def test_text_in_a_tab_panel_is_one_click_away_and_counts() -> None:
    body = (
        "<h1>Snijplank</h1><p>€ 24,95</p><button>Toevoegen aan winkelwagen</button>"
        '<div role="tabpanel" style="display: none;"><table><tr><th>Afmetingen</th>'
        "<td>40 × 28 × 2 cm</td></tr><tr><th>Materiaal</th><td>Bamboe</td></tr></table></div>"
        '<div class="popup" style="display: none;"><p>Materiaal: verborgen</p></div>'
    )
    report = check_html(_page(body), "plank.html")
    assert report.page_type == "product"  # "Toevoegen aan winkelwagen" is a buy button
    assert "product-specs" not in {f.rule for f in report.findings}


def test_a_category_grid_without_card_headings_is_not_a_product_page() -> None:
    cards = "".join(
        f'<li class="card"><a href="/p/{n}"><img src="/i/{n}.jpg" alt="Lamp {n}"><span>Lamp {n}'
        f'</span></a><span class="price">€ {n + 10},95</span><button>In winkelwagen</button></li>'
        for n in range(5)
    )
    body = f'<h1>Fietsverlichting</h1><ul class="grid">{cards}</ul>'
    assert check_html(_page(body), "verlichting.html").page_type == "other"


def test_a_product_with_bought_together_buttons_is_still_a_product_page() -> None:
    cards = "".join(
        f'<div class="box"><a href="/p/{n}">Extra {n}</a><span>€ {n + 5},95</span>'
        "<button>In winkelwagen</button></div>"
        for n in range(4)
    )
    body = (
        '<div class="summary"><h1>Snoeischaar Pro</h1><p class="price">€ 34,95</p>'
        f"<button>In winkelwagen</button></div><h2>Vaak samen gekocht</h2>{cards}"
    )
    report = check_html(_page(body), "schaar.html")
    assert report.page_type == "product"
    assert report.facts is not None and report.facts["price"] == "34.95"


def test_a_from_price_is_the_price_but_a_free_shipping_from_amount_is_not() -> None:
    body = (
        '<h1>Kissenbezug Lina</h1><p class="product-detail-price">ab 29,99 €*</p>'
        "<p>Versandkostenfrei ab 49 €</p><p>Sofort verfügbar</p><button>In den Warenkorb</button>"
    )
    report = check_html(_page(body, "de"), "lina.html")
    assert report.facts is not None and report.facts["price"] == "29.99"
    assert "price-visible" not in {f.rule for f in report.findings}


def test_a_return_window_next_to_shipping_is_not_a_delivery_time() -> None:
    body = (
        "<h1>Becher</h1><p>14,95 €</p><p>Lieferzeit: 1-2 Werktage</p><p>Auf Lager</p>"
        "<button>In den Warenkorb</button><p>Versand 4,95 €, ab 40 € versandkostenfrei. "
        "14 Tage Widerrufsrecht.</p>"
    )
    report = check_html(_page(body, "de"), "becher.html")
    assert report.facts is not None
    assert report.facts["delivery_text"] == "Lieferzeit: 1-2 Werktage"


def test_a_carrier_with_a_price_states_the_shipping_cost() -> None:
    body = (
        "<h1>Dripper</h1><p>£36.00</p><p>In stock</p><button>Add to basket</button>"
        "<p>Dispatched within 3–5 working days by Royal Mail Tracked 48 (£3.50, free over £40)."
        "</p>"
    )
    report = check_html(_page(body, "en-GB"), "dripper.html")
    assert report.facts is not None and "£3.50" in (report.facts["shipping_text"] or "")
    assert "shipping-cost-visible" not in {f.rule for f in report.findings}


def test_a_banner_shown_from_the_desktop_breakpoint_is_visible() -> None:
    body = (
        '<div class="top-bar d-none d-lg-block">Versandkostenfrei ab 49 €</div>'
        '<div class="d-none">Geheim: Gutschein 10 €</div><h1>Kissen</h1>'
    )
    report = check_html(_page(body, "de"), "kissen.html", page_type="product")
    assert report.facts is not None
    assert report.facts["shipping_text"] == "Versandkostenfrei ab 49 €"
