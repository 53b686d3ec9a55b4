"""The manifesto checks: one `Rule` per check, each with an id, a severity, why it matters and a
failing and a passing example, in the core's rule shape (`defenceline.rules`).

The rule reference (``docs/rules/manifesto/``) is generated from `RULES` by the core's one
generator (``python -m defenceline.rules docs/rules``), and the test suite runs every example
through `check_manifesto`, so the documentation can neither drift from the code nor show an
example that does not behave as documented.

Examples come in two kinds. A *document* example is a whole manifesto. A *statement* example
is the text of one statement; the tests put it into the part named by `Rule.example_part` of an
otherwise valid manifesto and check it against the demo shop's policy
(``examples/demo-shop/store.toml``: 30-day free returns, cut-off 16:00 Monday–Thursday and
15:00 on Friday, shipping €4,95 and free from €50,00 in the Netherlands, e-mail answered within
24 hours).
"""

from __future__ import annotations

from dataclasses import dataclass

from defenceline.rules import Rule as CoreRule
from defenceline.rules import RuleSet, Severity

__all__ = ["RULES", "Rule", "Severity", "rule"]


@dataclass(frozen=True)
class Rule(CoreRule):
    """A manifesto rule: the core's rule plus how its examples are checked."""

    example_part: str | None = None  # None: the examples are whole documents
    needs_policy: bool = False
    # The examples run against the demo policy with this (old, new) text replaced in it.
    policy_patch: tuple[str, str] | None = None
    example_syntax: str = "markdown"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.notes:
            return
        notes = []
        if self.needs_policy:
            notes.append("**Needs:** `--policy store.toml` (runs only with a store policy)")
        if self.example_part:
            example = (
                f"**Examples:** the text of the `{self.example_part}` statement, checked "
                "against the demo shop's policy (`examples/demo-shop/store.toml`)"
            )
            if self.policy_patch:
                example += f" with `{self.policy_patch[1]}` in it"
            notes.append(example)
        object.__setattr__(self, "notes", tuple(notes))


_VALID_START = """---
language: en
---
## Why we exist {#brand}
At Trapkracht we believe cycling should work in every weather.

"""
_VALUE_HEADING = "## Why buy here {#value}\n"
_PRODUCT = "### Product {#product}\nEvery light we sell is tested on our own commute.\n"
_STRENGTH = "### Our strength {#strength}\nOur products.\n"
_AMBITION = "\n## What you can expect {#ambition}\nWe answer every e-mail within 24 hours.\n"
_DELIVERY_VALUE = (
    _VALUE_HEADING + "### Delivery {#delivery}\nOrdered before 16:00 on a weekday (Friday 15:00), "
    "shipped the same day.\n### Our strength {#strength}\nDelivery.\n"
)
# A whole manifesto that passes every document rule; the failing examples break one thing.
_VALID = _VALID_START + _VALUE_HEADING + _PRODUCT + _STRENGTH + _AMBITION


def _policy_rule(
    id: str,
    summary: str,
    why: str,
    failing: str,
    passing: str,
    policy_patch: tuple[str, str] | None = None,
) -> Rule:
    """A rule that compares a promise in a statement with the store policy: a warning, run only
    with ``--policy``, its examples checked as the service ambition against the demo policy."""
    return Rule(
        id=id,
        severity="warning",
        summary=summary,
        why=why,
        failing=failing,
        passing=passing,
        example_part="ambition",
        needs_policy=True,
        policy_patch=policy_patch,
    )


_RULES: tuple[Rule, ...] = (
    Rule(
        id="missing-part",
        severity="error",
        summary="The manifesto lacks its brand statement, value proposition or service ambition.",
        why=(
            "A manifesto answers three questions a new shopper asks: who are you, why buy here, "
            "and what may I expect? Leave one out and the shopper fills the gap with a guess."
        ),
        failing=_VALID_START + _DELIVERY_VALUE,
        passing=_VALID_START + _DELIVERY_VALUE + _AMBITION,
    ),
    Rule(
        id="missing-advantage",
        severity="error",
        summary="The value proposition has no price, product, service or delivery statement.",
        why=(
            "Shoppers weigh price, product, service and delivery before they buy. The value "
            "proposition must name at least one advantage; each statement is optional."
        ),
        failing=_VALID_START
        + _VALUE_HEADING
        + "### Our strength {#strength}\nWe are the best.\n"
        + _AMBITION,
        passing=_VALID,
    ),
    Rule(
        id="missing-strength",
        severity="error",
        summary="The value proposition does not say where the shop is strongest.",
        why=(
            "Of all its advantages, a shop should name the one or two it is strongest at; that "
            "is what a shopper remembers, and what the team can be held to."
        ),
        failing=_VALID_START + _VALUE_HEADING + _PRODUCT + _AMBITION,
        passing=_VALID,
    ),
    Rule(
        id="empty-part",
        severity="error",
        summary="A part or statement has a heading but no text.",
        why="An empty heading on an 'About us' page reads as a promise the shop forgot to make.",
        failing=_VALID_START
        + _VALUE_HEADING
        + "### Price {#price}\n\n"
        + _PRODUCT
        + _STRENGTH
        + _AMBITION,
        passing=_VALID,
    ),
    Rule(
        id="too-long",
        severity="error",
        summary="A statement has more than 50 words.",
        why=(
            "Shoppers give a new shop a moment, not a minute. Each statement must be 50 words "
            "or fewer so it is read, remembered and kept; words are counted the same way in "
            "every script (see the format reference)."
        ),
        failing=(
            "We answer every e-mail within 24 hours, and we also promise that we will always "
            "listen carefully to every single concern you might have, that we will solve every "
            "problem however long it takes, that we will admit it when we make a mistake, and "
            "that our whole team is trained to do whatever it takes to make you happy."
        ),
        passing=(
            "We answer every e-mail within 24 hours, and we admit it when we get something wrong."
        ),
        example_part="ambition",
    ),
    _policy_rule(
        id="returns-window-mismatch",
        summary="A return period in the text differs from the policy's return window.",
        why=(
            "The FAQ, the checkout and the order e-mail all state the policy's window; a "
            "different number in the manifesto is a promise the shop does not keep, or a "
            "complaint waiting to happen."
        ),
        failing="Not happy? Send it back within 14 days.",
        passing="Not happy? Send it back within 30 days, free of charge.",
    ),
    _policy_rule(
        id="returns-cost-mismatch",
        summary=(
            "An amount said to be the cost of a return differs from the policy's return cost."
        ),
        why=(
            "The return cost is part of the price a shopper weighs; it must be the same everywhere."
        ),
        failing="Returning an order costs €3.95.",
        passing="Returning an order costs nothing: the label is on us.",
    ),
    _policy_rule(
        id="free-returns-unbacked",
        summary="The text promises free returns but the policy charges for them.",
        why="A shopper who was promised a free return and is charged for it will complain.",
        failing="Free returns within 30 days.",
        passing="Returns within 30 days for a flat €3.95.",
        policy_patch=('cost = "free"', 'cost = "3.95"'),
    ),
    _policy_rule(
        id="cutoff-mismatch",
        summary=(
            "An order-by time differs from the policy's cut-off, or is later than it on some day."
        ),
        why=(
            "The delivery widget counts down to the policy's cut-off; a different time in the "
            "manifesto means a shopper who believed it misses the dispatch."
        ),
        failing="Order before 17:00 and we ship today.",
        passing="Order before 16:00 on a weekday (Friday 15:00) and we ship today.",
    ),
    _policy_rule(
        id="same-day-unbacked",
        summary=(
            "Same-day dispatch is promised without a cut-off time, or the policy cannot "
            "dispatch on the day of the order."
        ),
        why=(
            "Same-day dispatch is only true before the cut-off and only without handling days; "
            "promised without the time, it is broken for every order placed in the evening."
        ),
        failing="Every order leaves our warehouse the same day.",
        passing="Ordered before 16:00 on a weekday (Friday 15:00), shipped the same day.",
    ),
    _policy_rule(
        id="shipping-cost-mismatch",
        summary="A shipping cost in the text is none of the policy's shipping rates.",
        why="Unexpected shipping costs are the first reason shoppers abandon a cart.",
        failing="Shipping within the Netherlands costs €3,95.",
        passing="Shipping within the Netherlands costs €4,95.",
    ),
    _policy_rule(
        id="free-shipping-threshold-mismatch",
        summary="A free-shipping threshold in the text is none of the policy's thresholds.",
        why=(
            "The cart shows the policy's threshold; a lower one in the manifesto reads as a "
            "broken promise."
        ),
        failing="Free shipping on orders over €40.",
        passing="Free shipping in the Netherlands on orders from €50.",
    ),
    _policy_rule(
        id="free-shipping-unconditional",
        summary="The text promises free shipping without the threshold the policy sets.",
        why="Free shipping that turns out to start at €50 feels like a bait; say the condition.",
        failing="Free shipping, always.",
        passing="Free shipping in the Netherlands on orders from €50.",
    ),
    _policy_rule(
        id="delivery-days-mismatch",
        summary="A delivery time in days matches no shipping zone's transit days.",
        why="Delivery estimates on product pages come from the policy; the manifesto must agree.",
        failing="Delivered within 5 working days.",
        passing="Delivered in 1 working day in the Netherlands, 2 to 3 in Belgium and Germany.",
    ),
    _policy_rule(
        id="response-time-mismatch",
        summary="A promised response time differs from every contact channel's response time.",
        why=(
            "A response time is a service-level promise; the contact page and the help centre "
            "state the policy's response_hours, so the manifesto must state the same."
        ),
        failing="We answer every question within 4 hours.",
        passing="We answer every e-mail within 24 hours.",
    ),
)

RULES: RuleSet[Rule] = RuleSet(
    name="manifesto",
    title="Manifesto rules",
    tool="`defenceline manifesto check` (and the help centre, which checks its manifesto)",
    intro=(
        "`defenceline manifesto check` reports these findings. An **error** makes the check "
        "exit 1; a **warning** does so only with `--strict`. Rules that need the store policy "
        "run only with `--policy store.toml`; statement examples are checked against the demo "
        "shop's policy (`examples/demo-shop/store.toml`)."
    ),
    rules=_RULES,
)


def rule(rule_id: str) -> Rule:
    """The rule called `rule_id`; KeyError for an unknown id."""
    return RULES[rule_id]
