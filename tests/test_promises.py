"""The promise reader (`defenceline.promises`): what a sentence promises, in nl/en/de/fr/it/es/he,
each value tied to its own clause and compared with the demo shop's policy (€ 4,95 shipping in
the Netherlands, free from € 50; 30-day free returns; cut-off 16:00, Fridays 15:00)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from defenceline import Policy
from defenceline.promises import (
    EVERY_LANGUAGE,
    VALUE_KINDS,
    Contradiction,
    find_quantities,
    read_passage,
    split_sentences,
    to_digits,
    vocabulary,
)


def read(text: str, language: str, policy: Policy) -> list[tuple[str, str | None]]:
    return [(c.kind, c.value) for c in read_passage([text], language, policy)]


# A shipping price and a return window in one sentence, joined by "and": the price is about
# shipping, the days about returns — whatever word stands nearest.
CLAUSES = [
    ("nl", "Verzending kost € 5,95 en retourneren kan binnen 30 dagen.", "€ 5,95"),
    ("en", "Shipping costs €5.95 and returns are accepted within 30 days.", "€5.95"),
    ("de", "Der Versand kostet 5,95 € und die Rückgabe ist 30 Tage lang möglich.", "5,95 €"),
    ("fr", "La livraison coûte 5,95 € et le retour est possible sous 30 jours.", "5,95 €"),
    ("it", "La spedizione costa 5,95 € e il reso è possibile entro 30 giorni.", "5,95 €"),
    ("es", "El envío cuesta 5,95 € y la devolución es posible en 30 días.", "5,95 €"),
    ("he", "משלוח עולה 5.95 € והחזרה תוך 30 ימים.", "5.95 €"),
]


@pytest.mark.parametrize(("language", "text", "price"), CLAUSES, ids=[c[0] for c in CLAUSES])
def test_price_belongs_to_the_shipping_clause_not_the_returns_word_beside_it(
    language: str, text: str, price: str, demo_policy: Policy
) -> None:
    assert read(text, language, demo_policy) == [("shipping-cost-mismatch", price)]


WINDOWS = [
    ("nl", "Verzending kost € 4,95 en retourneren kan binnen 14 dagen.", "14 dagen"),
    ("en", "Shipping is €4.95 and you can send it back within 14 days.", "14 days"),
    ("de", "Versand 4,95 €, Rücksendung innerhalb von 14 Tagen.", "14 Tagen"),
    ("fr", "Livraison à 4,95 € et retour sous quatorze jours.", "14 jours"),
    ("it", "Spedizione 4,95 € e reso entro quattordici giorni.", "14 giorni"),
    ("es", "Envío 4,95 € y devolución en 14 días.", "14 días"),
    ("he", "החזרה תוך 14 ימים.", "14 ימים"),
]


@pytest.mark.parametrize(("language", "text", "window"), WINDOWS, ids=[w[0] for w in WINDOWS])
def test_return_window_that_differs_names_the_policy_field_and_its_value(
    language: str, text: str, window: str, demo_policy: Policy
) -> None:
    [found] = read_passage([text], language, demo_policy)
    assert (found.kind, found.value) == ("returns-window-mismatch", window)
    assert found.policy_field == "returns.window_days"
    assert "return window of 30 days" in found.message
    assert found.evidence == text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Verzending kost € 4,95, gratis vanaf € 50, en retourneren kan binnen 30 dagen."),
        (
            "en",
            "Order before 4 pm (Fridays 3 pm) and we ship the same day; returns within 30 days.",
        ),
        ("de", "Versand 4,95 €, ab 50 € versandkostenfrei, Rückgabe 30 Tage."),
        ("fr", "Commandez avant 16h00 (vendredi 15h00), retour gratuit sous 30 jours."),
        ("he", "משלוח 4.95 €, החזרה תוך 30 ימים."),
    ],
)
def test_values_the_policy_holds_are_not_contradictions(
    language: str, text: str, demo_policy: Policy
) -> None:
    assert read(text, language, demo_policy) == []


def test_refund_time_is_not_a_return_window(demo_policy: Policy) -> None:
    nl = "Zodra je retour binnen is, storten we het bedrag terug, uiterlijk binnen twee weken."
    en = "Once your return has arrived, we refund the amount within two weeks at the latest."
    assert read(nl, "nl", demo_policy) == []
    assert read(en, "en", demo_policy) == []
    assert read("Retourneren kan binnen twee weken.", "nl", demo_policy) == [
        ("returns-window-mismatch", "2 weken")
    ]


def test_each_kind_of_value_is_compared_with_its_policy_field(demo_policy: Policy) -> None:
    cases = {
        "Gratis verzending vanaf € 40.": ("free-shipping-threshold-mismatch", "€ 40"),
        "Voor 17:00 besteld, morgen in huis.": ("cutoff-mismatch", "17:00"),
        "Retourneren kost € 3,95.": ("returns-cost-mismatch", "€ 3,95"),
        "Binnen 5 werkdagen bezorgd.": ("delivery-days-mismatch", "5 werkdagen"),
        "We antwoorden binnen 4 uur.": ("response-time-mismatch", "4 uur"),
    }
    for text, expected in cases.items():
        [found] = read_passage([text], "nl", demo_policy)
        assert (found.kind, found.value) == expected, text
        assert found.kind in VALUE_KINDS and not found.incomplete


def test_promise_without_a_value_is_a_contradiction_without_one(demo_policy: Policy) -> None:
    [found] = read_passage(["Gratis verzending, altijd."], "nl", demo_policy)
    assert found == Contradiction(
        kind="free-shipping-unconditional",
        message=found.message,
        policy_field="shipping.zones.free_shipping_from",
        sentence=0,
        evidence="Gratis verzending, altijd.",
    )
    assert found.kind not in VALUE_KINDS
    assert "free shipping starts at €\xa050,00 (Nederland)" in found.message


def test_cutoff_the_policy_holds_but_not_on_every_day_is_incomplete(demo_policy: Policy) -> None:
    [found] = read_passage(["Bestel vóór 16:00, dan versturen we het vandaag."], "nl", demo_policy)
    assert found.kind == "cutoff-mismatch" and found.incomplete
    assert "Friday (15:00)" in found.message


def test_same_day_promise_looks_for_the_cutoff_in_the_whole_passage(demo_policy: Policy) -> None:
    passage = ["We versturen je bestelling dezelfde dag.", "Bestel voor 16:00 (vrijdag 15:00)."]
    assert read_passage(passage, "nl", demo_policy) == []
    [alone] = read_passage(passage[:1], "nl", demo_policy)
    assert alone.kind == "same-day-unbacked" and alone.policy_field == "warehouse.cutoff"


def test_french_hours_and_spelled_out_numbers_are_read() -> None:
    text = to_digits("Commandez avant 17h, livré sous trois jours", "fr")
    found = find_quantities(text, "fr", "EUR")
    assert [(q.kind, q.text) for q in found] == [("clock", "17h"), ("days", "3 jours")]


def test_sentences_split_at_their_ends_not_at_line_breaks() -> None:
    text = "Verzending kost € 4,95.\nEcht waar! Retour\nbinnen 30 dagen?  Ja."
    assert split_sentences(text) == [
        (0, "Verzending kost € 4,95."),
        (24, "Echt waar!"),
        (35, "Retour\nbinnen 30 dagen?"),
        (60, "Ja."),
    ]


def test_evidence_is_the_sentence_as_written_shortened_past_160_characters(
    demo_policy: Policy,
) -> None:
    text = "Retourneren kan binnen 14 dagen, " + "en dat is heel erg handig " * 8
    [found] = read_passage([text], "nl", demo_policy)
    assert len(found.evidence) == 158 and found.evidence.endswith("…")


def test_cutoff_in_a_sentence_without_a_topic_word_still_backs_a_same_day_promise(
    demo_policy: Policy,
) -> None:
    passage = ["We ship your order the same day.", "Weekdays before 4 pm, Fridays 3 pm."]
    assert read_passage(passage, "en", demo_policy) == []


def test_spelled_out_quantities_are_read_in_passages_without_digits(demo_policy: Policy) -> None:
    assert read("Retourneren kan binnen veertien dagen.", "nl", demo_policy) == [
        ("returns-window-mismatch", "14 dagen")
    ]
    assert read("Retourneren kan binnen dertig dagen.", "nl", demo_policy) == []


SHIPPING_STATEMENTS = [
    ("nl", "Verzendkosten € 3,95, gratis vanaf € 45",
     [("shipping-cost-mismatch", "€ 3,95"), ("free-shipping-threshold-mismatch", "€ 45")]),
    ("de", "Versand 3,90 €, ab 45 € versandkostenfrei",
     [("shipping-cost-mismatch", "3,90 €"), ("free-shipping-threshold-mismatch", "45 €")]),
    ("fr", "Frais de port : 5,90 €, offerts dès 49 €",
     [("shipping-cost-mismatch", "5,90 €"), ("free-shipping-threshold-mismatch", "49 €")]),
    ("it", "Spese di spedizione 5,90 €, gratis sopra i 49 €",
     [("shipping-cost-mismatch", "5,90 €"), ("free-shipping-threshold-mismatch", "49 €")]),
    ("es", "Gastos de envío 3,95 €, gratis en pedidos superiores a 45 €",
     [("shipping-cost-mismatch", "3,95 €"), ("free-shipping-threshold-mismatch", "45 €")]),
    ("en", "Shipping from €3.95", [("shipping-cost-mismatch", "€3.95")]),
    ("en", "Free shipping on orders over €40 (otherwise €3.95)",
     [("free-shipping-threshold-mismatch", "€40"), ("shipping-cost-mismatch", "€3.95")]),
    ("nl", "Verzendkosten: NL € 3,95, BE € 5,95",
     [("shipping-cost-mismatch", "€ 3,95"), ("shipping-cost-mismatch", "€ 5,95")]),
    ("nl", "Verzending € 3,95 · Totaal € 17,90", [("shipping-cost-mismatch", "€ 3,95")]),
    ("en", "Shipping price €5.95", [("shipping-cost-mismatch", "€5.95")]),
    # totals, prices and amounts left to spend are no shipping rates or thresholds
    ("nl", "Totaal incl. verzending € 17,90", []),
    ("nl", "€ 49,95 incl. btw, excl. verzendkosten", []),
    ("de", "29,95 € inkl. MwSt., zzgl. Versandkosten", []),
    ("nl", "Fietstas € 49,95 · Gratis verzending", []),
    ("nl", "Gratis verzending vanaf € 50,00: nog € 37,05", []),
    ("en", "Free shipping from €50.00: €37.05 to go", []),
    ("de", "Kostenloser Versand ab 50,00 €: noch 37,05 €", []),
    ("fr", "Livraison gratuite dès 50,00 € : plus que 37,05 €", []),
    ("it", "Spedizione gratuita da 50,00 €: ti mancano 37,05 €", []),
    ("es", "Envío gratis a partir de 50,00 €: te faltan 37,05 €", []),
    ("it", "Totale (IVA inclusa) 17,90 €", []),
    ("es", "Total (IVA incluido) 17,90 €", []),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "expected"), SHIPPING_STATEMENTS)
def test_shipping_rates_thresholds_totals_and_amounts_left_are_told_apart(
    language: str, text: str, expected: list[tuple[str, str]], demo_policy: Policy
) -> None:
    found = read_passage([text], language, demo_policy)
    assert [(c.kind, c.value) for c in found if c.kind in VALUE_KINDS] == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Nog € 37,05 tot gratis verzending"),
        ("en", "You're €37.05 away from free shipping"),
        ("de", "Nur noch 37,05 € bis zum kostenlosen Versand"),
        ("fr", "Il vous manque 37,05 € pour bénéficier de la livraison gratuite"),
        ("it", "Aggiungi 37,05 € per la spedizione gratuita"),
        ("es", "Añade 37,05 € más para el envío gratis"),
    ],
)
def test_amount_left_to_spend_is_the_condition_of_free_shipping(
    language: str, text: str, demo_policy: Policy
) -> None:
    assert read_passage([text], language, demo_policy) == []


def test_a_language_without_its_own_words_is_read_with_every_languages_words(
    demo_policy: Policy,
) -> None:
    # Polish has no vocabulary here: its units come from CLDR, its topic words from all others
    assert read("Retour w ciągu 14 dni.", "pl", demo_policy) == [
        ("returns-window-mismatch", "14 dni")
    ]
    assert vocabulary("pl").prefix == vocabulary("he").prefix


def test_every_language_at_once_reads_each_languages_spelling() -> None:
    text = "Bestel voor 4 PM, 30 dagen retour, Lieferung in 2 Werktagen, reso 14 giorni, € 4,95"
    found = find_quantities(text, EVERY_LANGUAGE, "EUR")
    assert [(q.kind, q.text, q.values) for q in found] == [
        ("clock", "4 PM", (Decimal(960),)),
        ("days", "30 dagen", (Decimal(30),)),
        ("days", "2 Werktagen", (Decimal(2),)),
        ("days", "14 giorni", (Decimal(14),)),
        ("amount", "€ 4,95", (Decimal("4.95"),)),
    ]
    # one language reads only its own words
    assert [q.text for q in find_quantities(text, "nl", "EUR")] == ["30 dagen", "€ 4,95"]


def test_a_text_without_digits_still_reads_words_that_carry_their_number() -> None:
    found = find_quantities("משלוח תוך יומיים, החזרה תוך שבועיים", EVERY_LANGUAGE, "EUR")
    assert [(q.kind, q.text, q.values) for q in found] == [
        ("days", "יומיים", (Decimal(2),)),
        ("days", "שבועיים", (Decimal(14),)),
    ]
    assert find_quantities("Geen getal in deze zin, wel een euro en dagen.", "nl", "EUR") == []
