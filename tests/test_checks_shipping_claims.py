"""The amounts in a shipping statement get a role before they are compared with the policy.

A cart's free-shipping progress ("Gratis verzending vanaf € 50,00: nog € 37,05") names the
threshold and what is left to spend; only the threshold is a promise the policy must back.
"""

from __future__ import annotations

import pytest

from defenceline import Policy
from defenceline.checks import RULES, CheckConfig, check_html
from defenceline.checks.shipping_claims import shipping_amounts

# The same cart summary as shops write it in six languages: threshold 50, 37.05 to go.
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
    "en": "You're €37.05 away from free delivery",
    "de": "Nur noch 37,05 € bis zum kostenlosen Versand",
    "fr": "Il vous manque 37,05 € pour bénéficier de la livraison gratuite",
    "it": "Aggiungi 37,05 € per la spedizione gratuita",
    "es": "Añade 37,05 € más para el envío gratis",
}


def _cart(lang: str, line: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Cart</title>'
        "</head><body><h1>Winkelwagen</h1><table>"
        "<tr><td>Fietsbel Klassiek</td><td>€ 12,95</td></tr>"
        "<tr><td>Verzending naar Nederland</td><td>€ 4,95</td></tr>"
        "<tr><td>Totaal (incl. btw)</td><td>€ 17,90</td></tr></table>"
        f'<p class="free-shipping-progress">{line}</p>'
        '<a href="/checkout">Afrekenen</a></body></html>'
    )


def _policy_findings(html: str, policy: Policy, page_type: str = "cart") -> list[str]:
    config = CheckConfig(rules={rule: "off" for rule in RULES if rule != "policy-consistency"})
    report = check_html(html, "cart.html", config, policy, page_type)
    assert report.error is None
    return [f.message for f in report.findings]


@pytest.mark.parametrize("lang", sorted(FREE_SHIPPING_PROGRESS))
def test_amount_left_to_spend_is_not_read_as_the_threshold(lang: str) -> None:
    roles = [
        (str(claim.amount.value), claim.role)
        for claim in shipping_amounts(FREE_SHIPPING_PROGRESS[lang], lang)
    ]
    assert roles == [("50.00", "threshold"), ("37.05", "remaining")]


@pytest.mark.parametrize("lang", sorted(REMAINING_ONLY))
def test_amount_left_without_the_threshold_is_neither_rate_nor_threshold(lang: str) -> None:
    roles = [claim.role for claim in shipping_amounts(REMAINING_ONLY[lang], lang)]
    assert roles == ["remaining"]


@pytest.mark.parametrize("lang", sorted(FREE_SHIPPING_PROGRESS))
def test_cart_with_free_shipping_progress_matches_the_demo_policy(
    lang: str, demo_policy: Policy
) -> None:
    assert _policy_findings(_cart(lang, FREE_SHIPPING_PROGRESS[lang]), demo_policy) == []
    assert _policy_findings(_cart(lang, REMAINING_ONLY[lang]), demo_policy) == []


def test_a_wrong_threshold_next_to_the_amount_left_is_still_reported(
    demo_policy: Policy,
) -> None:
    messages = _policy_findings(
        _cart("nl", "Gratis verzending vanaf € 40,00: nog € 27,05"), demo_policy
    )
    assert len(messages) == 1
    assert "free shipping from 40.00" in messages[0]
    assert "27.05" not in messages[0]


def test_a_wrong_rate_in_a_separate_cart_cell_is_reported(demo_policy: Policy) -> None:
    html = _cart("nl", "Gratis verzending vanaf € 50,00: nog € 37,05").replace(
        "<td>€ 4,95</td>", "<td>€ 3,95</td>"
    )
    messages = _policy_findings(html, demo_policy)
    assert len(messages) == 1
    assert messages[0].startswith("the page states a shipping cost of 3.95;")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Verzendkosten € 4,95, gratis vanaf € 50", "nl", [("4.95", "rate"), ("50", "threshold")]),
        ("Versand 4,90 €, ab 50 € versandkostenfrei", "de",
         [("4.90", "rate"), ("50", "threshold")]),
        ("Frais de port : 5,90 €, offerts dès 49 €", "fr", [("5.90", "rate"), ("49", "threshold")]),
        ("Shipping from £3.95", "en", [("3.95", "rate")]),
        ("Free UK delivery on orders over £40 (otherwise £3.95)", "en",
         [("40", "threshold"), ("3.95", "rate")]),
        ("Totaal incl. verzending € 17,90", "nl", [("17.90", "other")]),
        ("€ 49,95 incl. btw, excl. verzendkosten", "nl", [("49.95", "other")]),
        ("Verzending € 4,95 · Totaal € 17,90", "nl", [("4.95", "rate"), ("17.90", "other")]),
        ("Verzendkosten: NL € 4,95, BE € 6,95", "nl", [("4.95", "rate"), ("6.95", "rate")]),
    ],
)  # fmt: skip
def test_rates_thresholds_totals_and_prices_in_shipping_text(
    text: str, lang: str, expected: list[tuple[str, str]]
) -> None:
    assert [(str(c.amount.value), c.role) for c in shipping_amounts(text, lang)] == expected


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
