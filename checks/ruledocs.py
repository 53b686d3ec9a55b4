"""Generate the page checker's rule reference (docs/rules/) from the rules themselves.

The pages are written by the core's one reference generator (`defenceline.rules`), the same
that writes the manifesto's and the help centre's references (docs/rules/manifesto/,
docs/rules/helpcentre/). Run ``python -m defenceline.checks.ruledocs docs/rules`` (or
``python -m defenceline.rules docs/rules`` for every part) after changing a rule; a test fails
when the committed pages differ from what is generated, so the reference never drifts from the
code. ``--check`` reports stale pages without writing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from defenceline.checks import engine  # noqa: F401 - imports every rule module
from defenceline.checks.registry import RULES, Rule
from defenceline.rules import Rule as RuleInfo
from defenceline.rules import RuleSet, reference_pages, stale_pages, write_reference
from defenceline.rules import render_index as _render_index
from defenceline.rules import render_rule as _render_rule

__all__ = ["RULE_SET", "main", "render_index", "render_rule", "rule_pages"]

RULE_SET: RuleSet[RuleInfo] = RuleSet(
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


def render_rule(rule: Rule) -> str:
    return _render_rule(RULE_SET, RULE_SET[rule.id])


def render_index() -> str:
    return _render_index(RULE_SET)


def rule_pages() -> dict[str, str]:
    """File name -> content for the whole reference."""
    return reference_pages(RULE_SET)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--check", action="store_true", help="report stale pages, write nothing")
    args = parser.parse_args(argv)
    directory: Path = args.directory
    if args.check:
        stale = stale_pages(RULE_SET, directory)
        for name in stale:
            print(f"{directory / name}: out of date", file=sys.stderr)
        return 1 if stale else 0
    changed = write_reference(RULE_SET, directory)
    print(f"wrote or removed {len(changed)} page(s) in {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
