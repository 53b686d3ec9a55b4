"""Every rule's documented failing example fails and its passing example passes.

The examples are the ones shown in docs/rules/, so this also proves the documentation true.
Each example runs with only its own rule enabled, as the page type the rule is about.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from defenceline import Policy
from defenceline.checks import RULES, CheckConfig, check_html
from defenceline.checks.registry import Rule


def example_page(fragment: str) -> str:
    if fragment.lstrip().lower().startswith("<!doctype"):
        return fragment  # a whole document (access-page-lang's examples are about <html>)
    return (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Voorbeeld</title>'
        f"</head><body>{fragment}</body></html>"
    )


def run_example(rule: Rule, kind: str, policy: Policy) -> list[str]:
    config = CheckConfig(rules={other: "off" for other in RULES if other != rule.id})
    page_type = rule.example_page_type or rule.page_types[0]
    report = check_html(
        example_page(getattr(rule, kind)),
        f"{rule.id}-{kind}.html",
        config,
        policy if rule.needs_policy else None,
        page_type,
    )
    assert report.error is None
    assert not [note for note in report.notes if "failed" in note], report.notes
    return [f"{f.severity}: {f.message}" for f in report.findings if f.rule == rule.id]


@pytest.mark.parametrize("rule_id", list(RULES))
def test_failing_example_is_reported(rule_id: str, demo_policy: Policy) -> None:
    findings = run_example(RULES[rule_id], "failing", demo_policy)
    assert findings, f"{rule_id}: the failing example raised nothing"


@pytest.mark.parametrize("rule_id", list(RULES))
def test_passing_example_is_clean(rule_id: str, demo_policy: Policy) -> None:
    assert run_example(RULES[rule_id], "passing", demo_policy) == []


def test_every_rule_is_documented_with_a_stable_kebab_case_id() -> None:
    for rule_id, rule in RULES.items():
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule_id)
        assert rule.severity in ("error", "warning", "info")
        assert rule.summary.endswith(".") or rule.summary.endswith(")")
        assert len(rule.why) > 60
        assert rule.failing != rule.passing


def test_the_issue_lists_exactly_these_rules() -> None:
    expected = {
        "product-images", "product-specs", "price-visible", "shipping-cost-visible",
        "delivery-time-visible", "stock-visible", "returns-visible", "terms-link",
        "reviews-present", "breadcrumbs", "contact-channel", "structured-data-product",
        "structured-data-shipping", "structured-data-returns", "markup-matches-page",
        "policy-consistency", "dark-countdown-timer", "dark-scarcity-claim",
        "dark-social-proof", "dark-preselected-addon", "dark-confirmshaming",
        "dark-hidden-costs", "cart-all-costs", "guest-checkout", "checkout-inline-validation",
        "dark-limited-time", "dark-trick-question",
        "dark-sneak-into-basket", "dark-forced-registration",
        "access-product-image-alt", "access-control-name", "access-form-label",
        "access-page-lang",
    }  # fmt: skip
    assert set(RULES) == expected


def test_dark_pattern_rules_start_with_dark() -> None:
    dark = {rule_id for rule_id in RULES if rule_id.startswith("dark-")}
    assert len(dark) == 10
    assert all("other" in RULES[rule_id].page_types for rule_id in dark)


def test_countdown_to_a_page_load_deadline_is_an_error_and_a_fixed_one_a_warning() -> None:
    derived = RULES["dark-countdown-timer"].failing
    fixed = (
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
        '<p>Actie eindigt over <span class="countdown" data-deadline="2026-12-01T00:00:00Z">'
        "02:14:09</span></p>"
    )
    config = CheckConfig(rules={r: "off" for r in RULES if r != "dark-countdown-timer"})
    bad = check_html(example_page(derived), "a.html", config, page_type="product")
    good = check_html(example_page(fixed), "b.html", config, page_type="product")
    assert [f.severity for f in bad.findings] == ["error"]
    assert [f.severity for f in good.findings] == ["warning"]


def test_resetting_countdown_is_an_error() -> None:
    page = (
        '<h1>Deal</h1><p>€ 19,99</p><p>Offer ends in <b id="clock">09:59</b></p>'
        "<script>var seconds = 600; setInterval(function () { seconds--; "
        "if (seconds <= 0) { seconds = 600; } show(seconds); }, 1000); // countdown</script>"
    )
    config = CheckConfig(rules={r: "off" for r in RULES if r != "dark-countdown-timer"})
    report = check_html(example_page(page), "c.html", config, page_type="product")
    assert [f.severity for f in report.findings] == ["error"]
    assert "restarts" in report.findings[0].message


def test_scarcity_claim_contradicting_inventory_markup_is_an_error() -> None:
    page = (
        '<script type="application/ld+json">{"@type": "Product", "name": "Tas", "offers": '
        '{"@type": "Offer", "price": "10", "priceCurrency": "EUR", "inventoryLevel": '
        '{"@type": "QuantitativeValue", "value": 140}}}</script>'
        "<h1>Tas</h1><p>€ 10</p><p>Only 2 left in stock!</p><button>Add to cart</button>"
    )
    config = CheckConfig(rules={r: "off" for r in RULES if r != "dark-scarcity-claim"})
    report = check_html(example_page(page), "d.html", config, page_type="product")
    assert [f.severity for f in report.findings] == ["error"]
    assert "140" in report.findings[0].message


def test_real_low_stock_within_the_policy_threshold_is_only_info(demo_policy: Policy) -> None:
    page = "<h1>Tas</h1><p>€ 10</p><p>Nog 3 op voorraad</p><button>In winkelwagen</button>"
    config = CheckConfig(rules={r: "off" for r in RULES if r != "dark-scarcity-claim"})
    report = check_html(example_page(page), "e.html", config, demo_policy, "product")
    assert [f.severity for f in report.findings] == ["info"]


def test_shipping_cost_only_in_the_site_banner_is_a_warning_not_an_error() -> None:
    page = RULES["shipping-cost-visible"].failing
    config = CheckConfig(rules={r: "off" for r in RULES if r != "shipping-cost-visible"})
    report = check_html(example_page(page), "f.html", config, page_type="product")
    assert [f.severity for f in report.findings] == ["warning"]
    assert "banner" in report.findings[0].message


def test_missing_shipping_and_return_markup_is_info_that_it_may_live_at_organisation_level() -> (
    None
):
    page = "<h1>Tas</h1><p>€ 10</p><button>Add to cart</button>"
    config = CheckConfig(
        rules={
            r: "off"
            for r in RULES
            if r not in ("structured-data-shipping", "structured-data-returns")
        }
    )
    report = check_html(example_page(page), "g.html", config, page_type="product")
    assert sorted((f.rule, f.severity) for f in report.findings) == [
        ("structured-data-returns", "info"),
        ("structured-data-shipping", "info"),
    ]
    assert all("organisation level" in f.message for f in report.findings)


def test_severity_override_and_disabled_rule_from_config() -> None:
    page = "<h1>Tas</h1><p>€ 10</p><button>Add to cart</button>"
    config = CheckConfig(rules={"stock-visible": "info", "breadcrumbs": "off"})
    report = check_html(example_page(page), "h.html", config, page_type="product")
    rules = {f.rule: f.severity for f in report.findings}
    assert rules["stock-visible"] == "info"
    assert "breadcrumbs" not in rules
    assert "breadcrumbs" not in report.checked_rules


def test_policy_consistency_names_each_contradiction(demo_policy: Policy) -> None:
    config = CheckConfig(rules={r: "off" for r in RULES if r != "policy-consistency"})
    report = check_html(
        example_page(RULES["policy-consistency"].failing), "i.html", config, demo_policy, "product"
    )
    assert {f.severity for f in report.findings} == {"warning"}
    assert [f.message for f in report.findings] == [
        "'60 dagen' differs from the policy's return window of 30 days "
        "(store.toml: returns.window_days)",
        "'€ 3,95' is none of the policy's shipping rates (€\xa02,95, €\xa04,95, €\xa06,95, "
        "€\xa09,95 or €\xa014,95) (store.toml: shipping.zones.rate)",
        "'€ 40' is not a free-shipping threshold in the policy; free shipping starts at "
        "€\xa050,00 (Nederland) and €\xa075,00 (België en Duitsland) "
        "(store.toml: shipping.zones.free_shipping_from)",
        "'22:00' is not the policy's cut-off (16:00 on Monday–Thursday and 15:00 on Friday) "
        "(store.toml: warehouse.cutoff)",
    ]


def test_policy_consistency_is_skipped_without_a_policy() -> None:
    report = check_html(
        example_page(RULES["policy-consistency"].failing), "j.html", page_type="product"
    )
    assert "policy-consistency" not in report.checked_rules


def test_countdown_that_restarts_through_a_ternary_is_an_error() -> None:
    page = (
        '<h1>Deal</h1><p class="price">€ 9,95</p><p>Verloopt over <span id="t">09:59</span></p>'
        "<script>let seconds = 600; setInterval(() => { seconds = seconds > 0 ? seconds - 1"
        " : 10 * 60; show(seconds); }, 1000);</script>"
    )
    config = CheckConfig(rules={r: "off" for r in RULES if r != "dark-countdown-timer"})
    report = check_html(example_page(page), "k.html", config, page_type="product")
    assert [f.severity for f in report.findings] == ["error"]


def test_the_price_of_a_ticked_extra_is_not_the_product_price() -> None:
    page = (
        '<h1>Fietsbel</h1><p class="price">€ 9,95 <del>€ 29,95</del></p><form>'
        '<label><input type="checkbox" checked> Doneer € 1,00 aan ons goede doel</label>'
        "<button>Nu kopen</button></form>"
    )
    report = check_html(example_page(page), "l.html", page_type="product")
    assert report.facts is not None and report.facts["price"] == "9.95"


def test_an_empty_cart_has_no_costs_to_show() -> None:
    page = "<h1>Winkelwagen</h1><p>Je winkelwagen is leeg. <a href='/'>Verder winkelen</a></p>"
    report = check_html(example_page(page), "cart.html", page_type="cart")
    assert not [f for f in report.findings if f.rule == "cart-all-costs"]


def test_a_terms_page_that_names_prices_is_not_a_product_page() -> None:
    page = (
        "<h1>Algemene voorwaarden</h1><p>Verzendkosten naar Nederland: € 4,95, gratis vanaf"
        " € 50,00.</p><p>Retourneren kan binnen 30 dagen.</p>"
    )
    assert check_html(example_page(page), "voorwaarden.html").page_type == "other"


def _only(rule_id: str) -> CheckConfig:
    return CheckConfig(rules={other: "off" for other in RULES if other != rule_id})


def test_pre_selected_insured_shipping_next_to_plain_shipping_is_reported() -> None:
    page = (
        "<h1>Il tuo carrello</h1><fieldset><label><input type='radio' name='s' value='std'>"
        " Spedizione standard – 7,90 €</label><label><input type='radio' name='s' value='ins' "
        "checked> Spedizione assicurata contro rotture – 10,40 €</label></fieldset>"
    )
    report = check_html(example_page(page), "c.html", _only("dark-preselected-addon"), None, "cart")
    assert [f.rule for f in report.findings] == ["dark-preselected-addon"]


def test_a_pre_selected_priced_variant_is_not_an_extra() -> None:
    page = (
        "<h1>Bureau</h1><p>€ 399,00</p><label><input type='radio' name='kleur' checked> Eiken "
        "(+ € 20,00)</label><label><input type='radio' name='kleur'> Wit</label>"
        "<button>In winkelwagen</button>"
    )
    report = check_html(example_page(page), "b.html", _only("dark-preselected-addon"))
    assert report.findings == []


@pytest.mark.parametrize(
    ("lang", "claim"),
    [
        ("de", "Nur noch wenige auf Lager"),
        ("nl", "Nog maar enkele op voorraad"),
        ("en", "Only a few left"),
        ("es", "Quedan pocas unidades"),
    ],
)
def test_few_left_without_a_number_is_a_scarcity_claim(lang: str, claim: str) -> None:
    page = f"<h1>Flasche</h1><p>19,95 €</p><p>{claim}</p><button>Kaufen</button>"
    report = check_html(
        example_page(page).replace('lang="nl"', f'lang="{lang}"'),
        "f.html",
        _only("dark-scarcity-claim"),
    )
    assert [f.rule for f in report.findings] == ["dark-scarcity-claim"]


def test_made_to_order_within_days_is_not_a_countdown() -> None:
    page = (
        "<h1>Dripper</h1><p>£36.00</p><button>Add to basket</button>"
        "<p>Made to order, dispatched within 3–5 working days.</p>"
        "<p>Order within 2 hrs 14 mins for dispatch today.</p>"
    )
    report = check_html(example_page(page), "d.html", _only("dark-countdown-timer"))
    assert [f.snippet for f in report.findings] == [
        "Order within 2 hrs 14 mins for dispatch today."
    ]


def test_money_left_to_spend_is_not_a_scarcity_claim() -> None:
    page = (
        "<h1>Panier</h1><p>Plus que 15,50 € pour la livraison offerte !</p>"
        "<p>Nur noch 12 € bis zum kostenlosen Versand</p><p>Plus que 3 en stock</p>"
    )
    report = check_html(
        example_page(page).replace('lang="nl"', 'lang="fr"'),
        "p.html",
        _only("dark-scarcity-claim"),
        page_type="cart",
    )
    assert [f.snippet for f in report.findings] == ["Plus que 3 en stock"]


def _markup_findings(markup: str, rules: set[str]) -> list[tuple[str, str]]:
    page = (
        f'<script type="application/ld+json">{markup}</script>'
        "<h1>Fietstas</h1><p>€ 49,95</p><button>In winkelwagen</button>"
    )
    config = CheckConfig(rules={r: "off" for r in RULES if r not in rules})
    report = check_html(example_page(page), "m.html", config, page_type="product")
    return sorted((f.rule, f.message) for f in report.findings)


def test_price_and_currency_may_sit_in_the_offers_price_specification() -> None:
    markup = (
        '{"@context": "https://schema.org", "@type": "Product", "name": "Fietstas", '
        '"image": "https://winkel.example/f.jpg", "offers": {"@type": "Offer", '
        '"availability": "https://schema.org/InStock", "priceSpecification": '
        '[{"@type": "UnitPriceSpecification", "price": "49.95", "priceCurrency": "EUR"}]}}'
    )
    assert _markup_findings(markup, {"structured-data-product"}) == []
    without = markup.replace('"price": "49.95", "priceCurrency": "EUR"', '"price": "49.95"')
    assert _markup_findings(without, {"structured-data-product"}) == [
        ("structured-data-product", "Offer has no priceCurrency")
    ]


def test_shipping_and_returns_declared_by_the_organisation_are_checked_like_the_offers() -> None:
    markup = (
        '[{"@context": "https://schema.org", "@type": "Product", "name": "Fietstas", '
        '"offers": {"@type": "Offer", "price": "49.95", "priceCurrency": "EUR"}}, '
        '{"@context": "https://schema.org", "@type": "OnlineStore", "name": "Winkel", '
        '"hasShippingService": {"@type": "ShippingService", "name": "Standaard"}, '
        '"hasMerchantReturnPolicy": {"@type": "MerchantReturnPolicy", '
        '"returnPolicyCategory": "https://schema.org/MerchantReturnFiniteReturnWindow"}}]'
    )
    rules = {"structured-data-shipping", "structured-data-returns"}
    assert _markup_findings(markup, rules) == [
        (
            "structured-data-returns",
            "MerchantReturnPolicy lacks applicableCountry, merchantReturnDays",
        )
    ]


def test_the_full_audit_pointer_is_written_once_and_ends_each_accessibility_rule_s_why() -> None:
    from defenceline.checks import registry

    text = (Path(registry.__file__).parent / "rules.toml").read_text(encoding="utf-8")
    assert "axe-core injected through Playwright" not in text  # said once, in the registry
    flagged = [i for i, t in tomllib.loads(text)["rules"].items() if t.get("full_audit")]
    assert flagged == [i for i in RULES if i.startswith("access-")]
    for rule_id in flagged:
        assert RULES[rule_id].why.endswith(" " + registry._FULL_AUDIT)
        assert RULES[rule_id].why.count("axe-core injected") == 1
