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
