"""The manifesto checks: each rule has a failing and a passing case, in more than one language."""

from __future__ import annotations

from pathlib import Path

import pytest

from defenceline import Policy, parse_policy
from defenceline.manifesto import RULES, Finding, Rule, check_manifesto, parse_manifesto
from defenceline.promises import find_quantities
from defenceline.rules import render_index, stale_pages

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "manifesto" / "examples" / "trapkracht"

BASE = """---
language: {language}
---
## Brand {{#brand}}
At Trapkracht we believe cycling should work in every weather.

## Value {{#value}}
### Product {{#product}}
Every light we sell is tested on our own commute.
### Strength {{#strength}}
Our products.

## Ambition {{#ambition}}
{ambition}
"""


def manifesto_with(ambition: str, language: str = "en") -> str:
    return BASE.format(language=language, ambition=ambition)


def rules_of(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def policy_for(rule: Rule, demo_policy_text: str) -> Policy:
    text = demo_policy_text
    if rule.policy_patch:
        old, new = rule.policy_patch
        assert old in text
        text = text.replace(old, new)
    return parse_policy(text)


# --- every documented rule: its failing example fails, its passing example passes ---------------


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_example_that_should_fail_reports_the_rule(rule: Rule, demo_policy_text: str) -> None:
    text = rule.failing if rule.example_part is None else manifesto_with(rule.failing)
    findings = check_manifesto(parse_manifesto(text), policy_for(rule, demo_policy_text))
    assert rule.id in rules_of(findings)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_example_that_should_pass_reports_nothing(rule: Rule, demo_policy_text: str) -> None:
    text = rule.passing if rule.example_part is None else manifesto_with(rule.passing)
    findings = check_manifesto(parse_manifesto(text), policy_for(rule, demo_policy_text))
    assert findings == []


def test_rules_reference_in_docs_is_generated_from_the_rules() -> None:
    hint = "run: python -m defenceline.rules docs/rules"
    assert stale_pages(RULES, ROOT / "docs" / "rules" / "manifesto") == [], hint
    index = (ROOT / "docs" / "rules" / "manifesto" / "README.md").read_text(encoding="utf-8")
    assert index == render_index(RULES)


def test_every_rule_links_to_its_reference_page() -> None:
    for rule in RULES:
        assert rule.help == f"docs/rules/manifesto/{rule.id}.md"
        assert (ROOT / rule.help).is_file()


# --- structure ---------------------------------------------------------------------------------


def test_trapkracht_examples_pass_against_the_demo_policy(demo_policy: Policy) -> None:
    for path in sorted(EXAMPLES.glob("*.md")):
        manifesto = parse_manifesto(path.read_text(encoding="utf-8"), str(path))
        assert check_manifesto(manifesto, demo_policy) == [], path.name


def test_missing_parts_are_each_reported_with_the_part_id() -> None:
    text = "---\nlanguage: nl\n---\n## Merk {#brand}\nBij ons draait alles om de fiets.\n"
    findings = check_manifesto(parse_manifesto(text))
    assert [(f.rule, f.part) for f in findings] == [
        ("missing-part", "value"),
        ("missing-part", "ambition"),
    ]
    assert findings[0].severity == "error"
    assert (
        "the value proposition is missing; add a '## ... {#value}' section" in findings[0].message
    )


def test_empty_file_is_missing_every_part() -> None:
    findings = check_manifesto(parse_manifesto("", default_language="en"))
    assert rules_of(findings) == ["missing-part"] * 3


def test_part_whose_body_is_only_a_comment_is_empty() -> None:
    text = manifesto_with("<!-- write this later -->")
    (finding,) = check_manifesto(parse_manifesto(text))
    assert (finding.rule, finding.part, finding.line) == ("empty-part", "ambition", 13)
    assert finding.message == "the service ambition under 'Ambition' has no text"


def test_statement_over_50_words_reports_count_and_limit_and_51_is_the_first_failure() -> None:
    fifty = " ".join(["woord"] * 50)
    assert check_manifesto(parse_manifesto(manifesto_with(fifty, "nl"))) == []
    (finding,) = check_manifesto(parse_manifesto(manifesto_with(fifty + " extra", "nl")))
    assert finding.rule == "too-long"
    assert finding.message == "the service ambition has 51 words; the limit is 50"


def test_word_limit_applies_to_hebrew_with_niqqud() -> None:
    words = " ".join(["שָׁלוֹם"] * 51)
    (finding,) = check_manifesto(parse_manifesto(manifesto_with(words, "he")))
    assert finding.message == "the service ambition has 51 words; the limit is 50"


def test_each_value_statement_has_its_own_limit() -> None:
    long = " ".join(["word"] * 60)
    text = manifesto_with("We answer fast.").replace("Our products.", long)
    (finding,) = check_manifesto(parse_manifesto(text))
    assert (finding.statement, finding.line) == ("strength", 10)
    assert finding.message == "the strongest point has 60 words; the limit is 50"


def test_structure_only_without_a_policy() -> None:
    text = manifesto_with("Free returns within 7 days, and we answer within 1 hour.")
    assert check_manifesto(parse_manifesto(text)) == []


# --- promises against the policy, more languages and cases --------------------------------------


@pytest.mark.parametrize(
    ("language", "bad", "good"),
    [
        ("nl", "Je hebt veertien dagen bedenktijd.", "Je hebt dertig dagen bedenktijd."),
        ("nl", "Retourneren kan binnen 2 weken.", "Retourneren kan binnen 30 dagen."),
        ("de", "Rücksendung innerhalb von 14 Tagen.", "Rücksendung innerhalb von 30 Tagen."),
        ("he", "אפשר להחזיר מוצר תוך 14 ימים.", "אפשר להחזיר מוצר תוך 30 ימים."),
    ],
)
def test_returns_window_in_other_languages(
    language: str, bad: str, good: str, demo_policy: Policy
) -> None:
    failing = check_manifesto(parse_manifesto(manifesto_with(bad, language)), demo_policy)
    assert rules_of(failing) == ["returns-window-mismatch"]
    assert failing[0].policy_field == "returns.window_days"
    assert failing[0].evidence == bad
    assert check_manifesto(parse_manifesto(manifesto_with(good, language)), demo_policy) == []


@pytest.mark.parametrize(
    ("language", "bad", "good"),
    [
        (
            "nl",
            "Bestel voor 17.00 uur, morgen in huis.",
            "Bestel vóór 16.00 uur (vrijdag 15.00 uur).",
        ),
        (
            "nl",
            "Voor 17 uur besteld, vandaag verzonden.",
            "Voor 16 uur besteld (vrijdag vóór 15 uur).",
        ),
        (
            "en",
            "Order by 5 pm and we ship today.",
            "Order by 4 pm (3 pm on Friday) and we ship today.",
        ),
        ("de", "Bis 17 Uhr bestellt, heute verschickt.", "Bis 16 Uhr (freitags 15 Uhr) bestellt."),
    ],
)
def test_cutoff_in_several_notations(
    language: str, bad: str, good: str, demo_policy: Policy
) -> None:
    failing = check_manifesto(parse_manifesto(manifesto_with(bad, language)), demo_policy)
    assert "cutoff-mismatch" in rules_of(failing)
    assert check_manifesto(parse_manifesto(manifesto_with(good, language)), demo_policy) == []


def test_cutoff_later_than_fridays_names_friday(demo_policy: Policy) -> None:
    text = manifesto_with("Order before 16:00 and it leaves the same day.")
    (finding,) = check_manifesto(parse_manifesto(text), demo_policy)
    assert finding.message == (
        "'16:00' is later than the cut-off on Friday (15:00); name that day's cut-off too"
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Call us on weekdays from 9:00 to 17:00."),
        ("en", "Questions about your order? Call us from 9:00 to 17:00."),
        ("nl", "Vragen over je bestelling? We zijn bereikbaar van 9.00 tot 17.00 uur."),
    ],
)
def test_opening_hours_are_not_mistaken_for_a_cutoff(
    language: str, text: str, demo_policy: Policy
) -> None:
    assert check_manifesto(parse_manifesto(manifesto_with(text, language)), demo_policy) == []


def test_same_day_dispatch_with_handling_days_cannot_be_backed(demo_policy_text: str) -> None:
    policy = parse_policy(demo_policy_text.replace("handling_days = 0", "handling_days = 1"))
    text = manifesto_with("Order before 16:00 (Friday 15:00) and it ships the same day.")
    findings = check_manifesto(parse_manifesto(text), policy)
    assert rules_of(findings) == ["same-day-unbacked"]
    assert "adds 1 handling day before a parcel leaves" in findings[0].message
    assert findings[0].policy_field == "warehouse.handling_days"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Alles wat je bestelt, versturen we nog dezelfde dag."),
        ("de", "Wir versenden jede Bestellung am selben Tag."),
        ("he", "כל הזמנה נשלחת באותו יום."),
    ],
)
def test_same_day_dispatch_without_a_time(language: str, text: str, demo_policy: Policy) -> None:
    findings = check_manifesto(parse_manifesto(manifesto_with(text, language)), demo_policy)
    assert rules_of(findings) == ["same-day-unbacked"]
    assert "16:00 on Monday–Thursday and 15:00 on Friday" in findings[0].message


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Gratis retourneren!"),
        ("de", "Kostenlose Rücksendung."),
        ("he", "החזרה בחינם."),
    ],
)
def test_free_returns_when_returns_cost_money(
    language: str, text: str, demo_policy_text: str, demo_policy: Policy
) -> None:
    paid = parse_policy(demo_policy_text.replace('cost = "free"', 'cost = "3.95"'))
    manifesto = parse_manifesto(manifesto_with(text, language))
    assert rules_of(check_manifesto(manifesto, paid)) == ["free-returns-unbacked"]
    assert check_manifesto(manifesto, demo_policy) == []  # the demo's returns are free


def test_feel_free_is_not_a_free_returns_promise(demo_policy_text: str) -> None:
    paid = parse_policy(demo_policy_text.replace('cost = "free"', 'cost = "3.95"'))
    text = manifesto_with("Feel free to return anything within 30 days for €3.95.")
    assert check_manifesto(parse_manifesto(text), paid) == []


@pytest.mark.parametrize(
    ("language", "bad", "good"),
    [
        ("nl", "Verzendkosten: € 3,95.", "Verzendkosten: € 4,95, gratis vanaf € 50,-."),
        ("de", "Versand ab 60 € kostenlos.", "Versand ab 75 € kostenlos."),
        (
            "en",
            "Shipping costs 5 euros.",
            "Shipping costs €4.95, or €2.95 more for evening delivery.",
        ),
    ],
)
def test_shipping_amounts(language: str, bad: str, good: str, demo_policy: Policy) -> None:
    failing = check_manifesto(parse_manifesto(manifesto_with(bad, language)), demo_policy)
    assert rules_of(failing)[0] in {"shipping-cost-mismatch", "free-shipping-threshold-mismatch"}
    assert check_manifesto(parse_manifesto(manifesto_with(good, language)), demo_policy) == []


def test_free_shipping_is_fine_when_every_zone_ships_free(demo_policy_text: str) -> None:
    text = manifesto_with("Free shipping, always.")
    free = demo_policy_text.replace('free_shipping_from = "50.00"', 'free_shipping_from = "0"')
    free = free.replace('free_shipping_from = "75.00"', 'free_shipping_from = "0"')
    assert check_manifesto(parse_manifesto(text), parse_policy(free)) == []


def test_response_time_in_days_is_compared_in_hours(demo_policy: Policy) -> None:
    assert (
        check_manifesto(parse_manifesto(manifesto_with("We reply within 1 day.")), demo_policy)
        == []
    )
    text = manifesto_with("Je krijgt binnen twee dagen antwoord.", "nl")
    assert rules_of(check_manifesto(parse_manifesto(text), demo_policy)) == [
        "response-time-mismatch"
    ]


def test_response_time_without_response_hours_in_the_policy(demo_policy_text: str) -> None:
    policy = parse_policy(demo_policy_text.replace("response_hours = 24\n", ""))
    findings = check_manifesto(parse_manifesto(manifesto_with("We reply within 24 hours.")), policy)
    assert rules_of(findings) == ["response-time-mismatch"]
    assert "no contact channel in the policy sets response_hours" in findings[0].message


def test_delivery_range_matches_a_zone(demo_policy: Policy) -> None:
    good = manifesto_with("België en Duitsland: binnen 2 à 3 werkdagen bezorgd.", "nl")
    assert check_manifesto(parse_manifesto(good), demo_policy) == []
    bad = manifesto_with("In Duitsland binnen 4 tot 5 werkdagen bezorgd.", "nl")
    assert rules_of(check_manifesto(parse_manifesto(bad), demo_policy)) == [
        "delivery-days-mismatch"
    ]


def test_finding_line_is_the_line_of_the_sentence(demo_policy: Policy) -> None:
    text = manifesto_with("We answer fast.\nReally fast.\nAnd returns are possible\nfor 14 days.")
    (finding,) = check_manifesto(parse_manifesto(text), demo_policy)
    assert finding.line == 16
    assert finding.evidence == "And returns are possible for 14 days."


def test_amounts_are_not_read_as_times_and_durations_not_as_cutoffs() -> None:
    found = find_quantities("Order by 16.00 for €16.00, answered within 24 uur", "nl", "EUR")
    assert [(q.kind, q.text) for q in found] == [
        ("clock", "16.00"),
        ("amount", "€16.00"),
        ("hours", "24 uur"),
    ]
