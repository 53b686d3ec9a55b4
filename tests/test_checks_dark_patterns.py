"""Dark-pattern rules: severities that follow the evidence, seven languages, ordinary text.

Each test checks a small page with only the rule under test switched on, as a shop's page
would be checked, and asserts what the store owner would read in the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from defenceline.checks import RULES, CheckConfig, check_documents, check_html
from defenceline.checks.dark_patterns.phrases import phrases
from defenceline.checks.report import PageReport
from defenceline.demoshop import selfcheck
from defenceline.demoshop.app import create_app

from .conftest import TUESDAY_3PM


def _page(fragment: str, lang: str = "nl") -> str:
    direction = ' dir="rtl"' if lang == "he" else ""
    return (
        f'<!doctype html><html lang="{lang}"{direction}><head><meta charset="utf-8">'
        f"<title>t</title></head><body>{fragment}</body></html>"
    )


def _check(fragment: str, rule: str, lang: str = "nl", page_type: str = "product") -> PageReport:
    config = CheckConfig(rules={other: "off" for other in RULES if other != rule})
    report = check_html(_page(fragment, lang), "t.html", config, None, page_type)
    assert report.error is None
    return report


def _severities(
    fragment: str, rule: str, lang: str = "nl", page_type: str = "product"
) -> list[str]:
    return [f.severity for f in _check(fragment, rule, lang, page_type).findings]


def test_bad_example_page_of_the_demo_trips_every_dark_pattern_rule(tmp_path: Path) -> None:
    app: Flask = create_app(clock=lambda: TUESDAY_3PM, data_dir=tmp_path, help_centre="off")
    with app.test_request_context():
        documents = selfcheck._render(["/slecht-voorbeeld"], None)
        report = check_documents(documents)
    page = report.pages[0]
    tripped = {f.rule for f in page.findings if f.severity in ("warning", "error")}
    assert {rule for rule in RULES if rule.startswith("dark-")} <= tripped


_STOCK_MARKUP = (
    '<script type="application/ld+json">{{"@type": "Product", "name": "Tas", "offers": '
    '{{"@type": "Offer", "price": "10", "priceCurrency": "EUR", "availability": '
    '"https://schema.org/InStock", "inventoryLevel": {{"@type": "QuantitativeValue", '
    '"value": {level}}}}}}}</script><h1>Tas</h1><p>€ 10</p><button>In winkelwagen</button>'
)


def test_low_stock_that_matches_the_markup_is_a_warning_and_one_that_contradicts_it_an_error() -> (
    None
):
    honest = _STOCK_MARKUP.format(level=2) + "<p>Nog maar 2 op voorraad</p>"
    invented = _STOCK_MARKUP.format(level=140) + "<p>Nog maar 2 op voorraad</p>"
    report = _check(honest, "dark-scarcity-claim")
    assert [f.severity for f in report.findings] == ["warning"]
    assert "matches" in report.findings[0].message
    assert _severities(invented, "dark-scarcity-claim") == ["error"]


def test_purchase_toast_with_random_names_is_an_error_and_a_plain_one_a_warning() -> None:
    toast = (
        '<div class="sales-pop"><p>Anna in Berlin purchased</p><a href="/p/1">Linen Shirt</a>'
        "<p>5 minutes ago</p></div>"
    )
    script = (
        "<script>var names = ['Anna', 'Ben']; var who = names[Math.floor(Math.random() * 2)];"
        " // recent_sales purchased</script>"
    )
    assert _severities(toast, "dark-social-proof", "en") == ["warning"]
    assert _severities(toast + script, "dark-social-proof", "en") == ["error"]


@pytest.mark.parametrize(
    ("lang", "text", "rule"),
    [
        ("en", "Your order is reserved for 09:58 minutes", "dark-countdown-timer"),
        ("de", "Angebot endet in 2 Std. 14 Min.", "dark-countdown-timer"),
        ("he", "והמבצע מסתיים בעוד 2 שעות", "dark-countdown-timer"),
        ("nl", "Alleen vandaag: 20% korting", "dark-limited-time"),
        ("fr", "Offre limitée !", "dark-limited-time"),
        ("it", "Solo oggi!", "dark-limited-time"),
        ("es", "¡Sólo hoy!", "dark-limited-time"),
        ("he", "רק היום!", "dark-limited-time"),
        ("he", "נותרו רק 3 יחידות", "dark-scarcity-claim"),
        ("he", "מישהו מחיפה רכש בקבוק", "dark-social-proof"),
        ("en", "23 sold in the last 24 hours", "dark-social-proof"),
        ("nl", "Iemand uit Utrecht kocht zojuist deze jas", "dark-social-proof"),
    ],
)
def test_messages_are_found_in_every_language(lang: str, text: str, rule: str) -> None:
    fragment = f"<h1>Item</h1><p>€ 10</p><button>Buy</button><p class='note'>{text}</p>"
    assert _severities(fragment, rule, lang) == ["warning"]


@pytest.mark.parametrize(
    ("lang", "fragment", "rule"),
    [
        # A Hebrew word that merely ends in the letters of "only" (ברק, a name) is not "only".
        ("he", "<p>ברק היום בחנות</p>", "dark-limited-time"),
        ("en", "<nav><a href='/last-chance'>Last Chance</a></nav>", "dark-limited-time"),
        ("en", "<h1>Limited Edition Watch</h1><p>In stock</p>", "dark-limited-time"),
        ("nl", "<p class='stock'>Op voorraad</p>", "dark-scarcity-claim"),
        ("en", "<p>Made in Austin, TX by a family foundry</p>", "dark-social-proof"),
        (
            "en",
            "<section class='reviews'><p>I purchased this 3 weeks ago and love it.</p></section>",
            "dark-social-proof",
        ),
        ("en", "<p>Voor 16:00 besteld, morgen in huis</p>", "dark-countdown-timer"),
        ("de", "<p>Aktionspreis gültig bis 15.06.2026</p>", "dark-countdown-timer"),
        ("he", "<button>אני רוצה הנחה</button><a class='close'>לא תודה</a>", "dark-confirmshaming"),
        (
            "en",
            "<footer><p>Don't miss out: subscribe to our newsletter</p></footer>",
            "dark-limited-time",
        ),
        ("en", "<p>No hidden costs: we never charge a service fee.</p>", "dark-hidden-costs"),
    ],
)
def test_ordinary_shop_text_is_left_alone(lang: str, fragment: str, rule: str) -> None:
    assert _severities(fragment, rule, lang) == []


def test_a_fee_hidden_by_not_including_it_is_still_a_hidden_cost() -> None:
    fragment = "<p><small>No incluye gastos de gestión, que se añaden al pagar.</small></p>"
    assert _severities(fragment, "dark-hidden-costs", "es", "checkout") == ["error"]


def test_a_surcharge_shown_at_the_payment_choice_is_not_hidden() -> None:
    fragment = (
        "<h1>Afrekenen</h1><form><label><input type='radio' name='pay'> iDEAL</label>"
        "<label><input type='radio' name='pay'> Creditcard <small>(+ € 1,50 toeslag)</small>"
        "</label></form>"
    )
    assert _severities(fragment, "dark-hidden-costs", "nl", "checkout") == []


def test_confirmshaming_in_a_dialog_needs_a_decline_or_a_control() -> None:
    body = "<div class='modal'><p>Don't miss out on 10% off your first order</p></div>"
    decline = "<div class='modal'><a class='close'>No thanks, I'd rather pay full price</a></div>"
    assert _severities(body, "dark-confirmshaming", "en") == []
    assert _severities(decline, "dark-confirmshaming", "en") == ["error"]


def test_forced_registration_is_left_to_guest_checkout_on_the_checkout() -> None:
    text = "<h1>Afrekenen</h1><p>Maak een account aan om verder te gaan.</p>"
    assert "checkout" not in RULES["dark-forced-registration"].page_types
    assert _severities(text, "dark-forced-registration", "nl", "product") == ["warning"]
    assert _severities(text, "dark-forced-registration", "nl", "checkout") == []


def test_a_phrase_list_without_trigger_words_is_refused_when_it_is_built() -> None:
    with pytest.raises(ValueError, match="trigger word"):
        phrases(r"\d+ %")
    assert phrases(r"\bnog maar \d+\b").triggers == frozenset({"maar"})


def test_confirmshaming_in_a_pop_up_that_a_script_opens_later_is_found() -> None:
    fragment = (
        "<h1>Tas</h1><p>€ 10</p><button>In winkelwagen</button>"
        '<div class="newsletter-popup modal" style="display:none" role="dialog">'
        "<p>10% korting?</p><button>Ja</button>"
        '<a href="#" class="decline">Nee, ik hou niet van korting</a></div>'
    )
    assert _severities(fragment, "dark-confirmshaming") == ["error"]


@pytest.mark.parametrize(
    ("lang", "text", "rule"),
    [
        ("ru", "Осталось всего 3 шт.", "dark-scarcity-claim"),
        ("pl", "12 osób ogląda ten produkt", "dark-social-proof"),
        ("sv", "Erbjudandet slutar om 3 tim", "dark-countdown-timer"),
        ("el", "ΜΟΝΟ ΣΗΜΕΡΑ", "dark-limited-time"),
        ("ja", "残り2点", "dark-scarcity-claim"),
        ("ja", "現在12人がこの商品を閲覧中", "dark-social-proof"),
        ("ja", "本日限りのセール", "dark-limited-time"),
    ],
)
def test_messages_in_further_languages_and_in_japanese_without_spaces(
    lang: str, text: str, rule: str
) -> None:
    fragment = f"<h1>Item</h1><p>€ 10</p><button>Buy</button><p class='note'>{text}</p>"
    assert _severities(fragment, rule, lang) == ["warning"]


def test_japanese_stock_statements_are_not_scarcity() -> None:
    fragment = "<h1>Item</h1><p>¥1,200</p><p class='stock'>在庫あり</p><p>残り15点</p>"
    assert _severities(fragment, "dark-scarcity-claim", "ja") == []


def test_low_stock_is_compared_with_the_platform_data_and_the_pages_own_stock_statement() -> None:
    shopify = (
        '<script type="application/json" id="ProductJson">{{"variants": [{{"id": 1, '
        '"inventory_quantity": {level}}}]}}</script><h1>Bag</h1><p>$10</p>'
        "<button>Add to cart</button><p>Only 2 left!</p>"
    )
    invented = _check(shopify.format(level=37), "dark-scarcity-claim", "en")
    assert [f.severity for f in invented.findings] == ["error"]
    assert "platform" in invented.findings[0].message
    assert _severities(shopify.format(level=2), "dark-scarcity-claim", "en") == ["warning"]
    page_says = (
        "<h1>Bag</h1><p>$10</p><p class='stock'>In stock: 140</p><button>Add to cart</button>"
        "<p class='urgency'>Hurry, only 2 left!</p>"
    )
    assert _severities(page_says, "dark-scarcity-claim", "en") == ["error"]
    delivery = (
        "<h1>Bag</h1><p>$10</p><p class='stock'>In stock, ships in 2-3 days</p>"
        "<button>Add to cart</button><p class='urgency'>Hurry, only 5 left!</p>"
    )
    assert _severities(delivery, "dark-scarcity-claim", "en") == ["warning"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Only 2 of this item left", "dark-scarcity-claim"),
        ("Our inventory is running low!", "dark-scarcity-claim"),
        ("Right now 14 other shoppers are looking at this", "dark-social-proof"),
        ("Sale ends at 11:59 PM tonight", "dark-limited-time"),
    ],
)
def test_wording_no_list_foresaw_is_found_by_what_it_is_made_of(text: str, rule: str) -> None:
    assert _severities(f"<p class='note'>{text}</p>", rule, "en") == ["warning"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Only available in 3 sizes — left and right shoe sold separately", "dark-scarcity-claim"),
        ("Stock: low-maintenance plants that need little water", "dark-scarcity-claim"),
        ("Sale ends at 11:59 PM tonight", "dark-countdown-timer"),
        ("Order before 3pm for next-day delivery", "dark-countdown-timer"),
    ],
)
def test_look_alikes_of_that_wording_are_left_alone(text: str, rule: str) -> None:
    assert _severities(f"<p class='note'>{text}</p>", rule, "en") == []


_BUY_BOX = "<h1>Tas</h1><p>{price}</p><button>{button}</button>"


@pytest.mark.parametrize(
    ("lang", "price", "button", "text"),
    [
        ("en", "$10.00", "Add to cart", "Package protection ($2.95) was added to your cart."),
        ("en", "$10.00", "Add to cart", "Your order includes shipping protection for $1.98."),
        ("de", "10,00 €", "In den Warenkorb", "Ihre Bestellung enthält Versandschutz für 2,95 €."),
        ("fr", "10,00 €", "Ajouter", "Protection de colis (2,95 €) a été ajouté à votre panier."),
        ("pl", "10,00 zł", "Do koszyka", "Ochrona przesyłki (9,99 zł) została dodana do koszyka."),
        ("ru", "1 000 ₽", "В корзину", "Страховка посылки (299 ₽) добавлена в вашу корзину."),
        ("ja", "¥1,000", "カートに追加", "ご注文には配送補償（¥300）が含まれます。"),
    ],
)
def test_a_protection_plan_put_in_the_cart_for_the_shopper_is_sneaking(
    lang: str, price: str, button: str, text: str
) -> None:
    fragment = _BUY_BOX.format(price=price, button=button) + f"<p>{text}</p>"
    assert _severities(fragment, "dark-sneak-into-basket", lang) == ["error"]


def test_the_shoppers_own_product_added_to_the_cart_or_a_free_gift_is_not_sneaking() -> None:
    added = "<p>Wool sweater ($49.95) was added to your cart.</p>"
    free = "<p>Free gift wrapping included with every order.</p>"
    optional = "<label><input type='checkbox'> Add package protection for $2.95</label>"
    for text in (added, free, optional):
        fragment = _BUY_BOX.format(price="$49.95", button="Add to cart") + text
        assert _severities(fragment, "dark-sneak-into-basket", "en") == [], text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nl", "Alleen leden kunnen bestellen. Maak je gratis account aan om af te rekenen."),
        ("de", "Erstellen Sie ein kostenloses Konto, um weiter einzukaufen."),
        ("es", "Regístrate para completar tu compra"),
        ("pl", "Zaloguj się lub załóż konto, aby kupić ten produkt."),
        ("sv", "Logga in eller skapa ett konto för att köpa den här produkten."),
        ("ru", "Войдите или зарегистрируйтесь, чтобы купить этот товар."),
        ("el", "Εγγραφείτε για να ολοκληρώσετε την αγορά σας"),
        ("ja", "この商品を購入するにはログインまたは会員登録してください。"),
        ("pt", "Faça login ou crie uma conta para comprar este produto."),
    ],
)
def test_an_account_required_to_buy_is_forced_registration_in_every_language(
    lang: str, text: str
) -> None:
    fragment = (
        _BUY_BOX.format(price="10,00", button="+") + f"<div class='modal'><p>{text}</p></div>"
    )
    assert _severities(fragment, "dark-forced-registration", lang) == ["warning"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Log in to save items to your wishlist"),
        ("sv", "Skapa ett konto för att följa dina ordrar (valfritt)"),
        ("ru", "Войдите, чтобы добавить товары в избранное"),
        ("en", "Members get free shipping – join for free"),
    ],
)
def test_an_account_offered_for_its_own_features_is_not_forced_registration(
    lang: str, text: str
) -> None:
    fragment = _BUY_BOX.format(price="10,00", button="+") + f"<p>{text}</p>"
    assert _severities(fragment, "dark-forced-registration", lang) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ru", "Отметьте это поле, если не хотите не получать наши предложения."),
        ("pl", "Zaznacz to pole, jeśli nie chcesz nie otrzymywać naszych ofert."),
        ("ja", "お得な情報を受け取らないことを希望しない場合はチェックしてください。"),
    ],
)
def test_a_double_negative_opt_out_is_a_trick_question_beyond_the_seven_languages(
    lang: str, text: str
) -> None:
    fragment = (
        _BUY_BOX.format(price="10,00", button="+")
        + f"<label><input type='checkbox' name='optout'> {text}</label>"
    )
    assert _severities(fragment, "dark-trick-question", lang) == ["warning"]


def test_guest_checkout_is_one_lexicon_entry_in_every_language_hebrew_too() -> None:
    # The cart rule and the forced-registration rule read the same words: a Hebrew checkout
    # with a login form beside "continue as a guest" has a guest checkout (the cart rule, which
    # lacked the Hebrew words, reported a password-only checkout).
    login = (
        "<h1>קופה</h1><form><p>כבר יש לכם חשבון? התחברו</p>"
        "<input type='email' autocomplete='email'>"
        "<input type='password' autocomplete='current-password'><button>התחברות</button></form>"
    )
    guest = login + "<p><a href='/checkout/guest'>או המשיכו כאורח</a></p>"
    assert _severities(login, "guest-checkout", "he", "checkout") != []
    assert _severities(guest, "guest-checkout", "he", "checkout") == []


@pytest.mark.parametrize(
    ("label", "lang"),
    [("Standaard verzending 0,00", "nl"), ("Dostawa bez opłat", "pl"), ("משלוח חינם", "he")],
)
def test_free_is_one_lexicon_entry_for_a_ticked_option_and_a_stated_cost(
    label: str, lang: str
) -> None:
    # A ticked option that costs nothing is no paid add-on, and the same words state a cost
    # ("free") where the checker reads shipping: misdirection had its own list of them.
    from defenceline.checks.facts.text import states_cost

    ticked = (
        f"<h1>Winkelwagen</h1><form><label><input type='checkbox' checked> {label}</label></form>"
    )
    assert _severities(ticked, "dark-preselected-addon", lang, "cart") == []
    assert states_cost(label)


@pytest.mark.parametrize(
    "text",
    [
        "Die Aktion endet in 3 Tagen, am 31. August",
        "L'offerta termina tra 3 giorni, il 31 ottobre",
        "A promoção termina em 3 dias, a 31 de outubro",
        "La oferta termina en 3 días, el 31 de enero",
    ],
)
def test_a_stated_end_date_in_any_language_is_no_countdown(text: str) -> None:
    # The month names are one lexicon list, the one the delivery dates use; the countdown rule
    # had its own, without ottobre, outubro or enero.
    from defenceline.checks.dark_patterns.urgency import counts_down

    assert not counts_down(text)
    assert counts_down("Offer ends in 3 days")
