"""Shipping statements on shop pages, checked against the policy by the shared promise reader.

A cart's free-shipping progress ("Gratis verzending vanaf € 50,00: nog € 37,05") names the
threshold and what is left to spend; only the threshold is a promise the policy must back. A
cart row's label and amount may stand in separate cells. The page is read by
`defenceline.promises`, the reader of the manifesto and the help centre, so its findings name
the store.toml field like theirs.
"""

from __future__ import annotations

import pytest

from defenceline import Policy
from defenceline.checks import RULES, CheckConfig, check_html

# The same cart summary as shops write it: threshold 50, 37.05 to go.
FREE_SHIPPING_PROGRESS = {
    "nl": "Gratis verzending vanaf € 50,00: nog € 37,05",
    "en": "Free shipping from €50.00: €37.05 to go",
    "de": "Kostenloser Versand ab 50,00 €: noch 37,05 €",
    "fr": "Livraison gratuite dès 50,00 € : plus que 37,05 €",
    "it": "Spedizione gratuita da 50,00 €: ti mancano 37,05 €",
    "es": "Envío gratis a partir de 50,00 €: te faltan 37,05 €",
}
REMAINING_ONLY = {
    "nl": "Nog € 37,05 tot gratis verzending",
    "en": "You're €37.05 away from free shipping",
    "de": "Nur noch 37,05 € bis zum kostenlosen Versand",
    "fr": "Il vous manque 37,05 € pour bénéficier de la livraison gratuite",
    "it": "Aggiungi 37,05 € per la spedizione gratuita",
    "es": "Añade 37,05 € más para el envío gratis",
}
# The cart's cells in each language: a product, the shipping row, the total.
ROWS = {
    "nl": ("Verzending naar Nederland", "Totaal (incl. btw)"),
    "en": ("Shipping to the Netherlands", "Total (incl. VAT)"),
    "de": ("Versand in die Niederlande", "Gesamtsumme (inkl. MwSt.)"),
    "fr": ("Livraison aux Pays-Bas", "Total (TTC)"),
    "it": ("Spedizione nei Paesi Bassi", "Totale (IVA inclusa)"),
    "es": ("Envío a los Países Bajos", "Total (IVA incluido)"),
}


def _cart(lang: str, line: str, shipping: str = "€ 4,95") -> str:
    row, total = ROWS[lang]
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Cart</title>'
        "</head><body><h1>Winkelwagen</h1><table>"
        "<tr><td>Fietsbel Klassiek</td><td>€ 12,95</td></tr>"
        f"<tr><td>{row}</td><td>{shipping}</td></tr>"
        f"<tr><td>{total}</td><td>€ 17,90</td></tr></table>"
        f'<p class="free-shipping-progress">{line}</p>'
        '<a href="/checkout">Afrekenen</a></body></html>'
    )


def _policy_findings(html: str, policy: Policy, page_type: str = "cart") -> list[str]:
    config = CheckConfig(rules={rule: "off" for rule in RULES if rule != "policy-consistency"})
    report = check_html(html, "cart.html", config, policy, page_type)
    assert report.error is None
    return [f.message for f in report.findings]


@pytest.mark.parametrize("lang", sorted(FREE_SHIPPING_PROGRESS))
def test_cart_with_free_shipping_progress_matches_the_demo_policy(
    lang: str, demo_policy: Policy
) -> None:
    assert _policy_findings(_cart(lang, FREE_SHIPPING_PROGRESS[lang]), demo_policy) == []
    assert _policy_findings(_cart(lang, REMAINING_ONLY[lang]), demo_policy) == []


@pytest.mark.parametrize("lang", sorted(FREE_SHIPPING_PROGRESS))
def test_a_wrong_threshold_next_to_the_amount_left_is_still_reported(
    lang: str, demo_policy: Policy
) -> None:
    line = FREE_SHIPPING_PROGRESS[lang].replace("50,00", "40,00").replace("50.00", "40.00")
    [message] = _policy_findings(_cart(lang, line), demo_policy)
    assert "is not a free-shipping threshold in the policy" in message
    assert "40" in message.split("'")[1] and "37" not in message
    assert message.endswith("(store.toml: shipping.zones.free_shipping_from)")


@pytest.mark.parametrize("lang", sorted(ROWS))
def test_a_wrong_rate_in_a_separate_cart_cell_is_reported(lang: str, demo_policy: Policy) -> None:
    html = _cart(lang, FREE_SHIPPING_PROGRESS[lang], shipping="€ 3,95")
    [message] = _policy_findings(html, demo_policy)
    assert message.startswith("'€ 3,95' is none of the policy's shipping rates (")
    assert "2,95" in message or "2.95" in message  # the rates, written for the page's language
    assert message.endswith("(store.toml: shipping.zones.rate)")


def test_product_price_next_to_excl_shipping_is_not_a_wrong_shipping_cost(
    demo_policy: Policy,
) -> None:
    html = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Fietstas</title>'
        "</head><body><h1>Fietstas</h1><p>€ 79,95 incl. btw, excl. verzendkosten</p>"
        "<p>Verzendkosten € 4,95, gratis vanaf € 50</p><button>In winkelwagen</button>"
        "</body></html>"
    )
    assert _policy_findings(html, demo_policy, "product") == []
    wrong = html.replace("€ 4,95", "€ 5,95")
    [message] = _policy_findings(wrong, demo_policy, "product")
    assert message.startswith("'€ 5,95' is none of the policy's shipping rates")


def test_page_language_with_a_region_is_read_in_that_language(demo_policy: Policy) -> None:
    html = (
        '<!doctype html><html lang="de-AT"><head><meta charset="utf-8"><title>Tasche</title>'
        "</head><body><h1>Tasche</h1><p>79,95 €</p><button>In den Warenkorb</button>"
        "<p>Rücksendung innerhalb von 14 Tagen</p></body></html>"
    )
    [message] = _policy_findings(html, demo_policy, "product")
    assert message == (
        "'14 Tagen' differs from the policy's return window of 30 days "
        "(store.toml: returns.window_days)"
    )
