"""Generate the page checker's rule reference (docs/rules/) from the rules themselves.

The pages are written by the core's one reference generator (`defenceline.rules`), the same
that writes the manifesto's and the help centre's references (docs/rules/manifesto/,
docs/rules/helpcentre/). Run ``python -m defenceline.checks.ruledocs docs/rules`` (or
``python -m defenceline.rules docs/rules`` for every part) after changing a rule; a test fails
when the committed pages differ from what is generated, so the reference never drifts from the
code. ``--check`` reports stale pages without writing.
"""

from __future__ import annotations

import sys

from defenceline.checks import engine  # noqa: F401 - imports every rule module
from defenceline.checks.registry import RULES
from defenceline.rules import Rule, RuleSet, reference_pages
from defenceline.rules import main as generate

__all__ = ["RULE_SET", "main", "rule_pages"]

RULE_SET: RuleSet[Rule] = RuleSet(
    name="checks",
    title="Page checker rules",
    tool="`defenceline check`",
    intro=(
        "`defenceline check` reads product, cart and checkout pages the way a careful shopper "
        "does. Every finding names one of these rules; each page below explains why the rule "
        "matters and shows a failing and a passing example (both are run as tests). The "
        "manifesto's and the help centre's rules are in [manifesto/](manifesto/README.md) and "
        "[helpcentre/](helpcentre/README.md)."
    ),
    rules=tuple(rule.info() for rule in RULES.values()),
    turn_off=(
        '`[checks] rules = {{ "{id}" = "off" }}` or `<!-- defenceline-disable {id}: reason -->` '
        "in the page"
    ),
    docs="docs/rules",
)


def rule_pages() -> dict[str, str]:
    """File name -> content for the whole reference."""
    return reference_pages(RULE_SET)


def main(argv: list[str] | None = None) -> int:
    return generate(argv, [RULE_SET], prog="python -m defenceline.checks.ruledocs")


if __name__ == "__main__":
    sys.exit(main())
